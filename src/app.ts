import http from 'node:http';
import express, { type Express } from 'express';
import type { Logger } from 'pino';
import { createAssistant } from './core/assistant.js';
import { withTurnMetrics } from './core/turn-metrics.js';
import type { Outbox } from './core/outbox.js';
import { createDeliveryStack } from './delivery/compose.js';
import type { DeliveryEngine } from './delivery/engine.js';
import type { DeliveryMetrics } from './delivery/metrics.js';
import type { Scheduler } from './delivery/scheduled-jobs.js';
import type { JobQueue } from './store/jobs.js';
import type { Assistant } from './core/types.js';
import { coreConfigFrom, type Config } from './config.js';
import type { ChannelDeps, ChannelModule } from './channels.js';
import { createLanguageRoute } from './llm/index.js';
import { openStore, type OpenedStore } from './store/bootstrap.js';
import { createReadinessProbe } from './store/readiness.js';
import { METRICS_CONTENT_TYPE, metricsText, recordDelivery, recordJobRun, setQueueDepth } from './shared/metrics.js';
import type { Store } from './store/index.js';
import { mountAgencyFeed } from './import/http.js';
import { getNlu } from './nlu/index.js';
import { routeLibraryConsoleToLog } from './shared/library-console.js';
import { answerJson } from './shared/http.js';

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
  /**
   * Graceful stop: refuses new requests (503, `/readyz` too), lets the requests in flight finish (at most
   * `SHUTDOWN_GRACE_MS`), stops the channels and the delivery loop, then closes the database. Idempotent.
   */
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
  /** Route libraries' console errors into the log (`src/shared/library-console.ts`). `npm start` does. */
  routeLibraryConsole?: boolean;
}

/**
 * The composition root: store, core, HTTP server (/healthz, channel routes), channels, and the loop that
 * delivers proactive notifications. Everything a test needs to run the real service in-process.
 */
export async function startApp(options: StartOptions): Promise<App> {
  const { config, log } = options;
  const restoreConsole = options.routeLibraryConsole ? routeLibraryConsoleToLog(log) : () => undefined;
  // Before the store: a broken prompt file or LLM setting stops the start at once.
  const language = await createLanguageRoute(config, log);
  if (language) log.info(language.describe, 'LLM route on');
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
    metrics: options.deliveryMetrics ?? prometheusDeliveryMetrics,
    ...(options.jobs ? { jobs: options.jobs } : {}),
    // The core's clock for the pending question a delivered proposal sets; the engine keeps real time (retries, pace).
    ...(options.now ? { coreNow: options.now } : {}),
  });
  const { outbox, engine: delivery, scheduler } = stack;
  // Every turn through the one door is counted and timed for /metrics.
  const core = withTurnMetrics(
    createAssistant({ store, log, now: options.now, limiterBackend: stack.limiterBackend, config: coreConfigFrom(config), understand: language?.understand }),
  );
  const assistant = language ? language.decorate(core) : core;
  const app = express();
  app.disable('x-powered-by');
  const inFlight = trackRequests();
  app.use((_req, res, next) => void (inFlight.admit(res) && next()));
  mountAgencyFeed(app, { store, log, bodyLimit: config.AGENCY_FEED_BODY_LIMIT, now: options.now });
  const jsonBody = express.json({ limit: config.HTTP_BODY_LIMIT });
  app.use(jsonBody);
  const channels = (options.channels ?? []).map((f) => f({ assistant, delivery, config, log }));
  delivery.attach(channels);

  let nlu: 'loading' | 'ready' | 'failed' = 'loading';
  mountOperations(app, { store, connection: opened.connection, channels, draining: () => inFlight.draining, nlu: () => nlu });
  for (const c of channels) c.mount(app);
  // Malformed JSON and oversized bodies get a short answer, never a stack trace.
  const answerError = (err: { status?: number; type?: string }, res: http.ServerResponse) => {
    const status = err.status && err.status >= 400 && err.status < 500 ? err.status : 500;
    if (status === 500) log.error({ type: err.type }, 'http error');
    answerJson(res, status, { error: status === 413 ? 'payload too large' : status === 500 ? 'internal error' : 'bad request' });
  };
  app.use((err: { status?: number; type?: string }, _req: express.Request, res: express.Response, next: express.NextFunction) => {
    if (res.headersSent) return next(err);
    answerError(err, res);
  });

  // The Telegram webhook is answered here, ahead of express (src/channels.ts `DirectRoute`), admitted and its body
  // read as any other request's.
  const direct = new Map(channels.flatMap((c) => c.directRoutes?.() ?? []).map((r) => [`${r.method} ${r.path}`, r]));
  const server = http.createServer((req, res) => {
    const route = direct.get(`${req.method} ${(req.url ?? '').split('?', 1)[0]}`);
    if (!route) return void app(req, res);
    if (!inFlight.admit(res)) return;
    jsonBody(req as express.Request, res as express.Response, (err?: unknown) => {
      if (err) return answerError(err as { status?: number; type?: string }, res);
      route.handle((req as express.Request).body, req, res).catch(() => {
        if (!res.headersSent) answerError({ type: 'direct route' }, res);
      });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.PORT, config.HOST, () => resolve());
  });
  const address = server.address();
  const url = typeof address === 'object' && address ? `http://${config.HOST}:${address.port}` : '';
  for (const c of channels) await c.start();
  await delivery.start();
  if (options.runScheduledJobs) await scheduler.start();
  // The NLU model (read from the model cache, or trained and cached on a first start) is loaded once the server
  // listens, so that the first message does not wait for it; /readyz says "warming up" until it is loaded.
  const warmUp = setImmediate(() => {
    const started = performance.now();
    try {
      getNlu();
      nlu = 'ready';
      log.info({ ms: Math.round(performance.now() - started) }, 'NLU model loaded');
    } catch (err) {
      // A broken data file (NluDataError names it): the process stays up, and not ready.
      nlu = 'failed';
      log.error({ type: (err as Error).name, message: (err as Error).message }, 'NLU model failed to load');
    }
  });

  let stopping: Promise<void> | undefined;
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
    stop() {
      stopping ??= (async () => {
        clearImmediate(warmUp);
        const started = Date.now();
        // Both at once: HTTP stops taking requests (webhooks, Teams) while long polling stops fetching updates;
        // each lets what it already took finish.
        const [requestsCut] = await Promise.all([
          inFlight.drain(server, config.SHUTDOWN_GRACE_MS),
          ...channels.map((c) => c.stop().catch((err: Error) => log.warn({ channel: c.name, type: err.name }, 'channel stop failed'))),
        ]);
        // The delivery engine and the job engine finish what they hold before the database closes.
        await stack.close();
        await opened.connection.close();
        log.info({ ms: Date.now() - started, requestsCut }, 'stopped');
        restoreConsole();
      })();
      return stopping;
    },
  };
}

/** The delivery engine's figures in the service's Prometheus registry (src/shared/metrics.ts). */
const prometheusDeliveryMetrics: DeliveryMetrics = {
  // "deferred" (a reply handed to the queue) is counted with the retries.
  recordDelivery: (state) => recordDelivery('all', state === 'deferred' ? 'retry' : state),
  setQueueDepth: (n) => setQueueDepth('notifications', n),
  recordJobRun: (name, outcome) => recordJobRun(name, outcome, 0),
};

/**
 * `/healthz` (liveness: the process answers, with the database status for people: reachable, busy), `/readyz` (readiness for a
 * load balancer: database reachable, migrations applied and the NLU model loaded, 503 with a short reason
 * otherwise, and while stopping) and `/metrics` (Prometheus text format).
 */
function mountOperations(
  app: Express,
  deps: { store: Store; connection: OpenedStore['connection']; channels: ChannelModule[]; draining: () => boolean; nlu: () => 'loading' | 'ready' | 'failed' },
): void {
  const readiness = createReadinessProbe(deps.connection);
  app.get('/healthz', async (_req, res) => {
    // "busy": SQLite locked by another process lately; turns wait and retry asynchronously meanwhile.
    const db = await deps.store.health();
    res.status(db.reachable ? 200 : 503).json({
      status: !db.reachable ? 'degraded' : db.busy ? 'busy' : 'ok',
      database: { kind: deps.connection.kind, reachable: db.reachable, busy: db.busy },
      channels: Object.fromEntries(deps.channels.map((c) => [c.name, c.status()])),
    });
  });
  app.get('/readyz', async (_req, res) => {
    if (deps.draining()) return void res.status(503).json({ status: 'not ready', reason: 'shutting down' });
    const nlu = deps.nlu();
    if (nlu !== 'ready') return void res.status(503).json({ status: 'not ready', reason: nlu === 'loading' ? 'warming up' : 'nlu unavailable' });
    const r = await readiness();
    if (r.ready) return void res.status(200).json({ status: 'ready' });
    res.status(503).json({ status: 'not ready', reason: r.reason, ...(r.pending !== undefined ? { pending: r.pending } : {}) });
  });
  app.get('/metrics', async (_req, res) => {
    res.type(METRICS_CONTENT_TYPE).send(await metricsText());
  });
}

/**
 * Counts the requests in flight and, once draining, answers new ones 503 with `Connection: close` (Telegram and
 * the Bot Framework send them again later, to this or another process). `drain` stops listening, waits for
 * the requests in flight up to `graceMs`, then cuts what is left; it resolves to how many were cut.
 */
function trackRequests() {
  let active = 0;
  let draining = false;
  const idle: (() => void)[] = [];
  return {
    /** Counts the request of `res` until it ends, or answers it 503 when draining: true when admitted. */
    admit(res: http.ServerResponse): boolean {
      if (draining) {
        answerJson(res, 503, { error: 'shutting down' }, { connection: 'close' });
        return false;
      }
      active++;
      let done = false;
      const end = () => {
        if (done) return;
        done = true;
        if (--active === 0) idle.splice(0).forEach((f) => f());
      };
      res.once('finish', end);
      res.once('close', end);
      return true;
    },
    get draining() {
      return draining;
    },
    async drain(server: http.Server, graceMs: number): Promise<number> {
      draining = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const quiet = active === 0 ? Promise.resolve(true) : new Promise<boolean>((resolve) => idle.push(() => resolve(true)));
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), graceMs)));
      const finished = await Promise.race([quiet, late]);
      clearTimeout(timer);
      const cut = finished ? 0 : active;
      // Keep-alive connections left idle by the finished requests, or requests past the grace period.
      server.closeAllConnections();
      await closed;
      return cut;
    },
  };
}
