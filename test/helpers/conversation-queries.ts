import type { TestDatabase } from './db.js';

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
