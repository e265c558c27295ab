import type { TestDatabase } from './db.js';
import { createOutbox } from '../../src/core/outbox.js';
import type { Reply } from '../../src/core/types.js';

/**
 * The named store queries a dialogue file may check ("rows that must / must not exist afterwards"), so YAML never
 * holds SQL. Each takes the youth named in the file ("Léa Martin") and the conversation's channel user id, and
 * returns a count; the runner compares it with the count before the conversation started.
 */
export type RowQuery = (db: TestDatabase, youthName: string, channelUserId: string) => Promise<number>;

async function youthId(db: TestDatabase, name: string): Promise<number> {
  const [firstName, ...rest] = name.trim().split(/\s+/);
  const y = await db.connection.db.youth.findFirst({ where: { firstName: firstName ?? '', lastName: rest.join(' ') }, select: { id: true } });
  if (!y) throw new Error(`no demo youth named ${name}`);
  return y.id;
}

export const ROW_QUERIES: Record<string, RowQuery> = {
  /** 1 while this conversation's Telegram account is linked to the youth's file. */
  telegram_link: async (db, name, user) => db.connection.db.youth.count({ where: { id: await youthId(db, name), telegramUserId: user } }),
  /** Applications of every source (the youth's own interest and counsellor proposals). */
  applications: async (db, name) => db.connection.db.application.count({ where: { youthId: await youthId(db, name) } }),
  youth_interests: async (db, name) => db.connection.db.application.count({ where: { youthId: await youthId(db, name), source: 'youth' } }),
  proposals: async (db, name) => db.connection.db.application.count({ where: { youthId: await youthId(db, name), source: 'counsellor_proposal' } }),
  contact_notes: async (db, name) => db.connection.db.interaction.count({ where: { youthId: await youthId(db, name) } }),
  link_codes: async (db, name) => db.connection.db.linkCode.count({ where: { youthId: await youthId(db, name) } }),
  open_barriers: async (db, name) => db.connection.db.barrier.count({ where: { youthId: await youthId(db, name), status: { not: 'resolved' } } }),
  requests: async (db, name) => db.connection.db.youthRequest.count({ where: { youthId: await youthId(db, name) } }),
  /** Counsellor proposals the youth answered yes (now sent) or no (declined). */
  accepted_proposals: async (db, name) => db.connection.db.application.count({ where: { youthId: await youthId(db, name), source: 'counsellor_proposal', status: 'sent', answeredAt: { not: null } } }),
  declined_proposals: async (db, name) => db.connection.db.application.count({ where: { youthId: await youthId(db, name), status: 'declined' } }),
  /** Answers to proposals queued for the counsellor's Teams. */
  proposal_answers: async (db, name) => db.connection.db.notification.count({ where: { youthId: await youthId(db, name), kind: 'proposal_answer' } }),
  reschedule_requests: async (db, name) => db.connection.db.youthRequest.count({ where: { youthId: await youthId(db, name), kind: 'reschedule' } }),
  confirmed_appointments: async (db, name) => db.connection.db.appointment.count({ where: { youthId: await youthId(db, name), confirmedAt: { not: null } } }),
  /** Saved searches ("🔔 Préviens-moi" alerts) of the youth. */
  saved_searches: async (db, name) => db.connection.db.savedSearch.count({ where: { youthId: await youthId(db, name) } }),
  /** 1 while the youth accepts messages from the bot (consent given, not withdrawn by "stop"). */
  messages_consent: async (db, name) => db.connection.db.youth.count({ where: { id: await youthId(db, name), consentAt: { not: null } } }),
  /** The dialogue state kept for this conversation's user (0 after a deletion). */
  dialogue_state: async (db, _name, user) => db.connection.db.conversationState.count({ where: { channelUserId: user } }),
};

/** Links a fresh Telegram user id to the named youth, as a used link code would (the link journey has its own files). */
export async function linkTelegramUser(db: TestDatabase, name: string, user: string): Promise<void> {
  await db.connection.db.youth.update({ where: { id: await youthId(db, name) }, data: { telegramUserId: user, telegramChatId: user, linkedAt: db.now } });
}

/** The Teams AAD object id of the named demo counsellor. */
export async function counsellorAadId(db: TestDatabase, name: string): Promise<string> {
  const [firstName, ...rest] = name.trim().split(/\s+/);
  const c = await db.connection.db.counsellor.findFirst({ where: { firstName: firstName ?? '', lastName: rest.join(' ') }, select: { aadObjectId: true } });
  if (!c?.aadObjectId) throw new Error(`no demo counsellor named ${name}`);
  return c.aadObjectId;
}

/**
 * What the assistant sends a youth unasked, made as the service would: a counsellor's proposal of a mission
 * (the application recorded, the message queued) or an appointment reminder `days` before an appointment of theirs;
 * then rendered by the real outbox at `now`, as delivered. Returns the rendered reply.
 */
export async function deliverToYouth(db: TestDatabase, name: string, what: { proposal?: number; reminder_days?: 7 | 1 }, now: Date): Promise<Reply> {
  const id = await youthId(db, name);
  const youth = await db.connection.db.youth.findUniqueOrThrow({ where: { id }, select: { counsellorId: true } });
  let notificationId: number;
  if (what.proposal !== undefined) {
    await db.store.activity.recordApplication(id, what.proposal, 'counsellor_proposal', now);
    notificationId = await db.store.notifications.enqueueNotification({ kind: 'mission_proposal', youthId: id, missionId: what.proposal, counsellorId: youth.counsellorId });
  } else {
    const days = what.reminder_days ?? 7;
    const at = new Date(now.getTime() + days * 86_400_000 + 2 * 3_600_000);
    const a = await db.connection.db.appointment.create({ data: { youthId: id, counsellorId: youth.counsellorId, at, place: 'Mission locale' } });
    notificationId = await db.store.notifications.enqueueNotification({ kind: 'appointment_reminder', youthId: id, appointmentId: a.id, at: at.toISOString(), daysBefore: days });
  }
  const n = await db.store.notifications.findNotification(notificationId);
  const prepared = await createOutbox(db.store, () => now).prepare(n!);
  if (prepared.state !== 'ready') throw new Error(`nothing to deliver to ${name}: ${JSON.stringify(prepared)}`);
  await db.store.notifications.markNotificationSent(notificationId);
  // What the delivery engine does once the message is out (a proposal becomes the pending question).
  await prepared.sent?.();
  return prepared.delivery.reply;
}
