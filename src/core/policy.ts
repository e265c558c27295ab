import type { IntentName, Understanding, Role } from '../nlu/index.js';
import type { Action, CoreIntent } from './actions.js';
import type { DialogueState } from './state.js';
import type { Reply } from './types.js';
import { intentButton, reply, text, buttons } from './replies.js';
import { readEntities } from './counsellor/entities.js';

/** Below this confidence the message is not understood: we say what we can do rather than guess. */
export const MIN_CONFIDENCE = 0.35;
/** With a barrier word in the message, a "support" reading is trusted from this confidence on. */
export const MIN_SUPPORT_WITH_TOPIC = 0.15;
/** With a mission on screen, a question about one of its fields goes to it when "details" is this close to the top. */
export const ASPECT_MARGIN = 0.3;
/** Two intents closer than this are ambiguous: we ask. */
export const AMBIGUITY_MARGIN = 0.05;

/**
 * What a message points at in the last list shown, as the policy resolved it: a youth or a mission by its
 * position ("la 2"), a position beyond the list, or a number given where only a person makes sense.
 * The ids only set the focus: every journey re-checks them against the actor's rights.
 */
export type Reference = { youthId: number } | { missionId: number } | { beyond: true } | { numberAlone: true };

export type Decision =
  /** Run an intent's journey; `refers` is set when the policy resolved what the message points at. */
  | { kind: 'intent'; intent: CoreIntent; understanding: Understanding; refers?: Reference }
  /** The message means a button of the last reply ("voir plus" = its next page); `intent` is the reading it came from. */
  | { kind: 'action'; intent: CoreIntent; action: Action }
  /** Two intents too close to call: a question whose buttons are the two intents. */
  | { kind: 'clarify'; intents: IntentName[]; reply: Reply };

/** What a follow-up rule looks at: the NLU's reading, the dialogue state, and the intent decided so far. */
interface Reading {
  u: Understanding;
  state: DialogueState;
  intent: CoreIntent;
}

/**
 * One follow-up: a message that means something only against what is on screen. `when` reads signals and
 * entities (never the text), `then` says what it means. The first rule of a table that applies wins.
 */
interface FollowUp {
  /** What the rule recognises, for the reader of the table. */
  name: string;
  when(r: Reading): boolean;
  then(r: Reading): Decision;
}

const intent = (r: Reading, name: CoreIntent, refers?: Reference): Decision => ({ kind: 'intent', intent: name, understanding: r.u, ...(refers ? { refers } : {}) });

/** A list position from the NLU ("la 2" = 2), when it is one. */
function ordinalOf(u: Understanding): number | undefined {
  const o = u.signals.ordinal;
  return typeof o === 'number' && Number.isInteger(o) && o > 0 ? o : undefined;
}

/** The id at the position the message gives in the last list, when that list is of `kind`. */
function idAtPosition(r: Reading, kind: 'youth' | 'missions'): number | 'beyond' | undefined {
  const ordinal = ordinalOf(r.u);
  const last = r.state.lastList;
  if (ordinal === undefined || last?.kind !== kind) return undefined;
  const id = last.ids[ordinal - 1 - last.offset];
  return typeof id === 'number' ? id : 'beyond';
}

/**
 * Search follow-ups, on the NLU's reading before any confidence check: always for a young person, for a
 * counsellor while a list of missions is on screen. `acts` are the intents a position never overrides.
 */
function searchFollowUps(acts: readonly IntentName[]): FollowUp[] {
  const missionOnScreen = (s: DialogueState) => s.focusMissionId !== undefined || (s.lastList?.kind === 'missions' && s.lastList.ids.length === 1);
  return [
    {
      name: '"voir plus" / "d’autres" after a list of missions: its next page',
      when: ({ u, state }) => u.signals.more === true && state.lastList?.kind === 'missions',
      then: (r) => intent(r, 'search_missions'),
    },
    {
      name: 'a bare place, sector or start period after a search refines it ("et cette semaine ?")',
      when: ({ u, state }) => {
        const e = u.entities;
        const onlySearchEntities = (e.city || e.departement || e.sector || e.period) && !e.topic && !e.code && u.intent !== 'faq' && u.intent !== 'support';
        return state.lastSearch !== undefined && !!onlySearchEntities && u.confidence < 0.8 && u.intent !== 'search_missions';
      },
      then: (r) => intent(r, 'search_missions'),
    },
    {
      name: '"combien c payé" with a mission open: a question about that mission, not the FAQ on pay',
      when: ({ u, state }) => {
        const detailsReading = u.intent === 'mission_details' || u.alternatives.some((a) => a.intent === 'mission_details' && u.confidence - a.confidence < ASPECT_MARGIN);
        return u.entities.aspect !== undefined && missionOnScreen(state) && detailsReading && !u.entities.city && !u.entities.sector;
      },
      then: (r) => intent(r, 'mission_details'),
    },
    {
      name: '"la 2", "celle-là" against the last list shown',
      when: ({ u, state }) => {
        const refersToItem = u.signals.ordinal !== undefined || u.signals.deictic === true || u.entities.mission_ref !== undefined;
        return refersToItem && state.lastList !== undefined && !acts.includes(u.intent) && !u.entities.person && u.confidence < 0.8;
      },
      then: (r) => intent(r, r.state.lastList?.kind === 'missions' ? 'mission_details' : r.u.intent),
    },
  ];
}

/** Journeys about one youth where a number can only be a person, never a mission. */
const PERSON_INTENTS: ReadonlySet<CoreIntent> = new Set(['youth_summary', 'create_link_code', 'log_contact']);
/** Journeys a position in a list of youth ("la 2") points into. */
const ONE_YOUTH_INTENTS: ReadonlySet<CoreIntent> = new Set(['youth_summary', 'create_link_code', 'propose_mission', 'log_contact', 'out_of_scope', 'mission_details']);

/**
 * Counsellor follow-ups, on the decided intent: paging, the export request, positions in the last list.
 * Entities are read defensively (`readEntities`): the LLM route may return odd shapes.
 */
const COUNSELLOR_FOLLOW_UPS: readonly FollowUp[] = [
  {
    name: '"voir plus" after a caseload list: its next page',
    when: ({ u, state }) => u.signals.more === true && !readEntities(u).person && state.lastCaseloadList !== undefined && state.lastList?.kind !== 'missions',
    then: (r) => ({ kind: 'action', intent: r.intent, action: { kind: 'list_page', page: r.state.lastCaseloadList!.page + 1 } }),
  },
  {
    // Only at the start and never with a note, so "note pour Léa : intéressée par l'export" stays a contact log.
    name: '"exporte les données de Léa Martin": the right of access',
    when: ({ u, intent: i }) => u.signals.export === true && readEntities(u).note === undefined && i !== 'log_contact',
    then: (r) => intent(r, 'export_youth_data'),
  },
  {
    name: '"la 2" after a list of youth: that youth (a bare "la 2" opens the file)',
    when: (r) => ONE_YOUTH_INTENTS.has(r.intent) && !readEntities(r.u).person && typeof idAtPosition(r, 'youth') === 'number',
    then: (r) => {
      const youthId = idAtPosition(r, 'youth') as number;
      // Its number may have been read as a mission reference ("propose la 2"): still a position in the list of youth.
      const bare = r.intent === 'out_of_scope' || r.intent === 'mission_details' || (r.intent === 'propose_mission' && readEntities(r.u).missionId === ordinalOf(r.u));
      return intent(r, bare ? 'youth_summary' : r.intent, { youthId });
    },
  },
  {
    name: '"la 2" after a list of missions: that mission, or how many there are',
    when: (r) => r.intent === 'mission_details' && idAtPosition(r, 'missions') !== undefined,
    then: (r) => {
      const at = idAtPosition(r, 'missions');
      return intent(r, 'mission_details', at === 'beyond' ? { beyond: true } : { missionId: at as number });
    },
  },
  {
    name: 'a number alone never names a young person ("fiche 12")',
    when: ({ u, intent: i }) => PERSON_INTENTS.has(i) && !readEntities(u).person && readEntities(u).missionId !== undefined,
    then: (r) => intent(r, r.intent, { numberAlone: true }),
  },
];

/**
 * The follow-ups of each role: `onReading` before the confidence checks (a follow-up is often a short, unsure
 * message), `onIntent` on the intent decided. To add one: one entry in the right table.
 */
const FOLLOW_UPS: Record<Role, { onReading: (state: DialogueState) => readonly FollowUp[]; onIntent: readonly FollowUp[] }> = {
  youth: { onReading: () => YOUTH_READING_FOLLOW_UPS, onIntent: [] },
  counsellor: { onReading: (state) => (state.lastList?.kind === 'missions' ? COUNSELLOR_SEARCH_FOLLOW_UPS : []), onIntent: COUNSELLOR_FOLLOW_UPS },
};
const YOUTH_READING_FOLLOW_UPS: readonly FollowUp[] = [
  ...searchFollowUps(['apply_mission', 'mission_details', 'link_account']),
  {
    // The NLU caps a bare answer's confidence (it usually answers a question); with none pending, "stop" opts out.
    name: 'a bare "stop" that answers no question: the usual opt-out of messages',
    when: ({ u }) => u.intent === 'stop_messages' && u.signals.answer === 'no',
    then: (r) => intent(r, 'stop_messages'),
  },
];
const COUNSELLOR_SEARCH_FOLLOW_UPS = searchFollowUps(['propose_mission', 'mission_details']);

function firstApplying(rules: readonly FollowUp[], r: Reading): Decision | undefined {
  const rule = rules.find((f) => f.when(r));
  return rule?.then(r);
}

/**
 * The dialogue policy, the one place a message's meaning is decided: turns the NLU's annotation into a decision
 * using the context. It carries the previous search over to follow-ups ("et à Villeurbanne ?", "en logistique"),
 * resolves "la 2" / "celle-là" against the last list, pages lists on "voir plus", and asks a short question when
 * two intents are too close to call.
 */
export function decide(u: Understanding, state: DialogueState, role: Role): Decision {
  const rules = FOLLOW_UPS[role];
  const base = firstApplying(rules.onReading(state), { u, state, intent: u.intent }) ?? decideIntent(u);
  if (base.kind !== 'intent') return base;
  return firstApplying(rules.onIntent, { u, state, intent: base.intent }) ?? base;
}

/** The intent of a message on its own: confidence, ambiguity, and the entities that settle it. */
function decideIntent(u: Understanding): Decision {
  const e = u.entities;
  // A barrier word settles a hesitant "support" reading ("jai un gosse qui le garde qd je bosse" = childcare).
  if (u.intent === 'support' && e.topic && u.confidence >= MIN_SUPPORT_WITH_TOPIC) return { kind: 'intent', intent: 'support', understanding: u };
  if (u.intent === 'out_of_scope' || u.confidence < MIN_CONFIDENCE) return { kind: 'intent', intent: 'out_of_scope', understanding: u };
  const second = u.alternatives.find((a) => a.intent !== u.intent && a.intent !== 'out_of_scope');
  if (second && u.confidence - second.confidence < AMBIGUITY_MARGIN && second.confidence >= MIN_CONFIDENCE && !hasDecisiveEntity(u)) {
    const intents = [u.intent, second.intent];
    return {
      kind: 'clarify',
      intents,
      reply: reply(text('Je veux être sûr de bien comprendre : tu veux…'), buttons(...intents.map((i) => intentButton(i)))),
    };
  }
  return { kind: 'intent', intent: u.intent, understanding: u };
}

/** An entity that only fits the top intent settles it (a code for linking, a city for a search…). */
function hasDecisiveEntity(u: Understanding): boolean {
  const e = u.entities;
  if (u.intent === 'link_account') return e.code !== undefined;
  if (u.intent === 'search_missions') return e.city !== undefined || e.sector !== undefined || e.departement !== undefined;
  if (u.intent === 'support') return e.topic !== undefined;
  return e.person !== undefined && !['greeting', 'help', 'thanks'].includes(u.intent);
}
