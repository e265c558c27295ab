import { z } from 'zod';
import type { Db, Prisma } from '../client.js';
import { idSchema, parseInput, type ChannelName } from '../schemas.js';
import { isUniqueViolation } from '../errors.js';

/**
 * The delivery engine's records: one row per outgoing message (attempts, next-attempt time, final state) and
 * the unreachable marks of channel addresses. Proactive payloads carry ids only; their text is rendered from
 * the store at delivery time. A deferred reply (a turn's answer that the platform refused for a passing
 * reason) carries the reply itself, already decided, and is emptied once sent.
 */
export const notificationSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('youth_interested'), counsellorId: idSchema, youthId: idSchema, missionId: idSchema, applicationId: idSchema }),
  z.object({ kind: z.literal('youth_request'), counsellorId: idSchema, youthId: idSchema, requestId: idSchema, requestKind: z.enum(['contact', 'appointment', 'barrier', 'reschedule']) }),
  /** The young person's answer to a counsellor's proposal, for their counsellor (Teams). */
  z.object({ kind: z.literal('proposal_answer'), counsellorId: idSchema, youthId: idSchema, missionId: idSchema, applicationId: idSchema, answer: z.enum(['yes', 'no']) }),
  /** A counsellor's daily digest of the Paris day `day`, covering what happened from `since` to `until` (ISO). */
  z.object({ kind: z.literal('counsellor_digest'), counsellorId: idSchema, day: z.iso.date(), since: z.iso.datetime(), until: z.iso.datetime() }),
  z.object({ kind: z.literal('mission_proposal'), youthId: idSchema, missionId: idSchema, counsellorId: idSchema }),
  /** D-7 / D-1 reminder of an appointment at `at` (ISO): a moved appointment is another event, with its own reminders. */
  z.object({ kind: z.literal('appointment_reminder'), youthId: idSchema, appointmentId: idSchema, at: z.iso.datetime(), daysBefore: z.union([z.literal(7), z.literal(1)]) }),
  /** One grouped alert of a Paris day (`day`): new missions matching the young person's saved searches (queued by repos/alerts.ts). */
  z.object({ kind: z.literal('mission_alert'), youthId: idSchema, missionIds: z.array(idSchema).min(1).max(200), day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/) }),
]);
export type NotificationInput = z.infer<typeof notificationSchema>;

const deliverableChannel = z.enum(['telegram', 'teams']);
export type DeliverableChannel = z.infer<typeof deliverableChannel>;

/** A turn's reply, handed to the engine because the platform refused it for a passing reason. */
export const deferredReplySchema = z.object({
  kind: z.literal('deferred_reply'),
  channel: deliverableChannel,
  /** Telegram chat id. */
  address: z.string().regex(/^-?\d{1,20}$/),
  /** The core's `Reply`, as decided by the turn (opaque to the store). */
  reply: z.object({ blocks: z.array(z.unknown()) }).passthrough(),
});
export type DeferredReplyInput = z.infer<typeof deferredReplySchema> & {
  /** The platform's delivery id of the update answered (Telegram update_id): deferring it twice queues it once. */
  eventId: string;
  /** Messages of the reply already sent. */
  partsSent: number;
  notBefore: Date;
};

/** What a payload becomes once a deferred reply is sent: the text is not kept. */
const SENT_REPLY_PAYLOAD = { kind: 'deferred_reply', sent: true } as const;

export type OutgoingPayload = NotificationInput | z.infer<typeof deferredReplySchema>;
const payloadSchema = z.union([notificationSchema, deferredReplySchema]);

/** The channel a proactive message goes out on follows from its kind. */
export function channelOfKind(kind: NotificationInput['kind']): DeliverableChannel {
  return kind === 'mission_proposal' || kind === 'appointment_reminder' || kind === 'mission_alert' ? 'telegram' : 'teams';
}

/** One notification per event: a replayed turn (after a failure, a redelivery) enqueues nothing new. */
function dedupeKeyOf(v: NotificationInput): string {
  switch (v.kind) {
    case 'youth_interested':
      return `youth_interested:${v.applicationId}`;
    case 'youth_request':
      return `youth_request:${v.requestId}`;
    case 'mission_proposal':
      return `mission_proposal:${v.youthId}:${v.missionId}`;
    case 'appointment_reminder':
      return `appointment_reminder:${v.appointmentId}:${v.daysBefore}:${v.at}`;
    case 'proposal_answer':
      // One answer per proposal: a second press or a redelivery tells the counsellor nothing new.
      return `proposal_answer:${v.applicationId}`;
    case 'counsellor_digest':
      return `counsellor_digest:${v.counsellorId}:${v.day}`;
    case 'mission_alert':
      return `mission_alert:${v.youthId}:${v.day}`;
  }
}

async function createOnce(db: Db, dedupeKey: string, data: Omit<Prisma.NotificationUncheckedCreateInput, 'dedupeKey'>): Promise<number> {
  const existing = await db.notification.findUnique({ where: { dedupeKey }, select: { id: true } });
  if (existing) return existing.id;
  try {
    return (await db.notification.create({ data: { ...data, dedupeKey }, select: { id: true } })).id;
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
    return (await db.notification.findUniqueOrThrow({ where: { dedupeKey }, select: { id: true } })).id;
  }
}

/** Enqueues a notification once per event (idempotent); returns its id. */
export async function enqueueNotification(db: Db, n: NotificationInput): Promise<number> {
  const v = parseInput(notificationSchema, n, 'notification');
  return createOnce(db, dedupeKeyOf(v), {
    kind: v.kind,
    channel: channelOfKind(v.kind),
    counsellorId: channelOfKind(v.kind) === 'teams' && 'counsellorId' in v ? v.counsellorId : null,
    youthId: 'youthId' in v ? v.youthId : null,
    payload: v as unknown as Prisma.InputJsonValue,
  });
}

/** Queues a turn's reply for later delivery, once per answered update (idempotent); returns its id. */
export async function enqueueDeferredReply(db: Db, input: DeferredReplyInput): Promise<number> {
  const { eventId, partsSent, notBefore, ...rest } = input;
  const payload = parseInput(deferredReplySchema, rest, 'deferred reply');
  const parts = parseInput(z.number().int().min(0).max(100), partsSent, 'parts sent');
  const key = parseInput(z.string().min(1).max(100), eventId, 'event id');
  return createOnce(db, `reply:${payload.channel}:${key}`, {
    kind: 'deferred_reply',
    channel: payload.channel,
    payload: payload as unknown as Prisma.InputJsonValue,
    partsSent: parts,
    nextAttemptAt: notBefore,
  });
}

/** Ids of pending messages due at `now` on the given channels, oldest first. */
export async function listDueNotifications(db: Db, channels: DeliverableChannel[], now: Date, take = 200): Promise<number[]> {
  if (channels.length === 0) return [];
  const rows = await db.notification.findMany({
    where: { status: 'pending', channel: { in: channels }, nextAttemptAt: { lte: now } },
    orderBy: { id: 'asc' },
    take,
    select: { id: true },
  });
  return rows.map((r) => r.id);
}

/** Pending messages on the given channels, due or not (queue depth). */
export async function countPendingNotifications(db: Db, channels?: DeliverableChannel[]): Promise<number> {
  return db.notification.count({ where: { status: 'pending', ...(channels ? { channel: { in: channels } } : {}) } });
}

/** A message as the engine sees it before an attempt. */
export interface OutgoingNotification {
  id: number;
  channel: DeliverableChannel;
  status: 'pending' | 'sent' | 'failed' | 'unreachable';
  attempts: number;
  partsSent: number;
  createdAt: Date;
  nextAttemptAt: Date;
  payload: OutgoingPayload;
}

/** Kept for callers of the former API (tests, tools): a pending proactive notification. */
export type PendingNotification = Pick<OutgoingNotification, 'id' | 'attempts'> & { payload: NotificationInput };

/** One message by id; a row whose payload no longer parses is given up (and reported as null). */
export async function findNotification(db: Db, id: number): Promise<OutgoingNotification | null> {
  const row = await db.notification.findUnique({
    where: { id: parseInput(idSchema, id, 'notification id') },
    select: { id: true, channel: true, status: true, attempts: true, partsSent: true, createdAt: true, nextAttemptAt: true, payload: true },
  });
  if (!row) return null;
  const payload = payloadSchema.safeParse(row.payload);
  const channel = deliverableChannel.safeParse(row.channel);
  if (!payload.success || !channel.success) {
    if (row.status === 'pending') await finishNotification(db, row.id, 'failed', 'invalid payload');
    return null;
  }
  return { ...row, channel: channel.data, payload: payload.data };
}

/** Records a successful delivery (final). A deferred reply's text is dropped: it is not needed any more. */
export async function markNotificationSent(db: Db, id: number, partsSent = 0): Promise<void> {
  const at = new Date();
  const row = await db.notification.update({
    where: { id: parseInput(idSchema, id, 'notification id') },
    data: { status: 'sent', sentAt: at, finishedAt: at, attempts: { increment: 1 }, partsSent, lastError: null },
    select: { kind: true },
  });
  if (row.kind === 'deferred_reply') await db.notification.update({ where: { id }, data: { payload: SENT_REPLY_PAYLOAD } });
}

/** Records a failed attempt and when to try again. */
export async function scheduleNotificationRetry(db: Db, id: number, retry: { at: Date; error: string; partsSent: number; countAttempt?: boolean }): Promise<void> {
  await db.notification.update({
    where: { id: parseInput(idSchema, id, 'notification id') },
    data: {
      nextAttemptAt: retry.at,
      lastError: retry.error.slice(0, 200),
      partsSent: retry.partsSent,
      ...(retry.countAttempt === false ? {} : { attempts: { increment: 1 } }),
    },
  });
}

/** Ends a message without delivery: given up (`failed`) or refused for good by the platform (`unreachable`). */
export async function finishNotification(db: Db, id: number, status: 'failed' | 'unreachable', error: string, countAttempt = true): Promise<void> {
  await db.notification.update({
    where: { id: parseInput(idSchema, id, 'notification id') },
    data: { status, finishedAt: new Date(), lastError: error.slice(0, 200), ...(countAttempt ? { attempts: { increment: 1 } } : {}) },
  });
}

const addressKey = z.object({ channel: z.enum(['telegram', 'teams', 'terminal']), channelUserId: z.string().min(1).max(200) });

/**
 * Marks an address as refusing messages for good (bot blocked, chat gone). Telegram chats have no stored
 * reference of their own: the row is created with the chat id as reference.
 */
export async function markAddressUnreachable(db: Db, channel: ChannelName, channelUserId: string, reason: string): Promise<void> {
  const key = parseInput(addressKey, { channel, channelUserId }, 'channel address');
  const mark = { unreachableAt: new Date(), unreachableReason: reason.slice(0, 100) };
  await db.channelAddress.upsert({
    where: { channel_channelUserId: key },
    create: { ...key, reference: { chatId: key.channelUserId }, ...mark },
    update: mark,
  });
}

/** Clears the mark (the user unblocked the bot, wrote again). */
export async function markAddressReachable(db: Db, channel: ChannelName, channelUserId: string): Promise<void> {
  const key = parseInput(addressKey, { channel, channelUserId }, 'channel address');
  await db.channelAddress.updateMany({ where: { ...key, unreachableAt: { not: null } }, data: { unreachableAt: null, unreachableReason: null } });
}

/** True when the address was marked unreachable. */
export async function isAddressUnreachable(db: Db, channel: ChannelName, channelUserId: string): Promise<boolean> {
  const key = parseInput(addressKey, { channel, channelUserId }, 'channel address');
  const row = await db.channelAddress.findUnique({ where: { channel_channelUserId: key }, select: { unreachableAt: true } });
  return !!row?.unreachableAt;
}

/**
 * Takes one attempt of a due message: moves its next-attempt time past `leaseMs` if it is still pending and
 * due, in one conditional write. Only one caller wins, whatever runs it (a pg-boss worker, `npm run jobs`,
 * another process), so a message is never sent twice at once; a caller that dies mid-attempt leaves it due
 * again when the lease ends.
 */
export async function claimNotification(db: Db, id: number, now: Date, leaseMs: number): Promise<boolean> {
  const { count } = await db.notification.updateMany({
    where: { id: parseInput(idSchema, id, 'notification id'), status: 'pending', nextAttemptAt: { lte: now } },
    data: { nextAttemptAt: new Date(now.getTime() + leaseMs) },
  });
  return count === 1;
}
