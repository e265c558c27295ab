import { z } from 'zod';
import { CALENDAR_PERIODS } from '../shared/time.js';
import { CONTACT_CHANNELS } from '../nlu/index.js';

/**
 * What the dialogue remembers between two messages of one channel user. Stored as JSON in the store;
 * parsed on load, and a state that no longer parses is dropped (a fresh start beats a crash).
 */
export const missionSearchStateSchema = z.object({
  communeCode: z.string().optional(),
  communeName: z.string().optional(),
  epciCode: z.string().optional(),
  departementCode: z.string().optional(),
  sector: z.string().optional(),
  around: z.boolean().optional(),
  /** Only missions starting within this many days ("qui commence dans 10 jours"). */
  startWithinDays: z.number().int().min(0).max(365).optional(),
  /** Only missions starting in this calendar period ("la semaine pro" = next Monday to Sunday); wins over `startWithinDays`. */
  startPeriod: z.enum(CALENDAR_PERIODS).optional(),
  page: z.number().int().min(0).default(0),
});
export type MissionSearchState = z.infer<typeof missionSearchStateSchema>;

/** When the question was asked (ISO date): it lapses after `PENDING_ANSWER_WINDOW_MS`. */
const askedAt = z.iso.datetime();

/** A counsellor's write waiting for confirmation (it names the youth, and the mission for a proposal). */
export const writeRequestSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('propose'), youthId: z.number().int(), missionId: z.number().int() }),
  /** `channel`: how the contact happened, as the NLU read it from the note when it was given (a message by default). */
  z.object({ kind: z.literal('note'), youthId: z.number().int(), note: z.string().min(1).max(2000), channel: z.enum(CONTACT_CHANNELS).default('message') }),
  z.object({ kind: z.literal('link_code'), youthId: z.number().int() }),
]);
export type WriteRequest = z.infer<typeof writeRequestSchema>;

export const pendingQuestionSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('confirm_write'), write: writeRequestSchema, askedAt }),
  z.object({ kind: z.literal('confirm_delete'), askedAt }),
  z.object({ kind: z.literal('eligibility'), measureKey: z.string(), rule: z.number().int(), passed: z.number().int(), askedAt }),
  z.object({ kind: z.literal('log_contact_note'), youthId: z.number().int(), askedAt }),
  /** A counsellor's proposal just delivered: "non merci" / "oui" / "ça m'intéresse" answer it (see youth/answers.ts). */
  z.object({ kind: z.literal('proposal'), missionId: z.number().int(), askedAt }),
]);
export type PendingQuestion = z.infer<typeof pendingQuestionSchema>;

export const dialogueStateSchema = z.object({
  /** The last list shown, so "la 2" and "celle-là" resolve against it. */
  lastList: z
    .object({
      kind: z.enum(['missions', 'measures', 'youth']),
      ids: z.array(z.union([z.number(), z.string()])).max(50),
      /** First position of `ids` in the whole list (paging). */
      offset: z.number().int().min(0).default(0),
    })
    .optional(),
  lastSearch: missionSearchStateSchema.optional(),
  /** The mission last looked at ("celle-là", "ça m'intéresse"). */
  focusMissionId: z.number().int().optional(),
  /** Counsellor side: the youth last talked about ("propose-lui la 3"). */
  focusYouthId: z.number().int().optional(),
  /** Counsellor side: the last caseload list, for paging. */
  lastCaseloadList: z
    .object({ list: z.string(), days: z.number().optional(), period: z.enum(CALENDAR_PERIODS).optional(), topic: z.string().optional(), page: z.number().int().min(0) })
    .optional(),
  /** A question waiting for an answer (see `pending.ts`: answerable for a few minutes, by a bare yes/no or its buttons). */
  pending: pendingQuestionSchema.optional(),
  /** Anonymous user chose to apply before linking: remembered so it is offered again after linking. */
  wantedMissionIds: z.array(z.number().int()).max(10).optional(),
  /** Anonymous user pressed "🔔 Préviens-moi": the search is saved as an alert once the account is linked. */
  pendingAlert: missionSearchStateSchema.optional(),
});
export type DialogueState = z.infer<typeof dialogueStateSchema>;

export function parseState(raw: unknown): DialogueState {
  const parsed = dialogueStateSchema.safeParse(raw ?? {});
  if (parsed.success) return parsed.data;
  // A question saved in an older shape is dropped alone: the last search and list stay usable.
  if (raw !== null && typeof raw === 'object' && 'pending' in raw) {
    const rest = dialogueStateSchema.safeParse({ ...raw, pending: undefined });
    if (rest.success) return rest.data;
  }
  return {};
}
