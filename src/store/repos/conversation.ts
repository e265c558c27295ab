import { z } from 'zod';
import type { Db, Prisma } from '../client.js';
import { channelSchema, parseInput, type ChannelName } from '../schemas.js';
import { jsonText, readRows, sql, typed, writeRows } from '../sql.js';

/** Built once: building a schema costs more than the statement it guards. */
const eventIdSchema = z.string().min(1).max(200);

const userIdSchema = z.string().min(1).max(200);

const stateRow = z.object({ state: jsonText });

/**
 * The stored dialogue state of a channel user, or null. The core owns its shape and validates it.
 * On a transaction client this reads inside the transaction (the turn writes this row).
 */
export async function loadConversationState(db: Db, channel: ChannelName, channelUserId: string): Promise<unknown> {
  const c = parseInput(channelSchema, channel, 'channel');
  const u = parseInput(userIdSchema, channelUserId, 'channel user id');
  const [row] = await readRows(db, stateRow, () => sql`SELECT CAST("state" AS TEXT) AS "state" FROM "ConversationState" WHERE "channel" = ${typed(c, '"Channel"')} AND "channelUserId" = ${u}`);
  return row?.state ?? null;
}

/** Creates or replaces the state in one statement (an upsert through the ORM is a read and a write). */
export async function saveConversationState(db: Db, channel: ChannelName, channelUserId: string, state: unknown): Promise<void> {
  const c = parseInput(channelSchema, channel, 'channel');
  const u = parseInput(userIdSchema, channelUserId, 'channel user id');
  const json = JSON.stringify(state ?? null);
  await writeRows(
    db,
    () => sql`INSERT INTO "ConversationState" ("channel", "channelUserId", "state", "updatedAt") VALUES (${typed(c, '"Channel"')}, ${u}, ${typed(json, 'jsonb')}, ${new Date()})
      ON CONFLICT ("channel", "channelUserId") DO UPDATE SET "state" = excluded."state", "updatedAt" = excluded."updatedAt"`,
  );
}

export async function deleteConversationState(db: Db, channel: ChannelName, channelUserId: string): Promise<void> {
  await db.conversationState.deleteMany({ where: { channel, channelUserId: parseInput(userIdSchema, channelUserId, 'channel user id') } });
}

/** Deletes dialogue states untouched since `before`; returns how many. */
export async function purgeConversationStates(db: Db, before: Date): Promise<number> {
  return (await db.conversationState.deleteMany({ where: { updatedAt: { lt: before } } })).count;
}

/**
 * Marks a channel delivery as handled. Returns false when it was already handled (a redelivery):
 * the unique index decides, so two workers racing on the same update agree. Called first in the turn's
 * transaction, so the mark commits with the turn's writes or not at all. `ON CONFLICT DO NOTHING` says "already
 * handled" in one statement, without an error that would abort the enclosing PostgreSQL transaction; after
 * `false` the caller writes nothing more.
 */
export async function markEventProcessed(db: Db, channel: ChannelName, eventId: string): Promise<boolean> {
  const c = parseInput(channelSchema, channel, 'channel');
  const e = parseInput(eventIdSchema, eventId, 'event id');
  const inserted = await writeRows(
    db,
    () => sql`INSERT INTO "ProcessedUpdate" ("channel", "eventId", "processedAt") VALUES (${typed(c, '"Channel"')}, ${e}, ${new Date()})
      ON CONFLICT ("channel", "eventId") DO NOTHING`,
  );
  return inserted === 1;
}

/**
 * Keeps the reply of the turn handling this delivery, in its transaction, until the reply is claimed for sending
 * (`claimReply`). A turn whose COMMIT was kept while its connection dropped (it could not tell) has no sender: the
 * platform's redelivery finds the reply here and sends it, instead of taking the delivery as done and silent.
 */
export async function keepReply(db: Db, channel: ChannelName, eventId: string, reply: unknown): Promise<void> {
  const c = parseInput(channelSchema, channel, 'channel');
  const e = parseInput(eventIdSchema, eventId, 'event id');
  await writeRows(db, () => sql`UPDATE "ProcessedUpdate" SET "reply" = ${JSON.stringify(reply)} WHERE "channel" = ${typed(c, '"Channel"')} AND "eventId" = ${e}`);
}

const replyRow = z.object({ reply: jsonText });

/** The kept reply of a handled delivery that nobody has claimed yet, or null. */
export async function unclaimedReply(db: Db, channel: ChannelName, eventId: string): Promise<unknown> {
  const c = parseInput(channelSchema, channel, 'channel');
  const e = parseInput(eventIdSchema, eventId, 'event id');
  const [row] = await readRows(db, replyRow, () => sql`SELECT "reply" FROM "ProcessedUpdate" WHERE "channel" = ${typed(c, '"Channel"')} AND "eventId" = ${e} AND "reply" IS NOT NULL`);
  return row?.reply ?? null;
}

/**
 * Takes the kept reply of a delivery for sending: true for exactly one caller (the turn that wrote it, or a
 * redelivery if that turn could not), whatever the processes racing. The reply is erased as it is claimed: it
 * may name people, and it is not needed once someone sends it.
 */
export async function claimReply(db: Db, channel: ChannelName, eventId: string): Promise<boolean> {
  const c = parseInput(channelSchema, channel, 'channel');
  const e = parseInput(eventIdSchema, eventId, 'event id');
  // Not synced on SQLite: a claim undone by a power cut only lets a redelivery send the reply again (never lose it).
  const claimed = await writeRows(db, () => sql`UPDATE "ProcessedUpdate" SET "reply" = NULL WHERE "channel" = ${typed(c, '"Channel"')} AND "eventId" = ${e} AND "reply" IS NOT NULL`, { synced: false });
  return claimed === 1;
}

/** Forgets a delivery id, so a redelivery of it is handled again (tools; a failed turn rolls its mark back by itself). */
export async function unmarkEventProcessed(db: Db, channel: ChannelName, eventId: string): Promise<void> {
  await db.processedUpdate.deleteMany({ where: { channel, eventId } });
}

export async function purgeProcessedEvents(db: Db, before: Date): Promise<number> {
  return (await db.processedUpdate.deleteMany({ where: { processedAt: { lt: before } } })).count;
}

/** Remembers how to reach a user proactively (a Teams conversation reference, a Telegram chat id). */
export async function saveChannelAddress(db: Db, channel: ChannelName, channelUserId: string, reference: unknown): Promise<void> {
  const key = { channel: parseInput(channelSchema, channel, 'channel'), channelUserId: parseInput(userIdSchema, channelUserId, 'channel user id') };
  const json = reference as Prisma.InputJsonValue;
  await db.channelAddress.upsert({ where: { channel_channelUserId: key }, create: { ...key, reference: json }, update: { reference: json } });
}

const referenceRow = z.object({ reference: jsonText });

/** How to reach a user proactively, or null. Read on every Teams turn (to notice a changed reference): one statement. */
export async function findChannelAddress(db: Db, channel: ChannelName, channelUserId: string): Promise<unknown> {
  const c = parseInput(channelSchema, channel, 'channel');
  const u = parseInput(userIdSchema, channelUserId, 'channel user id');
  const [row] = await readRows(db, referenceRow, () => sql`SELECT CAST("reference" AS TEXT) AS "reference" FROM "ChannelAddress" WHERE "channel" = ${typed(c, '"Channel"')} AND "channelUserId" = ${u}`);
  return row?.reference ?? null;
}
