import { z } from 'zod';
import type { Db } from '../client.js';
import { sql, typed, writeRows } from '../sql.js';
import { channelSchema, idSchema, parseInput } from '../schemas.js';

export const auditEventSchema = z
  .object({
    actorType: z.enum(['youth', 'counsellor', 'anonymous', 'system']),
    /** Internal id of the actor (youth or counsellor id) or a channel user id for anonymous actors. */
    actorId: z.string().min(1).max(80),
    action: z.string().regex(/^[a-z_]+$/).max(60),
    youthId: idSchema.nullish(),
    channel: channelSchema.nullish(),
    /** Ids, counts and outcomes only: never names, texts or phone numbers. */
    detail: z.record(z.string(), z.union([z.string().max(200), z.number(), z.boolean(), z.null()])).optional(),
    /** When it happened; defaults to the database clock. The core passes its own clock so limits and tests agree. */
    at: z.date().optional(),
  })
  .strict();
export type AuditEventInput = z.input<typeof auditEventSchema>;

/** Writes one audit event (one statement on the handle given, inside its transaction if any). */
export async function recordAudit(db: Db, event: AuditEventInput): Promise<void> {
  const e = parseInput(auditEventSchema, event, 'audit event');
  const detail = e.detail === undefined ? null : JSON.stringify(e.detail);
  await writeRows(
    db,
    () => sql`INSERT INTO "AuditEvent" ("at", "actorType", "actorId", "action", "youthId", "channel", "detail")
      VALUES (${e.at ?? new Date()}, ${typed(e.actorType, '"ActorType"')}, ${e.actorId}, ${e.action}, ${e.youthId ?? null},
        ${typed(e.channel ?? null, '"Channel"')}, ${typed(detail, 'jsonb')})`,
  );
}

/** How many times this actor did this action since `since` (rate limits on code attempts read this). */
const actorTypeSchema = z.enum(['youth', 'counsellor', 'anonymous', 'system']);

export async function countAuditSince(db: Db, actorType: z.infer<typeof actorTypeSchema>, actorId: string, action: string, since: Date): Promise<number> {
  return db.auditEvent.count({
    where: { actorType: parseInput(actorTypeSchema, actorType, 'actor type'), actorId, action, at: { gte: since } },
  });
}

/** Every action of this kind across all actors since `since` (global limits over the code space). */
export async function countActionSince(db: Db, action: string, since: Date): Promise<number> {
  return db.auditEvent.count({ where: { action, at: { gte: since } } });
}

/** A youth's access history, oldest first. */
export async function auditHistoryForYouth(db: Db, youthId: number) {
  return db.auditEvent.findMany({
    where: { youthId: parseInput(idSchema, youthId, 'youth id') },
    orderBy: { at: 'asc' },
    select: { at: true, actorType: true, actorId: true, action: true, channel: true, detail: true },
  });
}
