import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPgBossQueue, type JobQueue } from '../../src/store/jobs.js';
import { postgresTestDatabase, type TestDatabase } from '../helpers/db.js';

/**
 * Two service processes starting together each create their queues (pg-boss 10 makes every queue a partition of
 * its job table). Racing creations can deadlock in PostgreSQL; one process then crashed at start-up with
 * "deadlock detected". Here two engines on one database create the same queues at once, in opposite orders.
 */
describe('pg-boss queues created by two engines at once', () => {
  let db: TestDatabase;
  let engines: JobQueue[] = [];
  beforeAll(async () => {
    db = await postgresTestDatabase();
  });
  afterAll(async () => {
    for (const e of engines) await e.stop();
    await db.close();
  });

  it('every queue is created once and takes its job, whoever wins each race (no deadlock at start-up)', async () => {
    engines = await Promise.all([openPgBossQueue(db.url), openPgBossQueue(db.url)]);
    const names = Array.from({ length: 8 }, (_, i) => `race-${i}`);
    await Promise.all([
      Promise.all(names.map((n) => engines[0]!.send(n, { from: 'a' }))),
      Promise.all([...names].reverse().map((n) => engines[1]!.send(n, { from: 'b' }))),
    ]);
    const queues = await db.connection.db.$queryRawUnsafe<{ name: string }[]>(`SELECT name FROM pgboss.queue WHERE name LIKE 'race-%' ORDER BY name`);
    expect(queues.map((q) => q.name)).toEqual([...names].sort());
    // The queues are "stately": one waiting job per queue, whichever engine sent it first.
    const jobs = await db.connection.db.$queryRawUnsafe<{ name: string; n: bigint }[]>(`SELECT name, COUNT(*) AS n FROM pgboss.job WHERE name LIKE 'race-%' GROUP BY name ORDER BY name`);
    expect(jobs.map((j) => [j.name, Number(j.n)])).toEqual([...names].sort().map((n) => [n, 1]));
  }, 120_000);
});
