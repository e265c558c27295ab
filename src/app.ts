import http from 'node:http';
import express, { type Express } from 'express';
import type { Logger } from 'pino';
import { createAssistant } from './core/assistant.js';
import { createOutbox, type Outbox } from './core/outbox.js';
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
}

/**
 * The composition root: store, core, HTTP server (/healthz, channel routes), channels, and the loop that
 * delivers proactive notifications. Everything a test needs to run the real service in-process.
 */
export async function startApp(options: StartOptions): Promise<App> {
  const { config, log } = options;
  const opened = options.opened ?? (await openStore({ url: config.DATABASE_URL, seedIfEmpty: config.SEED_DEMO }));
  if ('seeded' in opened && opened.seeded) log.info({ seeded: opened.seeded }, 'demo data seeded');
  const store = opened.store;
  const assistant = createAssistant({
    store,
    log,
    now: options.now,
    config: {
      linkCodeTtlHours: config.LINK_CODE_TTL_HOURS,
      linkMaxAttempts: config.LINK_MAX_ATTEMPTS,
      linkCooldownMinutes: config.LINK_COOLDOWN_MINUTES,
      telegramBotUsername: config.TELEGRAM_BOT_USERNAME,
      rateLimitPerMinute: config.RATE_LIMIT_PER_MINUTE,
    },
  });
  const outbox = createOutbox(store);
  const app = express();
  app.disable('x-powered-by');
  app.use(express.json({ limit: config.HTTP_BODY_LIMIT }));
  const channels = (options.channels ?? []).map((f) => f({ assistant, outbox, config, log }));

  app.get('/healthz', async (_req, res) => {
    // "busy": SQLite locked by another process lately; turns wait and retry asynchronously meanwhile.
    const db = await store.health();
    res.status(db.reachable ? 200 : 503).json({
      status: !db.reachable ? 'degraded' : db.busy ? 'busy' : 'ok',
      database: { kind: opened.connection.kind, reachable: db.reachable, busy: db.busy },
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

  let delivering = false;
  const timer = setInterval(async () => {
    if (delivering) return;
    delivering = true;
    try {
      for (const c of channels) await c.deliverPending();
    } catch (err) {
      log.warn({ type: (err as Error).name }, 'notification delivery failed');
    } finally {
      delivering = false;
    }
  }, config.NOTIFY_INTERVAL_MS);
  timer.unref();

  return {
    config,
    store,
    assistant,
    outbox,
    http: server,
    express: app,
    channels,
    url,
    async stop() {
      clearInterval(timer);
      for (const c of channels) await c.stop().catch(() => undefined);
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections?.();
      await opened.connection.close();
    },
  };
}
