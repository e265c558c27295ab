import http from 'node:http';
import express, { type Express } from 'express';
import type { Logger } from 'pino';
import { createAssistant } from './core/assistant.js';
import { withTurnMetrics } from './core/turn-metrics.js';
import { createOutbox, type Outbox } from './core/outbox.js';
import type { Assistant } from './core/types.js';
import { coreConfigFrom, type Config } from './config.js';
import type { ChannelDeps, ChannelModule } from './channels.js';
import { createLanguageRoute } from './llm/index.js';
import { openStore, type OpenedStore } from './store/bootstrap.js';
import { createReadinessProbe } from './store/readiness.js';
import { METRICS_CONTENT_TYPE, metricsText, recordDelivery, recordJobRun } from './shared/metrics.js';
import type { Store } from './store/index.js';
import { mountAgencyFeed } from './import/http.js';

export interface App {
  config: Config;
  store: Store;
  assistant: Assistant;
  outbox: Outbox;
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
}

/**
 * The composition root: store, core, HTTP server (/healthz, channel routes), channels, and the loop that
 * delivers proactive notifications. Everything a test needs to run the real service in-process.
 */
export async function startApp(options: StartOptions): Promise<App> {
  const { config, log } = options;
  // Before the store: a broken prompt file or LLM setting stops the start at once.
  const language = await createLanguageRoute(config, log);
  if (language) log.info(language.describe, 'LLM route on');
  const opened = options.opened ?? (await openStore({ url: config.DATABASE_URL, seedIfEmpty: config.SEED_DEMO }));
  if ('seeded' in opened && opened.seeded) log.info({ seeded: opened.seeded }, 'demo data seeded');
  const store = opened.store;
  // Every turn through the one door is counted and timed for /metrics.
  const core = withTurnMetrics(
    createAssistant({ store, log, now: options.now, config: coreConfigFrom(config), understand: language?.understand }),
  );
  const assistant = language ? language.decorate(core) : core;
  const outbox = createOutbox(store);
  const app = express();
  app.disable('x-powered-by');
  const inFlight = trackRequests(app);
  mountAgencyFeed(app, { store, log, bodyLimit: config.AGENCY_FEED_BODY_LIMIT, now: options.now });
  app.use(express.json({ limit: config.HTTP_BODY_LIMIT }));
  const channels = (options.channels ?? []).map((f) => f({ assistant, outbox, config, log }));

  mountOperations(app, { store, connection: opened.connection, channels, draining: () => inFlight.draining });
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

  let delivering = false;
  const timer = setInterval(async () => {
    if (delivering) return;
    delivering = true;
    const started = performance.now();
    try {
      for (const c of channels) recordDelivery(c.name, 'sent', await c.deliverPending());
      recordJobRun('deliver-notifications', 'ok', (performance.now() - started) / 1000);
    } catch (err) {
      recordJobRun('deliver-notifications', 'error', (performance.now() - started) / 1000);
      log.warn({ type: (err as Error).name }, 'notification delivery failed');
    } finally {
      delivering = false;
    }
  }, config.NOTIFY_INTERVAL_MS);
  timer.unref();

  let stopping: Promise<void> | undefined;
  return {
    config,
    store,
    assistant,
    outbox,
    http: server,
    express: app,
    channels,
    url,
    stop() {
      stopping ??= (async () => {
        const started = Date.now();
        clearInterval(timer);
        // Both at once: HTTP stops taking requests (webhooks, Teams) while long polling stops fetching updates;
        // each lets what it already took finish.
        const [requestsCut] = await Promise.all([
          inFlight.drain(server, config.SHUTDOWN_GRACE_MS),
          ...channels.map((c) => c.stop().catch((err: Error) => log.warn({ channel: c.name, type: err.name }, 'channel stop failed'))),
        ]);
        while (delivering) await new Promise((r) => setTimeout(r, 20));
        await opened.connection.close();
        log.info({ ms: Date.now() - started, requestsCut }, 'stopped');
      })();
      return stopping;
    },
  };
}

/**
 * `/healthz` (liveness: the process answers, with the database status for people: reachable, busy), `/readyz` (readiness for a
 * load balancer: database reachable and migrations applied, 503 with a short reason otherwise, and while
 * stopping) and `/metrics` (Prometheus text format).
 */
function mountOperations(
  app: Express,
  deps: { store: Store; connection: OpenedStore['connection']; channels: ChannelModule[]; draining: () => boolean },
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
function trackRequests(app: Express) {
  let active = 0;
  let draining = false;
  const idle: (() => void)[] = [];
  app.use((_req, res, next) => {
    if (draining) {
      res.set('connection', 'close').status(503).json({ error: 'shutting down' });
      return;
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
    next();
  });
  return {
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
