import type { Logger } from 'pino';
import type { Config } from '../config.js';
import { createOutbox, type Outbox } from '../core/outbox.js';
import type { LimiterBackend } from '../core/rate-limit.js';
import type { Store } from '../store/index.js';
import { openJobQueue, type JobQueue } from '../store/jobs.js';
import { openLimiterStore } from '../store/rate-limits.js';
import { createDeliveryEngine, type DeliveryEngine } from './engine.js';
import type { DeliveryMetrics } from './metrics.js';
import { createPacer } from './pace.js';
import { createRetryPolicy } from './retry-policy.js';
import { appointmentReminders, counsellorDigest, createScheduler, missionAlerts, type Scheduler } from './scheduled-jobs.js';

/** Everything that sends outside a turn, built once for the service (`src/app.ts`) and `npm run jobs`. */
export interface DeliveryStack {
  outbox: Outbox;
  engine: DeliveryEngine;
  scheduler: Scheduler;
  /** The rate-limit counters' backend (shared with the core's per-user budget). */
  limiterBackend: LimiterBackend;
  close(): Promise<void>;
}

/** How often the service looks for a scheduled run that became due. */
const SCHEDULER_INTERVAL_MS = 60_000;

export async function createDeliveryStack(options: {
  store: Store;
  databaseUrl: string;
  config: Config;
  log: Logger;
  metrics?: DeliveryMetrics;
  jobs?: JobQueue;
  /** The delivery engine's clock (`npm run jobs -- --at`: messages are due and rendered as of that time). */
  now?: () => Date;
  /** The core's clock, the one turns read pending questions with (the outbox sets one when a proposal goes out); `now` by default. */
  coreNow?: () => Date;
}): Promise<DeliveryStack> {
  const { store, config, log } = options;
  const limits = openLimiterStore(options.databaseUrl);
  const jobs = options.jobs ?? (await openJobQueue(options.databaseUrl));
  const outbox = createOutbox(store, options.coreNow ?? options.now);
  const engine = createDeliveryEngine({
    store,
    outbox,
    jobs,
    pacer: createPacer(limits.backend, config.DELIVERY_RATE_PER_SECOND),
    policy: createRetryPolicy(),
    log,
    sweepIntervalMs: config.NOTIFY_INTERVAL_MS,
    ...(options.metrics ? { metrics: options.metrics } : {}),
    ...(options.now ? { now: options.now } : {}),
  });
  const scheduler = createScheduler({ store, jobs, definitions: [appointmentReminders(store), counsellorDigest(store), missionAlerts(store)], log, intervalMs: SCHEDULER_INTERVAL_MS, ...(options.metrics ? { metrics: options.metrics } : {}) });
  return {
    outbox,
    engine,
    scheduler,
    limiterBackend: limits.backend,
    async close() {
      scheduler.stop();
      await engine.stop().catch(() => undefined);
      await limits.close().catch(() => undefined);
    },
  };
}
