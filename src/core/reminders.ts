import type { NotificationInput, Store } from '../store/index.js';
import { formatDateTime } from './format.js';
import { bold, button, buttons, reply, text } from './replies.js';
import type { Reply } from './types.js';

type ReminderPayload = Extract<NotificationInput, { kind: 'appointment_reminder' }>;

/**
 * The D-7 / D-1 appointment reminder a young person receives on Telegram, rendered at delivery time: null
 * (nothing sent) when the appointment was cancelled or moved since (a moved one has reminders of its own).
 * "Je ne peux pas" asks the counsellor for another date (an appointment request, which alerts them in Teams).
 */
export async function renderAppointmentReminder(store: Store, p: ReminderPayload): Promise<Reply | null> {
  const appointment = await store.reminders.findAppointmentForReminder(p.appointmentId);
  if (!appointment || appointment.youthId !== p.youthId || appointment.status !== 'planned') return null;
  if (appointment.at.toISOString() !== p.at) return null;
  const when = p.daysBefore === 1 ? 'demain' : 'dans une semaine';
  const who = `${appointment.counsellor.firstName} ${appointment.counsellor.lastName}`;
  return reply(
    text('📅 Rappel : tu as rendez-vous ', when, ' avec ', bold(who), ', ', bold(formatDateTime(appointment.at)), ` (${appointment.place}).`),
    buttons(
      button('✅ Je confirme', { kind: 'intent', intent: 'thanks' }),
      button('🙅 Je ne peux pas', { kind: 'intent', intent: 'appointment_request' }),
    ),
  );
}
