import type { Understanding } from '../../nlu/index.js';
import type { HandlerResult, Router, TurnContext } from '../context.js';
import type { Action, CoreIntent } from '../actions.js';
import { greetingName, helpReplyFor } from '../common.js';
import { reply, text } from '../replies.js';
import { searchFromMessage, showSearch, widen } from './search.js';
import { applyToMission, missionDetails, resolveMissionRef } from './missions.js';
import { myApplications } from './applications.js';
import { answerEligibility, showMeasure, showSupport, tellCounsellorBarrier } from './support.js';
import { answerFaq, showFaqEntry } from './faq.js';
import { appointments, contactCounsellor } from './contact.js';
import { linkAccount } from './link.js';
import { bareAnswer } from '../pending.js';
import { askDeleteConfirmation, deleteMyData, showMyData } from './data.js';
import { answerProposal, answerReminder, typedProposalAnswer } from './answers.js';
import { alertMore, listAlerts, resumeMessages, saveAlert, stopAlert, stopAllAlerts, stopMessages } from './alerts.js';

function help(ctx: TurnContext, prefix?: string): HandlerResult {
  const menu = helpReplyFor(ctx.actor);
  return { reply: prefix ? { blocks: [text(prefix), ...menu.blocks] } : menu, state: { ...ctx.state, pending: undefined } };
}

/** The young person's handlers, reached by intent (typed text) or by button. */
export const youthRouter: Router = {
  async onIntent(ctx, intent, u, raw) {
    switch (intent) {
      case 'greeting': {
        const name = greetingName(ctx.actor, ctx.event.displayName);
        return help(ctx, `Salut${name ? ` ${name}` : ''} 👋 Je suis l’assistant Mission Jeunes.`);
      }
      case 'help':
        return help(ctx);
      case 'thanks':
        return { reply: reply(text('Avec plaisir 🙂 Je reste là si tu as besoin.')) };
      case 'search_missions': {
        const home = ctx.actor.kind === 'youth' ? ctx.actor.youth.communeCode : undefined;
        return showSearch(ctx, searchFromMessage(u, ctx.state.lastSearch, home), false);
      }
      case 'mission_details':
        return missionDetails(ctx, resolveMissionRef(ctx, u), u.entities.aspect);
      case 'apply_mission':
        return applyToMission(ctx, resolveMissionRef(ctx, u));
      case 'my_applications':
        return myApplications(ctx);
      case 'support':
        return showSupport(ctx, u.entities.topic);
      case 'faq':
        return answerFaq(ctx, raw);
      case 'contact_counsellor':
        return contactCounsellor(ctx);
      case 'appointment':
        return appointments(ctx, u.signals.newAppointment === true);
      case 'link_account':
        return linkAccount(ctx, u.entities.code);
      case 'delete_data':
        return u.signals.deletion ? askDeleteConfirmation(ctx) : showMyData(ctx);
      case 'appointment_request':
        return appointments(ctx, true);
      case 'delete_data_confirm':
        return askDeleteConfirmation(ctx);
      case 'alerts':
        // Within the `alerts` intent: stop them all, or list them (anything else saves one).
        if (u.signals.stopping) return stopAllAlerts(ctx);
        if (u.signals.listing) return listAlerts(ctx);
        return saveAlert(ctx, u);
      case 'alerts_list':
        return listAlerts(ctx);
      case 'alerts_stop_all':
        return stopAllAlerts(ctx);
      case 'stop_messages':
        return stopMessages(ctx);
      case 'resume_messages':
        return resumeMessages(ctx);
      default:
        return help(ctx, 'Je ne suis pas sûr de comprendre. Voici ce que je peux faire :');
    }
  },

  async onAction(ctx, action: Action) {
    switch (action.kind) {
      case 'intent':
        return onIntentButton(ctx, action.intent);
      case 'mission_details':
        return missionDetails(ctx, action.missionId);
      case 'apply':
        return applyToMission(ctx, action.missionId);
      case 'search_page':
        if (!ctx.state.lastSearch) return help(ctx, 'Cette liste n’est plus disponible. Relance une recherche :');
        return showSearch(ctx, { ...ctx.state.lastSearch, page: action.page }, true);
      case 'search_widen':
        if (!ctx.state.lastSearch) return help(ctx, 'Cette recherche n’est plus disponible. Relance une recherche :');
        return showSearch(ctx, widen(ctx.state.lastSearch, action.scope), false);
      case 'support_topic':
        return showSupport(ctx, action.topic);
      case 'measure':
        return showMeasure(ctx, action.key);
      case 'eligibility_answer':
        return answerEligibility(ctx, action.key, action.rule, action.yes);
      case 'tell_counsellor_barrier':
        return tellCounsellorBarrier(ctx, action.topic);
      case 'faq':
        return showFaqEntry(ctx, action.key);
      case 'proposal_answer':
        return answerProposal(ctx, action.missionId, action.yes);
      case 'reminder_answer':
        return answerReminder(ctx, action.appointmentId, action.yes);
      case 'alert_save':
        return saveAlert(ctx);
      case 'alert_stop':
        return stopAlert(ctx, action.savedSearchId);
      case 'alert_more':
        return alertMore(ctx, action.notificationId, action.page);
      case 'confirm':
        if (ctx.state.pending?.kind !== 'confirm_delete') return help(ctx, 'Cette question n’est plus d’actualité.');
        return action.yes ? deleteMyData(ctx) : { reply: reply(text('D’accord, je ne supprime rien.')), state: { ...ctx.state, pending: undefined } };
      default:
        // Counsellor buttons pressed by a youth (forged or foreign): refused without detail.
        return help(ctx, 'Ce bouton n’est pas disponible ici.');
    }
  },

  async onPending(ctx, u: Understanding) {
    const pending = ctx.state.pending;
    if (!pending) return undefined;
    // Only a bare yes/no answers (see pending.ts); a lapsed question was already dropped by the assistant.
    const answer = bareAnswer(u);
    if (pending.kind === 'confirm_delete') {
      if (answer === 'yes') return deleteMyData(ctx);
      if (answer === 'no') return { reply: reply(text('D’accord, je ne supprime rien.')), state: { ...ctx.state, pending: undefined } };
    }
    if (pending.kind === 'eligibility' && answer !== undefined) {
      return answerEligibility(ctx, pending.measureKey, pending.rule, answer === 'yes');
    }
    const proposal = typedProposalAnswer(ctx, u);
    if (proposal) return proposal;
    // Anything else: the question is dropped and the message understood on its own.
    ctx.state = { ...ctx.state, pending: undefined };
    return undefined;
  },
};

/** An intent button: the intent's journey, with no words to read. */
async function onIntentButton(ctx: TurnContext, intent: CoreIntent): Promise<HandlerResult> {
  const none: Understanding = { intent: 'help', confidence: 1, alternatives: [], entities: {}, signals: {} };
  return youthRouter.onIntent(ctx, intent, none, '');
}
