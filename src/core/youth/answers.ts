import type { Understanding } from '../../nlu/index.js';
import type { HandlerResult, TurnContext } from '../context.js';
import { linkFirstReply } from '../common.js';
import { APPLICATION_STATUS_LABELS, formatDateTime } from '../format.js';
import { bareAnswer } from '../pending.js';
import { bold, buttons, intentButton, reply, text } from '../replies.js';
import { applyToMission } from './missions.js';

/**
 * The young person's answers to what the assistant sent them unasked: a counsellor's proposal ("ça m'intéresse" /
 * "non merci") and an appointment reminder ("je confirme" / "je ne peux pas"). Buttons answer at any time; a typed
 * "non merci", "oui" or "ça m'intéresse" answers the proposal only while it is the pending question (`pending.ts`:
 * 5 minutes after it was delivered). Every answer is written once: a second press or a redelivery changes nothing.
 */
export async function answerProposal(ctx: TurnContext, missionId: number, yes: boolean): Promise<HandlerResult> {
  const state = ctx.state.pending?.kind === 'proposal' ? { ...ctx.state, pending: undefined } : ctx.state;
  if (ctx.actor.kind !== 'youth') return { reply: linkFirstReply('répondre à ton conseiller·ère'), state };
  // Yes is the young person's "ça m'intéresse": the application moves from proposed to sent and the counsellor is told.
  if (yes) {
    const result = await applyToMission({ ...ctx, state }, missionId);
    return { ...result, state: result.state ?? state };
  }
  const youth = ctx.actor.youth;
  const answer = await ctx.store.activity.declineProposal(youth.id, missionId, ctx.now);
  const more = buttons(intentButton('search_missions', '🔎 Chercher d’autres missions'));
  if (!answer) return { reply: reply(text('D’accord, c’est noté.'), more), state };
  if (!answer.declined) {
    return { reply: reply(text('Tu as déjà répondu à cette proposition (', APPLICATION_STATUS_LABELS[answer.status] ?? answer.status, ').'), more), state };
  }
  await ctx.store.notifications.enqueueNotification({ kind: 'proposal_answer', counsellorId: youth.counsellorId, youthId: youth.id, missionId, applicationId: answer.id, answer: 'no' });
  await ctx.audit('answer_proposal', youth.id, { missionId, applicationId: answer.id, answer: 'no' });
  return { reply: reply(text('D’accord, je préviens ton conseiller·ère que cette mission ne t’intéresse pas. Merci d’avoir répondu 🙂'), more), state };
}

/**
 * A typed answer while a delivered proposal is the pending question: a bare yes/no ("oui", "non merci"), or
 * "ça m'intéresse" that names no other mission. Anything else is not an answer (undefined).
 */
export function typedProposalAnswer(ctx: TurnContext, u: Understanding): Promise<HandlerResult> | undefined {
  const pending = ctx.state.pending;
  if (pending?.kind !== 'proposal') return undefined;
  const answer = bareAnswer(u);
  if (answer) return answerProposal(ctx, pending.missionId, answer === 'yes');
  const namesOther = u.entities.mission_ref !== undefined || u.signals.ordinal !== undefined;
  if (u.intent === 'apply_mission' && !namesOther) return answerProposal(ctx, pending.missionId, true);
  return undefined;
}

/** "Je confirme" (recorded on the appointment) or "je ne peux pas" (a reschedule request for the counsellor). */
export async function answerReminder(ctx: TurnContext, appointmentId: number, yes: boolean): Promise<HandlerResult> {
  if (ctx.actor.kind !== 'youth') return { reply: linkFirstReply('répondre à ce rappel') };
  const youth = ctx.actor.youth;
  const appointment = await ctx.store.reminders.findAppointmentForReminder(appointmentId);
  // Someone else's appointment (a forged button) reads exactly like a gone one.
  if (!appointment || appointment.youthId !== youth.id || appointment.status !== 'planned' || appointment.at < ctx.now) {
    return { reply: reply(text('Ce rendez-vous n’est plus prévu (annulé, déplacé ou passé).'), buttons(intentButton('appointment'))) };
  }
  const when = formatDateTime(appointment.at);
  if (yes) {
    const confirmed = await ctx.store.reminders.confirmAppointment(appointment.id, youth.id, appointment.at, ctx.now);
    await ctx.audit('confirm_appointment', youth.id, { appointmentId: appointment.id, recorded: confirmed });
    return { reply: reply(text('C’est noté ✅ Rendez-vous confirmé : ', bold(when), ` (${appointment.place}).`)) };
  }
  const request = await ctx.store.activity.recordRequest(youth.id, 'reschedule', `Ne peut pas venir au rendez-vous du ${when} : demande une autre date.`, appointment.id);
  await ctx.store.notifications.enqueueNotification({ kind: 'youth_request', counsellorId: youth.counsellorId, youthId: youth.id, requestId: request.id, requestKind: 'reschedule' });
  await ctx.audit('reschedule_request', youth.id, { appointmentId: appointment.id, created: request.created });
  const who = `${appointment.counsellor.firstName} ${appointment.counsellor.lastName}`;
  return {
    reply: reply(
      request.created
        ? text('Compris. J’ai demandé à ', bold(who), ' une autre date pour le rendez-vous du ', bold(when), '. Tu seras recontacté·e.')
        : text('Ta demande d’une autre date pour le rendez-vous du ', bold(when), ' est déjà transmise.'),
    ),
  };
}
