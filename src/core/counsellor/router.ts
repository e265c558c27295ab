import type { Action, CoreIntent } from '../actions.js';
import type { Reference } from '../policy.js';
import type { HandlerResult, Router, TurnContext } from '../context.js';
import { reply, text } from '../replies.js';
import { decodeAction } from '../actions.js';
import { bareAnswer } from '../pending.js';
import { askToConfirm } from './confirm.js';
import { answerConfirmation } from './confirmed.js';
import { missionDetailsForCounsellor, missionsToProposeTo, pickYouthFor, searchMissionsForCounsellor } from './missions.js';
import { onlyItems } from '../lists-words.js';
import type { Understanding } from '../../nlu/index.js';
import { rememberTeamsAddress } from './address.js';
import { asCounsellor, type CounsellorContext } from './context.js';
import { readEntities, type CounsellorEntities } from './entities.js';
import { exportFocusYouth, exportYouth } from './export.js';
import { counsellorMenu, smallTalk } from './help.js';
import { linkCodeByName, createLinkCode } from './link-code.js';
import { LIST_OF_INTENT, normaliseQuery, showList, showPage } from './lists.js';
import { answerPendingNote, askForNote, logContactByName } from './log-contact.js';
import { caseloadOverview } from './overview.js';
import { setDigest } from './digest.js';
import { proposeByName, proposeMission } from './propose.js';
import { programmeStats } from './stats.js';
import { showYouthFile, youthSummaryByName } from './summary.js';

/**
 * One journey per intent. `u` is the message's reading when the intent comes from a message (a button carries
 * none); `refers` is what the policy resolved the message to point at ("la 2").
 */
function runIntent(ctx: CounsellorContext, intent: CoreIntent, u?: Understanding, refers?: Reference): Promise<HandlerResult> | HandlerResult {
  const e: CounsellorEntities = u ? readEntities(u) : {};
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
      return logContactByName(ctx, e.person, e.note, e.contactChannel);
    case 'programme_stats':
      return programmeStats(ctx, e.days, e.period);
    case 'daily_digest':
      // "arrête le digest" (a stop word in the message) turns it off; the overview's button turns it on.
      return setDigest(ctx, !u?.signals.stopping);
    case 'search_missions':
      if (u) return searchMissionsForCounsellor(ctx, u);
      return searchMissionsForCounsellor(ctx, undefined, ctx.state.lastSearch ? { ...ctx.state.lastSearch, page: 0 } : undefined);
    case 'mission_details':
      if (refers && 'beyond' in refers) return { reply: reply(text(onlyItems(ctx.state.lastList?.ids.length ?? 0))), state: ctx.state };
      return missionDetailsForCounsellor(ctx, refers && 'missionId' in refers ? refers.missionId : e.missionId);
    case 'export_youth_data':
      return exportYouth(ctx, e.person);
    default:
      return smallTalk(ctx, intent);
  }
}

function runAction(ctx: CounsellorContext, action: Action): Promise<HandlerResult> | HandlerResult {
  switch (action.kind) {
    case 'intent':
      return runIntent(ctx, action.intent);
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
    case 'propose_for':
      return missionsToProposeTo(ctx, action.youthId);
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

/** An understood message, as the policy decided it: the focus it set, then the intent's journey. */
function handleIntent(c: CounsellorContext, intent: CoreIntent, u: Understanding, refers: Reference | undefined): Promise<HandlerResult> | HandlerResult {
  // The position only sets the focus; the scope is re-checked by the journey like any id.
  if (refers && 'youthId' in refers) c.state = { ...c.state, focusYouthId: refers.youthId };
  if (refers && 'numberAlone' in refers) {
    return {
      reply: reply(text(`Un numéro seul ne désigne personne : donnez le prénom et le nom (« fiche de Léa Martin »), ou choisissez-le dans une liste (« la 2 » après une liste).`)),
      state: c.state,
    };
  }
  return runIntent(c, intent, u, refers);
}

/** The counsellor side of the assistant: every journey reads the store within `ctx.actor.scope` only. */
export const counsellorRouter: Router = {
  onAction: (ctx, action) => turn(ctx, (c) => runAction(c, action)),

  onIntent: (ctx, intent, understanding, _text, refers) => turn(ctx, (c) => handleIntent(c, intent, understanding, refers)),

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
    return answerPendingNote(ctx, pending.youthId, message, understanding);
  },
};
