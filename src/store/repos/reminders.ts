import type { Db } from '../client.js';
import { idSchema, parseInput } from '../schemas.js';

/** A planned appointment of a young person reachable on Telegram. */
export interface RemindableAppointment {
  id: number;
  youthId: number;
  at: Date;
}

/**
 * Planned appointments between `from` and `to` whose young person is linked on Telegram (a youth who deleted
 * their data or unlinked has no chat any more, so gets nothing).
 */
export async function listRemindableAppointments(db: Db, from: Date, to: Date): Promise<RemindableAppointment[]> {
  return db.appointment.findMany({
    where: { status: 'planned', at: { gte: from, lt: to }, youth: { telegramChatId: { not: null }, status: 'active' } },
    select: { id: true, youthId: true, at: true },
    orderBy: { at: 'asc' },
  });
}

/** What a reminder shows, read at delivery time (a cancelled or moved appointment is seen as such). */
export async function findAppointmentForReminder(db: Db, id: number) {
  return db.appointment.findUnique({
    where: { id: parseInput(idSchema, id, 'appointment id') },
    select: { id: true, youthId: true, at: true, place: true, status: true, counsellor: { select: { firstName: true, lastName: true } } },
  });
}

/**
 * "Je confirme" on a reminder: stamps the planned appointment of this young person, for the time it is at (a
 * moved appointment is not confirmed by an answer given for its old time). False when nothing matched.
 */
export async function confirmAppointment(db: Db, id: number, youthId: number, at: Date, now = new Date()): Promise<boolean> {
  const { count } = await db.appointment.updateMany({
    where: { id: parseInput(idSchema, id, 'appointment id'), youthId: parseInput(idSchema, youthId, 'youth id'), status: 'planned', at },
    data: { confirmedAt: now, confirmedFor: at },
  });
  return count === 1;
}

/** True when the young person asked for another date for this appointment and the counsellor has not handled it yet. */
export async function hasOpenRescheduleRequest(db: Db, appointmentId: number): Promise<boolean> {
  return (await db.youthRequest.count({ where: { appointmentId: parseInput(idSchema, appointmentId, 'appointment id'), kind: 'reschedule', status: 'open' } })) > 0;
}
