import type { Action } from '../actions.js';
import type { HandlerResult, Router, TurnContext } from '../context.js';
import { reply, text } from '../replies.js';
import { decodeAction } from '../actions.js';
import { bareAnswer } from '../pending.js';
import { askToConfirm } from './confirm.js';
import { answerConfirmation } from './confirmed.js';
import { missionDetailsForCounsellor, pickYouthFor, searchMissionsForCounsellor } from './missions.js';
import { onlyItems } from '../lists-words.js';
import type { Understanding } from '../../nlu/index.js';
import { rememberTeamsAddress } from './address.js';
import { asCounsellor, type CounsellorContext } from './context.js';
import { readEntities, type CounsellorEntities } from './entities.js';
import { exportFocusYouth, exportYouth } from './export.js';
import { fold } from '../../shared/text.js';
import { counsellorMenu, smallTalk } from './help.js';
import { linkCodeByName, createLinkCode } from './link-code.js';
import { LIST_OF_INTENT, normaliseQuery, showList, showPage } from './lists.js';
import { answerPendingNote, askForNote, logContactByName } from './log-contact.js';
import { caseloadOverview } from './overview.js';
import { setDigest } from './digest.js';
import { proposeByName, proposeMission } from './propose.js';
import { programmeStats } from './stats.js';
import { showYouthFile, youthSummaryByName } from './summary.js';

/** Not an NLU intent: the "export" button of a youth file (right of access) acts on the youth in focus. */
export const EXPORT_INTENT = 'export_youth_data';
const EXPORT_REQUEST = /^(export\w*|extrai\w*|telecharg\w*)\b/;
/** "arrête le digest", "je ne veux plus le point du matin": the digest intent asking to stop (folded text). */
const STOP_DIGEST = /\b(arret\w*|stop\w*|desactiv\w*|desabonn\w*|coupe\w*|supprim\w*|annul\w*|plus d[eu]|ne veux plus|n en veux plus)\b/;

function runIntent(ctx: CounsellorContext, intent: string, e: CounsellorEntities): Promise<HandlerResult> | HandlerResult {
  const list = LIST_OF_INTENT[intent];
  if (list) return showList(ctx, normaliseQuery(list, e.days, e.topic, e.period), 0);
  switch (intent) {
    case 'caseload_overview':
      return caseloadOverview(ctx);
    case 'youth_summary':
      return youthSummaryByName(ctx, e.person);
    case 'create_link_code':
      return linkCodeByName(ctx, e.person);
    case 'propose_mission':
      return proposeByName(ctx, e.person, e.missionId);
    case 'log_contact':
      return logContactByName(ctx, e.person, e.note);
    case 'programme_stats':
      return programmeStats(ctx, e.days, e.period);
    case 'daily_digest':
      return setDigest(ctx, true);
    case 'search_missions':
      return searchMissionsForCounsellor(ctx, undefined, ctx.state.lastSearch ? { ...ctx.state.lastSearch, page: 0 } : undefined);
    case 'mission_details':
      return missionDetailsForCounsellor(ctx, e.missionId);
    case EXPORT_INTENT:
      return exportFocusYouth(ctx);
    default:
      return smallTalk(ctx, intent);
  }
}

function runAction(ctx: CounsellorContext, action: Action): Promise<HandlerResult> | HandlerResult {
  switch (action.kind) {
    case 'intent':
      return runIntent(ctx, action.intent, {});
    case 'youth_summary':
      return showYouthFile(ctx, action.youthId);
    case 'caseload_list':
      return showList(ctx, normaliseQuery(action.list, action.days, action.topic), 0);
    case 'list_page':
      return showPage(ctx, action.page);
    case 'create_link_code':
      return askToConfirm(ctx, { kind: 'link_code', youthId: action.youthId });
    case 'propose':
      return askToConfirm(ctx, { kind: 'propose', youthId: action.youthId, missionId: action.missionId });
    case 'log_contact':
      return askForNote(ctx, action.youthId);
    case 'confirm':
      return answerConfirmation(ctx, action.yes);
    case 'digest':
      return setDigest(ctx, action.on);
    case 'mission_details':
      return missionDetailsForCounsellor(ctx, action.missionId);
    case 'propose_pick':
      return pickYouthFor(ctx, action.missionId);
    case 'search_page':
      if (!ctx.state.lastSearch) return { reply: reply(text('Cette recherche n’est plus disponible : relancez-la (« missions à Villeurbanne »).')) };
      return searchMissionsForCounsellor(ctx, undefined, { ...ctx.state.lastSearch, page: action.page });
    case 'export_youth':
      // The id is re-checked against the scope inside, like every other press.
      return exportFocusYouth({ ...ctx, state: { ...ctx.state, focusYouthId: action.youthId } });
    default:
      // A youth-side button (forged or pasted): nothing of the youth journeys runs for a counsellor.
      return { reply: reply(text('Ce bouton n’est pas disponible ici. Voici ce que je peux faire :'), counsellorMenu()) };
  }
}

/**
 * Any turn that is not the answer to a pending question abandons it, so a later message is never mistaken
 * for a note typed long ago. Also keeps the Teams address for alerts.
 */
async function turn(raw: TurnContext, handler: (ctx: CounsellorContext) => Promise<HandlerResult> | HandlerResult): Promise<HandlerResult> {
  const ctx = asCounsellor(raw);
  await rememberTeamsAddress(ctx);
  // The confirmation buttons answer the question: they read it (answerConfirmation clears it).
  if (raw.event.action !== undefined && decodeAction(raw.event.action)?.kind === 'confirm') return handler(ctx);
  const hadPending = ctx.state.pending !== undefined;
  if (hadPending) ctx.state = { ...ctx.state, pending: undefined };
  const result = await handler(ctx);
  return hadPending && result.state === undefined ? { ...result, state: ctx.state } : result;
}

/** "la 2" after a list of youth: the id at that position, for the journeys that act on one youth. */
function ordinalOf(understanding: unknown): number | undefined {
  const ordinal = (understanding as { signals?: { ordinal?: unknown } } | undefined)?.signals?.ordinal;
  return typeof ordinal === 'number' && Number.isInteger(ordinal) && ordinal > 0 ? ordinal : undefined;
}

function youthAtPosition(ctx: CounsellorContext, understanding: unknown): number | undefined {
  const ordinal = ordinalOf(understanding);
  const last = ctx.state.lastList;
  if (ordinal === undefined || last?.kind !== 'youth') return undefined;
  const id = last.ids[ordinal - 1 - last.offset];
  return typeof id === 'number' ? id : undefined;
}

/** Journeys about one youth where a number can only be a person, never a mission. */
const PERSON_INTENTS = new Set(['youth_summary', 'create_link_code', 'log_contact']);

/** "la 2" after a list of missions: the id at that position; 'beyond' when the list is shorter. */
function missionAtPosition(ctx: CounsellorContext, understanding: unknown): number | 'beyond' | undefined {
  const ordinal = ordinalOf(understanding);
  const last = ctx.state.lastList;
  if (ordinal === undefined || last?.kind !== 'missions') return undefined;
  const id = last.ids[ordinal - 1 - last.offset];
  return typeof id === 'number' ? id : 'beyond';
}

const ONE_YOUTH_INTENTS = new Set(['youth_summary', 'create_link_code', 'propose_mission', 'log_contact', 'out_of_scope']);

/** An understood message: entities read defensively, then the few follow-ups the NLU cannot see (paging, "la 2"). */
function handleIntent(c: CounsellorContext, intent: string, understanding: unknown, message: string): Promise<HandlerResult> | HandlerResult {
  const e = readEntities(understanding);
  // The NLU may return the whole message as the note ("noter un contact avec Kevin Bernard"): that is no note.
  if (e.note !== undefined && fold(e.note) === fold(message)) delete e.note;
  // "voir plus" typed after a caseload list: its next page.
  const more = (understanding as { signals?: { more?: unknown } } | undefined)?.signals?.more === true;
  if (more && !e.person && c.state.lastCaseloadList && c.state.lastList?.kind !== 'missions') return showPage(c, c.state.lastCaseloadList.page + 1);
  // The NLU has no intent for the right of access; a message that starts with "export(er)" asks for it. Only at the
  // start and never with a note, so "note pour Léa : intéressée par l'export" stays a contact log.
  if (EXPORT_REQUEST.test(fold(message)) && e.note === undefined && intent !== 'log_contact') return exportYouth(c, e.person);
  if (intent === 'search_missions') return searchMissionsForCounsellor(c, understanding as Understanding);
  if (intent === 'daily_digest') return setDigest(c, !STOP_DIGEST.test(fold(message)));
  const positioned = e.person ? undefined : youthAtPosition(c, understanding);
  if (positioned !== undefined && (ONE_YOUTH_INTENTS.has(intent) || intent === 'mission_details')) {
    // The position only sets the focus; the scope is re-checked by the journey like any id.
    c.state = { ...c.state, focusYouthId: positioned };
    // A bare "la 2" after a list of youth means "open the 2nd", even when its number was read as a mission reference.
    const bare = intent === 'out_of_scope' || intent === 'mission_details' || (intent === 'propose_mission' && e.missionId === ordinalOf(understanding));
    return runIntent(c, bare ? 'youth_summary' : intent, e);
  }
  if (intent === 'mission_details') {
    const at = missionAtPosition(c, understanding);
    if (at === 'beyond') return { reply: reply(text(onlyItems(c.state.lastList?.ids.length ?? 0))), state: c.state };
    return missionDetailsForCounsellor(c, at ?? (ordinalOf(understanding) !== undefined && c.state.lastList?.kind === 'missions' ? undefined : e.missionId));
  }
  // A number alone never names a young person ("fiche 12" is not the last file opened, nor youth n° 12).
  if (!e.person && e.missionId !== undefined && PERSON_INTENTS.has(intent)) {
    return {
      reply: reply(text(`Un numéro ne désigne pas un jeune : donnez son prénom et son nom (« fiche de Léa Martin »), ou choisissez-le dans une liste (« la 2 » après une liste).`)),
      state: c.state,
    };
  }
  return runIntent(c, intent, e);
}

/** The counsellor side of the assistant: every journey reads the store within `ctx.actor.scope` only. */
export const counsellorRouter: Router = {
  onAction: (ctx, action) => turn(ctx, (c) => runAction(c, action)),

  onIntent: (ctx, intent, understanding, message) => turn(ctx, (c) => handleIntent(c, intent, understanding, message)),

  async onPending(raw, understanding, message) {
    const pending = raw.state.pending;
    const answer = bareAnswer(understanding);
    if (pending?.kind === 'confirm_write' && answer !== undefined) {
      const ctx = asCounsellor(raw);
      await rememberTeamsAddress(ctx);
      return answerConfirmation(ctx, answer === 'yes');
    }
    if (pending?.kind !== 'log_contact_note') return undefined;
    const ctx = asCounsellor(raw);
    await rememberTeamsAddress(ctx);
    return answerPendingNote(ctx, pending.youthId, message, answer === 'no');
  },
};
