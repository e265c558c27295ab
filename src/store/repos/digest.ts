import { z } from 'zod';
import type { Db } from '../client.js';
import { idSchema, parseInput, type CaseloadScope } from '../schemas.js';
import { readRows, sql } from '../sql.js';
import { followed } from './caseload.js';

/**
 * The counsellor's daily digest: who receives it (opt-in), and the two lists that are "new since the last digest"
 * (interests and requests). The other lists of the digest are the caseload's own (`caseload.ts`), never redefined.
 */

/** Subscribes (`on`) or unsubscribes a counsellor; returns whether they were subscribed before. */
export async function setDigestOptIn(db: Db, counsellorId: number, on: boolean, now = new Date()): Promise<{ wasOn: boolean }> {
  const id = parseInput(idSchema, counsellorId, 'counsellor id');
  const row = await db.counsellor.findUnique({ where: { id }, select: { digestOptInAt: true } });
  const wasOn = row?.digestOptInAt != null;
  if (on && !wasOn) await db.counsellor.update({ where: { id }, data: { digestOptInAt: now } });
  if (!on && wasOn) await db.counsellor.update({ where: { id }, data: { digestOptInAt: null } });
  return { wasOn };
}

const optInRow = z.object({ on: z.coerce.number().int() });

/** Whether the counsellor receives the digest (raw SQL: read on every overview and every digest delivery). */
export async function isDigestOn(db: Db, counsellorId: number): Promise<boolean> {
  const id = parseInput(idSchema, counsellorId, 'counsellor id');
  const [row] = await readRows(db, optInRow, () => sql`SELECT COUNT(*) AS "on" FROM "Counsellor" WHERE "id" = ${id} AND "digestOptInAt" IS NOT NULL`);
  return (row?.on ?? 0) > 0;
}

export interface DigestRecipient {
  id: number;
  /** Where the next digest starts: the end of the last one, or the subscription. */
  since: Date;
}

/** Active counsellors subscribed to the digest, with where their next digest starts. */
export async function listDigestRecipients(db: Db): Promise<DigestRecipient[]> {
  const rows = await db.counsellor.findMany({
    where: { active: true, digestOptInAt: { not: null } },
    select: { id: true, digestOptInAt: true, lastDigestAt: true },
    orderBy: { id: 'asc' },
  });
  return rows.map((r) => ({ id: r.id, since: r.lastDigestAt && r.lastDigestAt > r.digestOptInAt! ? r.lastDigestAt : r.digestOptInAt! }));
}

/** Records that the digest covering up to `until` was queued: the next one starts there. */
export async function markDigestQueued(db: Db, counsellorId: number, until: Date): Promise<void> {
  await db.counsellor.update({ where: { id: parseInput(idSchema, counsellorId, 'counsellor id') }, data: { lastDigestAt: until } });
}

const spanSchema = z.object({ since: z.date(), until: z.date() }).refine((s) => s.since <= s.until, 'since after until');

const interestRow = z.object({
  youthId: z.coerce.number().int(),
  firstName: z.string(),
  lastName: z.string(),
  missionId: z.coerce.number().int(),
  missionTitle: z.string(),
  communeName: z.string(),
  at: z.coerce.date(),
});
export type DigestInterest = z.output<typeof interestRow>;

/**
 * "Ça m'intéresse" of followed youth of `scope` said in [since, until) and not handled yet (status sent): their
 * own, or their yes to a proposal (`answeredAt`). Oldest first.
 */
export async function newInterests(db: Db, scope: CaseloadScope, since: Date, until: Date): Promise<DigestInterest[]> {
  const span = parseInput(spanSchema, { since, until }, 'digest span');
  return readRows(
    db,
    interestRow,
    () => sql`SELECT y."id" AS "youthId", y."firstName", y."lastName", m."id" AS "missionId", m."title" AS "missionTitle", m."communeName",
        COALESCE(a."answeredAt", a."createdAt") AS "at"
      FROM "Application" a JOIN "Youth" y ON y."id" = a."youthId" JOIN "Mission" m ON m."id" = a."missionId"
      WHERE ${followed(scope)} AND a."status" = 'sent' AND (a."source" = 'youth' OR a."answeredAt" IS NOT NULL)
        AND COALESCE(a."answeredAt", a."createdAt") >= ${span.since} AND COALESCE(a."answeredAt", a."createdAt") < ${span.until}
      ORDER BY "at" ASC, a."id" ASC`,
  );
}

const requestRow = z.object({
  youthId: z.coerce.number().int(),
  firstName: z.string(),
  lastName: z.string(),
  kind: z.enum(['contact', 'appointment', 'barrier', 'reschedule']),
  at: z.coerce.date(),
});
export type DigestRequest = z.output<typeof requestRow>;

/** Requests of followed youth of `scope` made in [since, until) and still open. Oldest first. */
export async function newRequests(db: Db, scope: CaseloadScope, since: Date, until: Date): Promise<DigestRequest[]> {
  const span = parseInput(spanSchema, { since, until }, 'digest span');
  return readRows(
    db,
    requestRow,
    () => sql`SELECT y."id" AS "youthId", y."firstName", y."lastName", CAST(r."kind" AS TEXT) AS "kind", r."createdAt" AS "at"
      FROM "YouthRequest" r JOIN "Youth" y ON y."id" = r."youthId"
      WHERE ${followed(scope)} AND r."status" = 'open' AND r."createdAt" >= ${span.since} AND r."createdAt" < ${span.until}
      ORDER BY r."createdAt" ASC, r."id" ASC`,
  );
}
