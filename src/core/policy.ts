import type { Understanding, Role } from '../nlu/index.js';
import type { DialogueState } from './state.js';
import type { Reply } from './types.js';
import { intentButton, reply, text, buttons } from './replies.js';
import { INTENT_LABELS } from './common.js';

/** Below this confidence the message is not understood: we say what we can do rather than guess. */
export const MIN_CONFIDENCE = 0.35;
/** With a barrier word in the message, a "support" reading is trusted from this confidence on. */
export const MIN_SUPPORT_WITH_TOPIC = 0.15;
/** With a mission on screen, a question about one of its fields goes to it when "details" is this close to the top. */
export const ASPECT_MARGIN = 0.3;
/** Two intents closer than this are ambiguous: we ask. */
export const AMBIGUITY_MARGIN = 0.05;

export type Decision =
  | { kind: 'intent'; intent: string; understanding: Understanding }
  | { kind: 'clarify'; intents: string[]; reply: Reply };

/**
 * The dialogue policy: turns an annotation into a decision using the context. It carries the previous
 * search over to follow-ups ("et à Villeurbanne ?", "en logistique"), resolves "la 2" / "celle-là"
 * against the last list, and asks a short question when two intents are too close to call.
 */
export function decide(u: Understanding, state: DialogueState, role: Role): Decision {
  const e = u.entities;
  // Search follow-ups: always for a young person; for a counsellor while a list of missions is on screen.
  if (role === 'youth' || state.lastList?.kind === 'missions') {
    const hasSearchContext = state.lastSearch !== undefined;
    // "voir plus" / "d'autres" after a list = next page of the same list.
    if (u.signals.more && state.lastList?.kind === 'missions') return { kind: 'intent', intent: 'search_missions', understanding: u };
    // A bare place, sector or start period after a search is a refinement of it ("et cette semaine ?").
    const onlySearchEntities = (e.city || e.departement || e.sector || e.period) && !e.topic && !e.code && u.intent !== 'faq' && u.intent !== 'support';
    if (hasSearchContext && onlySearchEntities && u.confidence < 0.8 && u.intent !== 'search_missions') {
      return { kind: 'intent', intent: 'search_missions', understanding: u };
    }
    // "combien c payé" with a mission open: a question about that mission, not the FAQ on pay.
    const missionOnScreen = state.focusMissionId !== undefined || (state.lastList?.kind === 'missions' && state.lastList.ids.length === 1);
    const detailsReading = u.intent === 'mission_details' || u.alternatives.some((a) => a.intent === 'mission_details' && u.confidence - a.confidence < ASPECT_MARGIN);
    if (e.aspect && missionOnScreen && detailsReading && !e.city && !e.sector) return { kind: 'intent', intent: 'mission_details', understanding: u };
    // "la 2", "celle-là" against the last list shown.
    const refersToItem = u.signals.ordinal !== undefined || u.signals.deictic || e.mission_ref !== undefined;
    const acts = role === 'youth' ? ['apply_mission', 'mission_details', 'link_account'] : ['propose_mission', 'mission_details'];
    if (refersToItem && state.lastList && !acts.includes(u.intent) && !e.person && u.confidence < 0.8) {
      return { kind: 'intent', intent: state.lastList.kind === 'missions' ? 'mission_details' : u.intent, understanding: u };
    }
  }
  // A bare "stop" that answers no question is the usual opt-out of messages (the NLU caps bare answers' confidence).
  if (role === 'youth' && u.intent === 'stop_messages' && u.signals.answer === 'no') return { kind: 'intent', intent: 'stop_messages', understanding: u };
  // A barrier word settles a hesitant "support" reading ("jai un gosse qui le garde qd je bosse" = childcare).
  if (u.intent === 'support' && e.topic && u.confidence >= MIN_SUPPORT_WITH_TOPIC) return { kind: 'intent', intent: 'support', understanding: u };
  if (u.intent === 'out_of_scope' || u.confidence < MIN_CONFIDENCE) return { kind: 'intent', intent: 'out_of_scope', understanding: u };
  const second = u.alternatives.find((a) => a.intent !== u.intent && a.intent !== 'out_of_scope');
  if (second && u.confidence - second.confidence < AMBIGUITY_MARGIN && second.confidence >= MIN_CONFIDENCE && !hasDecisiveEntity(u)) {
    const intents = [u.intent, second.intent];
    return {
      kind: 'clarify',
      intents,
      reply: reply(
        text('Je veux être sûr de bien comprendre : tu veux…'),
        buttons(...intents.map((i) => intentButton(INTENT_LABELS[i] ?? i, i))),
      ),
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
