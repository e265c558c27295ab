import type { HandlerResult } from '../context.js';
import { bold, button, buttons, reply, text } from '../replies.js';
import { formatShortDate } from '../format.js';
import type { ContactChannel, Understanding } from '../../nlu/index.js';
import { asking } from '../pending.js';
import { askToConfirm } from './confirm.js';
import { withState, type CounsellorContext } from './context.js';
import { fullName, notInScope, resolveYouth, youthInScope } from './resolve.js';

const CHANNEL_LABELS: Record<ContactChannel, string> = { phone: 'appel', meeting: 'entretien', message: 'message' };
const MAX_NOTE = 2000;

/**
 * "note pour Léa Martin : appelée, dispo lundi": asks to confirm the note when it is there, asks for it otherwise.
 * `channel` is how the contact happened, as the NLU read it from the note.
 */
export async function logContactByName(ctx: CounsellorContext, person: string | undefined, note: string | undefined, channel: ContactChannel = 'message'): Promise<HandlerResult> {
  const found = await resolveYouth(ctx, person, (youthId) => ({ kind: 'log_contact', youthId }), 'noter un contact');
  if (found.kind === 'answer') return found.result;
  return note ? askToConfirm(ctx, { kind: 'note', youthId: found.youth.id, note: note.trim().slice(0, MAX_NOTE), channel }) : askForNote(ctx, found.youth.id);
}

/** Asks for the note; the next message of this counsellor is taken as the note (pending `log_contact_note`). */
export async function askForNote(ctx: CounsellorContext, youthId: number): Promise<HandlerResult> {
  const youth = await youthInScope(ctx, youthId);
  if (!youth) return notInScope();
  return {
    reply: reply(text('Quelle note voulez-vous enregistrer pour ', bold(fullName(youth)), ' ? Écrivez-la dans votre prochain message (ou « annuler »).')),
    state: asking({ ...ctx.state, focusYouthId: youth.id }, { kind: 'log_contact_note', youthId: youth.id }, ctx.now),
  };
}

/**
 * The answer to a pending `log_contact_note`: the whole message is the note (shown back for confirmation), unless
 * it calls off (a bare "non", or a message starting "annuler", "stop", "laisse tomber": NLU signals).
 */
export async function answerPendingNote(ctx: CounsellorContext, youthId: number, message: string, u: Understanding): Promise<HandlerResult> {
  if (u.signals.answer === 'no' || u.signals.cancel) {
    return withState(ctx, reply(text('D’accord, je n’enregistre rien.')), { pending: undefined });
  }
  return askToConfirm(ctx, { kind: 'note', youthId, note: message.trim().slice(0, MAX_NOTE), channel: u.entities.contactChannel ?? 'message' });
}

/** Once confirmed (`confirm.ts`), logs the contact (its channel read from the note by the NLU) after re-checking the scope. */
export async function saveNote(ctx: CounsellorContext, youthId: number, note: string, channel: ContactChannel): Promise<HandlerResult> {
  const youth = await youthInScope(ctx, youthId);
  if (!youth) return { ...notInScope(), state: { ...ctx.state, pending: undefined } };
  const clean = note.trim().slice(0, MAX_NOTE);
  const logged = await ctx.store.activity.logInteraction({ youthId: youth.id, counsellorId: ctx.actor.counsellor.id, note: clean, channel, at: ctx.now });
  await ctx.audit('log_contact', youth.id, { interactionId: logged.id, channel });
  return withState(
    ctx,
    reply(
      text('📝 Contact noté pour ', bold(fullName(youth)), ` (${CHANNEL_LABELS[channel]}, ${formatShortDate(logged.at)}).`),
      buttons(button('Voir la fiche', { kind: 'youth_summary', youthId: youth.id })),
    ),
    { focusYouthId: youth.id, pending: undefined },
  );
}
