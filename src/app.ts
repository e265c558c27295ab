import http from 'node:http';
import express, { type Express } from 'express';
import type { Logger } from 'pino';
import { createAssistant } from './core/assistant.js';
import type { Outbox } from './core/outbox.js';
import { createDeliveryStack } from './delivery/compose.js';
import type { DeliveryEngine } from './delivery/engine.js';
import type { DeliveryMetrics } from './delivery/metrics.js';
import type { Scheduler } from './delivery/scheduled-jobs.js';
import type { JobQueue } from './store/jobs.js';
import type { Assistant } from './core/types.js';
import type { Config } from './config.js';
import type { ChannelDeps, ChannelModule } from './channels.js';
import { openStore, type OpenedStore } from './store/bootstrap.js';
import type { Store } from './store/index.js';

export interface App {
  config: Config;
  store: Store;
  assistant: Assistant;
  outbox: Outbox;
  /** Everything that goes out outside a turn: attempts, retries, final states (src/delivery/engine.ts). */
  delivery: DeliveryEngine;
  /** Scheduled jobs (appointment reminders), claimed once per run in the store. */
  scheduler: Scheduler;
  http: http.Server;
  express: Express;
  channels: ChannelModule[];
  /** Bound address, once listening. */
  url: string;
  stop(): Promise<void>;
}

export type ChannelFactory = (deps: ChannelDeps) => ChannelModule;

export interface StartOptions {
  config: Config;
  log: Logger;
  channels?: ChannelFactory[];
  now?: () => Date;
  /** An already opened store (tests); otherwise opened from config.DATABASE_URL. */
  opened?: Pick<OpenedStore, 'store' | 'connection'>;
  /** The database URL behind `opened` (tests), for the job engine and the shared rate limits. */
  openedUrl?: string;
  /** Metrics of the delivery engine (the service's prom-client registry); none by default. */
  deliveryMetrics?: DeliveryMetrics;
  /** The job engine (tests); otherwise pg-boss on PostgreSQL, in-process on SQLite. */
  jobs?: JobQueue;
  /**
   * Run the scheduled jobs (appointment reminders) in this process. `npm start` does; tests that start the app
   * in-process do not by default, so a reminder due at the hour a suite runs never lands in their chats.
   */
  runScheduledJobs?: boolean;
}

/**
 * The composition root: store, core, HTTP server (/healthz, channel routes), channels, and the loop that
 * delivers proactive notifications. Everything a test needs to run the real service in-process.
 */
export async function startApp(options: StartOptions): Promise<App> {
  const { config, log } = options;
  const opened = options.opened ?? (await openStore({ url: config.DATABASE_URL, ...(config.SEED_DEMO === undefined ? {} : { seedIfEmpty: config.SEED_DEMO }) }));
  if ('seeded' in opened && opened.seeded) log.info({ seeded: opened.seeded }, 'demo data seeded');
  const store = opened.store;
  // Only its kind matters for SQLite (in-process jobs, memory counters); PostgreSQL needs the real URL.
  const databaseUrl = options.opened ? (options.openedUrl ?? (opened.connection.kind === 'sqlite' ? 'file:' : config.DATABASE_URL)) : (opened as OpenedStore).url;
  // Shared by every process on PostgreSQL: the per-user turn budget and the pace of proactive messages.
  const stack = await createDeliveryStack({
    store,
    databaseUrl,
    config,
    log,
    ...(options.deliveryMetrics ? { metrics: options.deliveryMetrics } : {}),
    ...(options.jobs ? { jobs: options.jobs } : {}),
  });
  const { outbox, engine: delivery, scheduler } = stack;
  const assistant = createAssistant({
    store,
    log,
    now: options.now,
    limiterBackend: stack.limiterBackend,
    config: {
      linkCodeTtlHours: config.LINK_CODE_TTL_HOURS,
      linkMaxAttempts: config.LINK_MAX_ATTEMPTS,
      linkCooldownMinutes: config.LINK_COOLDOWN_MINUTES,
      telegramBotUsername: config.TELEGRAM_BOT_USERNAME,
      rateLimitPerMinute: config.RATE_LIMIT_PER_MINUTE,
    },
  });
  const app = express();
  app.disable('x-powered-by');
  app.use(express.json({ limit: config.HTTP_BODY_LIMIT }));
  const channels = (options.channels ?? []).map((f) => f({ assistant, delivery, config, log }));
  delivery.attach(channels);

  app.get('/healthz', async (_req, res) => {
    const db = await store.ping();
    res.status(db ? 200 : 503).json({
      status: db ? 'ok' : 'degraded',
      database: { kind: opened.connection.kind, reachable: db },
      channels: Object.fromEntries(channels.map((c) => [c.name, c.status()])),
    });
  });
  for (const c of channels) c.mount(app);
  // Malformed JSON and oversized bodies get a short answer, never a stack trace.
  app.use((err: { status?: number; type?: string }, _req: express.Request, res: express.Response, next: express.NextFunction) => {
    if (res.headersSent) return next(err);
    const status = err.status && err.status >= 400 && err.status < 500 ? err.status : 500;
    if (status === 500) log.error({ type: err.type }, 'http error');
    res.status(status).json({ error: status === 413 ? 'payload too large' : status === 500 ? 'internal error' : 'bad request' });
  });

  const server = http.createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.PORT, config.HOST, () => resolve());
  });
  const address = server.address();
  const url = typeof address === 'object' && address ? `http://${config.HOST}:${address.port}` : '';
  for (const c of channels) await c.start();
  await delivery.start();
  if (options.runScheduledJobs) await scheduler.start();

  return {
    config,
    store,
    assistant,
    outbox,
    delivery,
    scheduler,
    http: server,
    express: app,
    channels,
    url,
    async stop() {
      await stack.close();
      for (const c of channels) await c.stop().catch(() => undefined);
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections?.();
      await opened.connection.close();
    },
  };
}
