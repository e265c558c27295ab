import { z } from 'zod';
import type { Db } from '../client.js';
import { isUniqueViolation } from '../errors.js';
import { parseInput } from '../schemas.js';

const runKeySchema = z.string().min(1).max(200);

/**
 * Claims one run of a scheduled job: true for the one caller that records it first (any process, or
 * `npm run jobs -- --once`), false for everybody after. A run that already happened never runs again.
 */
export async function claimJobRun(db: Db, name: string, runKey: string, asOf?: Date): Promise<boolean> {
  const key = parseInput(runKeySchema, runKey, 'job run key');
  try {
    await db.jobRun.create({ data: { name: parseInput(runKeySchema, name, 'job name'), runKey: key, ...(asOf ? { asOf } : {}) }, select: { id: true } });
    return true;
  } catch (err) {
    if (isUniqueViolation(err)) return false;
    throw err;
  }
}

/** Records how a claimed run ended ("ok" or an error class). */
export async function finishJobRun(db: Db, runKey: string, outcome: string): Promise<void> {
  await db.jobRun.update({ where: { runKey: parseInput(runKeySchema, runKey, 'job run key') }, data: { finishedAt: new Date(), outcome: outcome.slice(0, 100) } });
}

/** True when this run was already claimed (ran, or is running). */
export async function hasJobRun(db: Db, runKey: string): Promise<boolean> {
  return (await db.jobRun.count({ where: { runKey: parseInput(runKeySchema, runKey, 'job run key') } })) > 0;
}

/** The time the last successful run of a job ran as of (its "since the last run"), or null before the first. */
export async function lastJobRunAsOf(db: Db, name: string): Promise<Date | null> {
  const row = await db.jobRun.findFirst({
    where: { name: parseInput(runKeySchema, name, 'job name'), outcome: 'ok', asOf: { not: null } },
    orderBy: { asOf: 'desc' },
    select: { asOf: true },
  });
  return row?.asOf ?? null;
}
