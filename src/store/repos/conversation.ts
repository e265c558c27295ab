import { z } from 'zod';
import type { Db, Prisma } from '../client.js';
import { channelSchema, parseInput, type ChannelName } from '../schemas.js';
import { isUniqueViolation } from '../errors.js';

const userIdSchema = z.string().min(1).max(200);

/** The stored dialogue state of a channel user, or null. The core owns its shape and validates it. */
export async function loadConversationState(db: Db, channel: ChannelName, channelUserId: string): Promise<unknown> {
  const row = await db.conversationState.findUnique({
    where: { channel_channelUserId: { channel: parseInput(channelSchema, channel, 'channel'), channelUserId: parseInput(userIdSchema, channelUserId, 'channel user id') } },
    select: { state: true },
  });
  return row?.state ?? null;
}

export async function saveConversationState(db: Db, channel: ChannelName, channelUserId: string, state: unknown): Promise<void> {
  const key = { channel: parseInput(channelSchema, channel, 'channel'), channelUserId: parseInput(userIdSchema, channelUserId, 'channel user id') };
  const json = state as Prisma.InputJsonValue;
  await db.conversationState.upsert({ where: { channel_channelUserId: key }, create: { ...key, state: json }, update: { state: json } });
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
 * transaction, so the mark commits with the turn's writes or not at all; after `false` the caller writes nothing
 * more (on PostgreSQL the refused insert has aborted the transaction, which then rolls back).
 */
export async function markEventProcessed(db: Db, channel: ChannelName, eventId: string): Promise<boolean> {
  try {
    await db.processedUpdate.create({ data: { channel: parseInput(channelSchema, channel, 'channel'), eventId: parseInput(z.string().min(1).max(200), eventId, 'event id') } });
    return true;
  } catch (err) {
    if (isUniqueViolation(err)) return false;
    throw err;
  }
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

export async function findChannelAddress(db: Db, channel: ChannelName, channelUserId: string): Promise<unknown> {
  const row = await db.channelAddress.findUnique({ where: { channel_channelUserId: { channel, channelUserId } }, select: { reference: true } });
  return row?.reference ?? null;
}
