import { z } from 'zod';
import type { Db, Prisma } from '../client.js';
import { idSchema, parseInput } from '../schemas.js';
import { isUniqueViolation } from '../errors.js';

/** Payloads carry ids only; the text is rendered from the store at delivery time. */
export const notificationSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('youth_interested'), counsellorId: idSchema, youthId: idSchema, missionId: idSchema, applicationId: idSchema }),
  z.object({ kind: z.literal('youth_request'), counsellorId: idSchema, youthId: idSchema, requestId: idSchema, requestKind: z.enum(['contact', 'appointment', 'barrier']) }),
  z.object({ kind: z.literal('mission_proposal'), youthId: idSchema, missionId: idSchema, counsellorId: idSchema }),
]);
export type NotificationInput = z.infer<typeof notificationSchema>;

/** One notification per event: a replayed turn (after a failure, a redelivery) enqueues nothing new. */
function dedupeKeyOf(v: NotificationInput): string {
  switch (v.kind) {
    case 'youth_interested':
      return `youth_interested:${v.applicationId}`;
    case 'youth_request':
      return `youth_request:${v.requestId}`;
    case 'mission_proposal':
      return `mission_proposal:${v.youthId}:${v.missionId}`;
  }
}

/** Enqueues a notification once per event (idempotent); returns its id. */
export async function enqueueNotification(db: Db, n: NotificationInput): Promise<number> {
  const v = parseInput(notificationSchema, n, 'notification');
  const recipientIsYouth = v.kind === 'mission_proposal';
  const dedupeKey = dedupeKeyOf(v);
  const existing = await db.notification.findUnique({ where: { dedupeKey }, select: { id: true } });
  if (existing) return existing.id;
  try {
    const row = await db.notification.create({
      data: {
        kind: v.kind,
        dedupeKey,
        counsellorId: recipientIsYouth ? null : v.counsellorId,
        youthId: v.youthId,
        payload: v as unknown as Prisma.InputJsonValue,
      },
    });
    return row.id;
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
    return (await db.notification.findUniqueOrThrow({ where: { dedupeKey }, select: { id: true } })).id;
  }
}

export interface PendingNotification {
  id: number;
  attempts: number;
  payload: NotificationInput;
}

/** Pending notifications of the given kinds, oldest first, after the id `afterId` (a cursor for callers that skip some). */
export async function listPendingNotifications(db: Db, kinds: NotificationInput['kind'][], take = 50, afterId = 0): Promise<PendingNotification[]> {
  const rows = await db.notification.findMany({
    where: { status: 'pending', kind: { in: kinds }, id: { gt: afterId } },
    orderBy: { id: 'asc' },
    take,
    select: { id: true, attempts: true, payload: true },
  });
  const out: PendingNotification[] = [];
  for (const r of rows) {
    const parsed = notificationSchema.safeParse(r.payload);
    if (parsed.success) out.push({ id: r.id, attempts: r.attempts, payload: parsed.data });
    else await db.notification.update({ where: { id: r.id }, data: { status: 'failed', lastError: 'invalid payload' } });
  }
  return out;
}

export async function markNotificationSent(db: Db, id: number): Promise<void> {
  await db.notification.update({ where: { id: parseInput(idSchema, id, 'notification id') }, data: { status: 'sent', sentAt: new Date(), attempts: { increment: 1 } } });
}

/** Records a failed attempt; after `maxAttempts` the notification is given up (status failed). */
export async function markNotificationFailed(db: Db, id: number, error: string, maxAttempts = 5): Promise<void> {
  const row = await db.notification.update({
    where: { id: parseInput(idSchema, id, 'notification id') },
    data: { attempts: { increment: 1 }, lastError: error.slice(0, 200) },
  });
  if (row.attempts >= maxAttempts) await db.notification.update({ where: { id: row.id }, data: { status: 'failed' } });
}
