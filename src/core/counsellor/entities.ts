import type { Topic } from '../../store/index.js';
import { isTopic } from '../../shared/domain.js';
import { CALENDAR_PERIODS, type CalendarPeriod } from '../../shared/time.js';
import { CONTACT_CHANNELS, type ContactChannel } from '../../nlu/index.js';

/** The entities the counsellor journeys use, read defensively from whatever the NLU returned. */
export interface CounsellorEntities {
  days?: number;
  /** A calendar period ("cette semaine" = until Sunday), when the message named one. */
  period?: CalendarPeriod;
  topic?: Topic;
  person?: string;
  missionId?: number;
  note?: string;
  /** How the contact of a note happened (NLU `contactChannel`); absent = a message. */
  contactChannel?: ContactChannel;
}

/** Longest period a list or a figure may cover: the store refuses more than ten years. */
const MAX_DAYS = 3650;

/**
 * Reads `understanding.entities` without trusting its shape: the NLU (or an LLM route wrapping it) may return
 * strings for numbers, unknown topics or empty values, and none of that must reach the store's validators.
 */
export function readEntities(understanding: unknown): CounsellorEntities {
  const raw = (understanding as { entities?: unknown } | undefined)?.entities;
  if (!raw || typeof raw !== 'object') return {};
  const e = raw as Record<string, unknown>;
  const out: CounsellorEntities = {};
  const days = toInt(e.days);
  if (days !== undefined && days > 0) out.days = Math.min(days, MAX_DAYS);
  if (typeof e.period === 'string' && (CALENDAR_PERIODS as readonly string[]).includes(e.period)) out.period = e.period as CalendarPeriod;
  if (isTopic(e.topic)) out.topic = e.topic;
  const person = toText(e.person, 2, 120);
  if (person) out.person = person;
  const missionId = toInt(typeof e.mission_ref === 'string' ? e.mission_ref.replace(/^(n°|no|#)\s*/i, '') : e.mission_ref);
  if (missionId !== undefined && missionId > 0 && missionId < 2_147_483_647) out.missionId = missionId;
  const note = toText(e.note, 1, 2000);
  if (note) out.note = note;
  if (typeof e.contactChannel === 'string' && (CONTACT_CHANNELS as readonly string[]).includes(e.contactChannel)) out.contactChannel = e.contactChannel as ContactChannel;
  return out;
}

function toInt(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  if (typeof v === 'string' && /^\s*\d{1,10}\s*$/.test(v)) return Number(v);
  return undefined;
}

function toText(v: unknown, min: number, max: number): string | undefined {
  if (typeof v !== 'string') return undefined;
  const t = v.trim();
  return t.length >= min && t.length <= max ? t : undefined;
}

export { isTopic };
