import type { NotificationInput, Store } from '../store/index.js';
import { formatDateTime } from './format.js';
import { bold, button, buttons, reply, text } from './replies.js';
import type { Reply } from './types.js';

type ReminderPayload = Extract<NotificationInput, { kind: 'appointment_reminder' }>;

/**
 * The D-7 / D-1 appointment reminder a young person receives on Telegram, rendered at delivery time: null
 * (nothing sent) when the appointment was cancelled or moved since (a moved one has reminders of its own), or
 * when the young person already said they cannot come (the counsellor has their request for another date).
 * "Je confirme" is recorded on the appointment; "je ne peux pas" asks the counsellor for another date (a
 * reschedule request, which alerts them in Teams). Both are answered in `youth/answers.ts`.
 */
export async function renderAppointmentReminder(store: Store, p: ReminderPayload): Promise<Reply | null> {
  const appointment = await store.reminders.findAppointmentForReminder(p.appointmentId);
  if (!appointment || appointment.youthId !== p.youthId || appointment.status !== 'planned') return null;
  if (appointment.at.toISOString() !== p.at) return null;
  if (await store.reminders.hasOpenRescheduleRequest(appointment.id)) return null;
  const when = p.daysBefore === 1 ? 'demain' : 'dans une semaine';
  const who = `${appointment.counsellor.firstName} ${appointment.counsellor.lastName}`;
  return reply(
    text('📅 Rappel : tu as rendez-vous ', when, ' avec ', bold(who), ', ', bold(formatDateTime(appointment.at)), ` (${appointment.place}).`),
    buttons(
      button('✅ Je confirme', { kind: 'reminder_answer', appointmentId: appointment.id, yes: true }, 'primary'),
      button('🙅 Je ne peux pas', { kind: 'reminder_answer', appointmentId: appointment.id, yes: false }),
    ),
  );
}
