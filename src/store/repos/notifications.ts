import { z } from 'zod';
import type { Db, Prisma } from '../client.js';
import { idSchema, parseInput } from '../schemas.js';

/** Payloads carry ids only; the text is rendered from the store at delivery time. */
export const notificationSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('youth_interested'), counsellorId: idSchema, youthId: idSchema, missionId: idSchema, applicationId: idSchema }),
  z.object({ kind: z.literal('youth_request'), counsellorId: idSchema, youthId: idSchema, requestId: idSchema, requestKind: z.enum(['contact', 'appointment', 'barrier']) }),
  z.object({ kind: z.literal('mission_proposal'), youthId: idSchema, missionId: idSchema, counsellorId: idSchema }),
]);
export type NotificationInput = z.infer<typeof notificationSchema>;

export async function enqueueNotification(db: Db, n: NotificationInput): Promise<number> {
  const v = parseInput(notificationSchema, n, 'notification');
  const recipientIsYouth = v.kind === 'mission_proposal';
  const row = await db.notification.create({
    data: {
      kind: v.kind,
      counsellorId: recipientIsYouth ? null : v.counsellorId,
      youthId: v.youthId,
      payload: v as unknown as Prisma.InputJsonValue,
    },
  });
  return row.id;
}

export interface PendingNotification {
  id: number;
  attempts: number;
  payload: NotificationInput;
}

/** Pending notifications of the given kinds, oldest first. */
export async function listPendingNotifications(db: Db, kinds: NotificationInput['kind'][], take = 50): Promise<PendingNotification[]> {
  const rows = await db.notification.findMany({
    where: { status: 'pending', kind: { in: kinds } },
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
