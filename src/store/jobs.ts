import type PgBoss from 'pg-boss';
import { isPostgresUrl } from './database-url.js';
import { withTransactionRetry } from './retry.js';
import { TransactionConflictError } from './errors.js';

/**
 * The job engine, behind one small interface so the same job definitions run everywhere: pg-boss on
 * PostgreSQL (jobs, leases and "one at a time per key" in the database, shared by every process), and an
 * in-process queue on the embedded SQLite default (one process, nothing to share).
 */
export interface JobQueue {
  readonly kind: 'pg-boss' | 'in-process';
  /**
   * Queues a job. With a `key`, a job with the same name and key that is already waiting is not queued
   * twice, and two with the same key never run at the same time (pg-boss's "stately" policy).
   */
  send(name: string, data: Record<string, unknown>, options?: { key?: string; startAfter?: Date }): Promise<void>;
  /** Runs `handler` for each job of `name`, up to `concurrency` at once in this process. */
  work(name: string, handler: (data: Record<string, unknown>) => Promise<void>, options?: { concurrency?: number }): Promise<void>;
  /** Stops taking jobs and waits for those running. */
  stop(): Promise<void>;
}

/** Options of the pg-boss queues: our handlers record their own outcome, so pg-boss never retries a job. */
const QUEUE_OPTIONS = { policy: 'stately', retryLimit: 0, expireInSeconds: 300 } as const;

/** pg-boss 10 (the last line that supports Node 20; 11+ needs Node 22), in its own `pgboss` schema. */
export async function openPgBossQueue(url: string, options: { pollingIntervalSeconds?: number } = {}): Promise<JobQueue> {
  // Loaded only on PostgreSQL: the embedded default never pays for its import at start-up.
  const { default: PgBossClass } = await import('pg-boss');
  const boss: PgBoss = new PgBossClass({ connectionString: url, schema: 'pgboss', max: 4, schedule: false, application_name: 'mission-jeunes-jobs' });
  // pg-boss reports connection trouble as events; an unhandled 'error' event would end the process.
  boss.on('error', () => undefined);
  await boss.start();
  const created = new Set<string>();
  const workers: string[] = [];
  // Queue creations of this process one at a time (see `ensure`).
  let creating: Promise<unknown> = Promise.resolve();
  function ensure(name: string): Promise<void> {
    if (created.has(name)) return Promise.resolve();
    const next = creating.then(() => createQueue(name));
    creating = next.catch(() => undefined);
    return next;
  }
  async function createQueue(name: string) {
    if (created.has(name)) return;
    // pg-boss 10 makes each queue a partition of its job table: creations at the same moment deadlock, and
    // PostgreSQL aborts one of them (40P01). This process creates one at a time; against another process (two
    // services starting together) the creation is idempotent (ON CONFLICT DO NOTHING, one statement that rolled
    // back), so it is simply run again.
    await withTransactionRetry(async () => {
      try {
        await boss.createQueue(name, { name, ...QUEUE_OPTIONS });
      } catch (err) {
        // A deadlock is the store's passing conflict: the store's one retry policy applies to it.
        throw (err as { code?: unknown }).code === '40P01' ? new TransactionConflictError(err) : err;
      }
    });
    created.add(name);
  }
  return {
    kind: 'pg-boss',
    async send(name, data, o = {}) {
      await ensure(name);
      await boss.send(name, data, { ...(o.key ? { singletonKey: o.key } : {}), ...(o.startAfter ? { startAfter: o.startAfter } : {}) });
      // Wake this process's idle workers instead of waiting for their next poll.
      for (const id of workers) boss.notifyWorker(id);
    },
    async work(name, handler, o = {}) {
      await ensure(name);
      const id = await boss.work<Record<string, unknown>>(
        name,
        { batchSize: o.concurrency ?? 10, pollingIntervalSeconds: options.pollingIntervalSeconds ?? 0.5 },
        async (jobs) => {
          await Promise.all(jobs.map((j) => handler(j.data)));
        },
      );
      workers.push(id);
    },
    async stop() {
      await boss.stop({ graceful: true, wait: true, timeout: 10_000 });
    },
  };
}

/** The same contract in this process's memory (SQLite default: one process). */
export function createInProcessQueue(): JobQueue {
  const handlers = new Map<string, { run: (data: Record<string, unknown>) => Promise<void>; concurrency: number }>();
  const waiting = new Map<string, { name: string; data: Record<string, unknown>; key?: string; at: number }>();
  const active = new Set<string>();
  const running = new Set<Promise<void>>();
  const timers = new Set<NodeJS.Timeout>();
  let stopped = false;
  let seq = 0;

  function activeCount(name: string) {
    let n = 0;
    for (const k of active) if (k.startsWith(`${name}\u0000`)) n++;
    return n;
  }

  function pump() {
    if (stopped) return;
    const now = Date.now();
    for (const [id, job] of waiting) {
      const h = handlers.get(job.name);
      if (!h || job.at > now) continue;
      const activeKey = `${job.name}\u0000${job.key ?? id}`;
      if (active.has(activeKey) || activeCount(job.name) >= h.concurrency) continue;
      waiting.delete(id);
      active.add(activeKey);
      const p = h
        .run(job.data)
        .catch(() => undefined)
        .finally(() => {
          active.delete(activeKey);
          running.delete(p);
          pump();
        });
      running.add(p);
    }
  }

  function wakeAt(at: number) {
    const t = setTimeout(() => {
      timers.delete(t);
      pump();
    }, Math.max(at - Date.now(), 0));
    t.unref();
    timers.add(t);
  }

  return {
    kind: 'in-process',
    async send(name, data, o = {}) {
      if (stopped) return;
      const id = o.key ? `${name}\u0000${o.key}` : `${name}\u0000#${++seq}`;
      if (waiting.has(id)) return;
      const at = o.startAfter?.getTime() ?? Date.now();
      waiting.set(id, { name, data, ...(o.key ? { key: o.key } : {}), at });
      if (at > Date.now()) wakeAt(at);
      else queueMicrotask(pump);
    },
    async work(name, handler, o = {}) {
      handlers.set(name, { run: handler, concurrency: o.concurrency ?? 10 });
      pump();
    },
    async stop() {
      stopped = true;
      for (const t of timers) clearTimeout(t);
      waiting.clear();
      await Promise.allSettled([...running]);
    },
  };
}

/** The job engine for a database: pg-boss on PostgreSQL, the in-process queue on SQLite. */
export async function openJobQueue(url: string, options: { pollingIntervalSeconds?: number } = {}): Promise<JobQueue> {
  return isPostgresUrl(url) ? openPgBossQueue(url, options) : createInProcessQueue();
}
