/**
 * Webhook load benchmark, loopback only, bounded in time: the real service (one process, SQLite demo copy) under
 * 32 keep-alive connections posting a realistic mix of updates from 50,000 users, its replies received by a local
 * Bot API stand-in; against, in the same run, the ceiling of a bare node:http server that reads the update, makes
 * one keep-alive sendMessage to the same stand-in and answers 200. Prints updates/s, p50/p95/p99 (ms), errors,
 * timeouts, updates answered (exactly once each) and the ratio service ÷ ceiling. The ceiling and the service
 * take turns in slices of one second, so that both meet the same state of this shared machine. The same for Teams
 * POST /api/messages (replies to the stand-in's Bot Framework connector).
 *
 * Telegram runs twice: as the bot is built today, and with the global API throttler and the per-turn
 * sendChatAction bypassed (an outermost API transformer of this script sends every call straight to the stand-in
 * and drops "typing…"; bots/telegram is not changed), so the two can be compared.
 * BENCH_WEBHOOK_SECONDS (default 10) bounds each run (the ceiling's and the service's, each), after a 2-second
 * warm-up that is not counted (the NLU model and the first statements are built then); BENCH_WEBHOOK_CONNECTIONS
 * (default 32); BENCH_WEBHOOK_ONLY=<run name> runs one service run; BENCH_WEBHOOK_PROFILE=<folder> writes a CPU
 * profile (.cpuprofile, for Chrome DevTools) of each measured in-process service run, its warm-up and the ceiling
 * left out (the ceiling then runs first, not in alternating slices; read names and lines from a bundled build: tsx
 * compiles each file to one line). With BENCH_PG=postgresql://user@host:port, Telegram also runs on a fresh
 * PostgreSQL database of that server with 1 and then 2 service processes (src/main.ts as deployed, each connection
 * of the load keeping to one process in turn); BENCH_WEBHOOK_ONLY=telegram_postgres_1 / _2 runs one of them.
 * Run alone: tsx bench/webhook.ts.
 */
import http from 'node:http';
import { spawn, type ChildProcess } from 'node:child_process';
import pg from 'pg';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Session } from 'node:inspector/promises';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import type { Transformer } from 'grammy';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/shared/logger.js';
import { startApp, type App } from '../src/app.js';
import { openStore } from '../src/store/bootstrap.js';
import { repoRoot } from '../src/store/database-url.js';
import { createTelegramChannel, type TelegramChannel } from '../bots/telegram/index.js';
import { createTeamsChannel } from '../bots/teams/index.js';

const SECONDS = Number(process.env.BENCH_WEBHOOK_SECONDS ?? 10);
/** A PostgreSQL server (postgresql://user@host:port): adds the runs on PostgreSQL with 1 and 2 service processes. */
const PG = process.env.BENCH_PG;
const CONNECTIONS = Number(process.env.BENCH_WEBHOOK_CONNECTIONS ?? 32);
const USERS = 50_000;
const WARM_UP_SECONDS = 2;
/** Length of each alternating slice of ceiling and service load (see `alternating`). */
const SLICE_SECONDS = 1;
const ONLY = process.env.BENCH_WEBHOOK_ONLY;
const PROFILE_DIR = process.env.BENCH_WEBHOOK_PROFILE;
const REQUEST_TIMEOUT_MS = 10_000;
const TOKEN = '123456:bench-token';
const SECRET = 'bench_secret';
const BOT_INFO = {
  id: 123456,
  is_bot: true as const,
  first_name: 'Mission Jeunes',
  username: 'MissionJeunesBot',
  can_join_groups: false,
  can_read_all_group_messages: false,
  supports_inline_queries: false,
  can_connect_to_business: false,
  has_main_web_app: false,
  has_topics_enabled: false,
  allows_users_to_create_topics: false,
  can_manage_bots: false,
  supports_join_request_queries: false,
};

/** Runs `work` under the V8 CPU profiler when BENCH_WEBHOOK_PROFILE is set; writes `<folder>/<name>.cpuprofile`. */
async function profiled<T>(name: string, work: () => Promise<T>): Promise<T> {
  if (!PROFILE_DIR) return work();
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  try {
    return await work();
  } finally {
    const { profile } = await session.post('Profiler.stop');
    mkdirSync(PROFILE_DIR, { recursive: true });
    writeFileSync(path.join(PROFILE_DIR, `${name}.cpuprofile`), JSON.stringify(profile));
    session.disconnect();
  }
}

function percentiles(samples: number[]) {
  const s = [...samples].sort((a, b) => a - b);
  const at = (p: number) => (s.length ? +s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!.toFixed(1) : 0);
  return { p50: at(50), p95: at(95), p99: at(99), max: s.length ? +s[s.length - 1]!.toFixed(1) : 0 };
}

/** The local Bot API and Bot Framework connector: answers at once, counts calls, keeps each chat's last buttons. */
async function startStandIn() {
  const counts = new Map<string, number>();
  const buttons = new Map<number, string[]>();
  /** The chats of `buttons`, in the order they first got some: the load picks one per button press. */
  const withButtons: number[] = [];
  let messageId = 1;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = req.url ?? '';
      const method = url.startsWith('/v3/') ? 'connector' : (url.split('/').pop() ?? '');
      counts.set(method, (counts.get(method) ?? 0) + 1);
      let body: Record<string, unknown> = {};
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
      } catch {
        // multipart or empty: nothing to read
      }
      res.setHeader('content-type', 'application/json');
      if (method === 'connector') return res.end(JSON.stringify({ id: `a-${messageId++}` }));
      // A service process started on its own (the PostgreSQL runs) asks who it is.
      if (method === 'getMe') return res.end(JSON.stringify({ ok: true, result: BOT_INFO }));
      if (method === 'sendMessage' || method === 'editMessageText') {
        const chatId = Number(body.chat_id);
        const markup = body.reply_markup as { inline_keyboard?: { callback_data?: string }[][] } | undefined;
        const data = markup?.inline_keyboard?.flat().flatMap((b) => (b.callback_data ? [b.callback_data] : []));
        if (data?.length) {
          if (!buttons.has(chatId)) withButtons.push(chatId);
          buttons.set(chatId, data);
        }
        return res.end(JSON.stringify({ ok: true, result: { message_id: messageId++, date: Math.floor(Date.now() / 1000), chat: { id: chatId, type: 'private' }, text: 'ok' } }));
      }
      res.end(JSON.stringify({ ok: true, result: true }));
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as { port: number }).port;
  const clearButtons = () => {
    buttons.clear();
    withButtons.length = 0;
  };
  return { url: `http://127.0.0.1:${port}`, counts, buttons, withButtons, clearButtons, close: () => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r()))) };
}
type StandIn = Awaited<ReturnType<typeof startStandIn>>;

const YOUTH_TEXTS = [
  'je cherche une mission à Lyon',
  'cariste à Villeurbanne',
  'du travail dans le BTP autour de Lyon',
  'mission en logistique à Saint-Étienne',
  'combien on est payé en intérim ?',
  "c'est quoi l'indemnité de fin de mission ?",
  'bonjour',
  '/start',
  '/aide',
  'merci',
  'des missions à Marseille la semaine prochaine',
  'j’ai besoin d’aide pour me loger',
];

/** A realistic mix: mostly searches and questions, a quarter of button presses on buttons the bot really sent. */
function telegramUpdates(standIn: StandIn) {
  let updateId = 1_000_000;
  let k = 0;
  return () => {
    const id = ++updateId;
    k++;
    // Kept by the stand-in: copying the chats out of its map on every update cost the service's run (this same
    // process) tens of µs per update once thousands of chats had buttons, and the ceiling's run nothing.
    const { withButtons } = standIn;
    if (k % 4 === 0 && withButtons.length > 0) {
      const chat = withButtons[(k * 7919) % withButtons.length]!;
      const data = standIn.buttons.get(chat)!;
      const from = { id: chat, is_bot: false, first_name: 'Jeune' };
      return {
        update_id: id,
        callback_query: { id: `cq${id}`, from, chat_instance: '1', data: data[k % data.length], message: { message_id: 1, date: 1, chat: { id: chat, type: 'private' }, text: 'x' } },
      };
    }
    const user = 500_000_000 + ((k * 104_729) % USERS);
    const from = { id: user, is_bot: false, first_name: 'Jeune' };
    return { update_id: id, message: { message_id: id, date: Math.floor(Date.now() / 1000), chat: { id: user, type: 'private' }, from, text: YOUTH_TEXTS[k % YOUTH_TEXTS.length] } };
  };
}

const COUNSELLORS = [1, 2, 3, 4, 5, 6].map((n) => `00000000-0000-4000-8000-00000000000${n}`);
const COUNSELLOR_TEXTS = ['mon portefeuille', 'jeunes sans mission depuis 30 jours', 'fiche de Léa Martin', 'jeunes sans contact depuis 15 jours', 'aide', 'missions qui finissent cette semaine'];

function teamsActivities(serviceUrl: string) {
  let k = 0;
  return () => {
    k++;
    // One in ten from an AAD user who is no counsellor: they get the polite refusal.
    const aad = k % 10 === 0 ? `00000000-0000-4000-9000-${String(k % USERS).padStart(12, '0')}` : COUNSELLORS[k % COUNSELLORS.length]!;
    return {
      type: 'message',
      id: `act-${process.pid}-${k}`,
      channelId: 'msteams',
      serviceUrl,
      timestamp: new Date().toISOString(),
      from: { id: `29:${aad}`, aadObjectId: aad, name: 'Conseiller' },
      recipient: { id: '28:bot', name: 'Mission Jeunes' },
      conversation: { id: `a:conv-${aad}`, conversationType: 'personal', tenantId: 'bench-tenant' },
      text: COUNSELLOR_TEXTS[k % COUNSELLOR_TEXTS.length],
    };
  };
}

/** What one stretch of load gave: raw, so that alternating slices of one run add up (`merged`). */
interface LoadTally {
  sent: number;
  answered: number;
  errors: number;
  timeouts: number;
  statuses: Record<string, number>;
  latencies: number[];
  seconds: number;
  cpuMicros: number;
}

/**
 * The load's connections to one target: kept open across its slices and its warm-up, as Telegram keeps its
 * webhook connections. (New at every slice, the 32 connections' first requests arriving at once waited up to
 * 300 ms behind those of connections already going, which no steady webhook sees.)
 */
function connections() {
  return new http.Agent({ keepAlive: true, maxSockets: CONNECTIONS });
}

/** CONNECTIONS keep-alive connections of `agent` posting for `seconds`; every request is answered once, or counted as error/timeout. */
async function loadTally(agent: http.Agent, target: string | string[], headers: Record<string, string>, next: () => unknown, seconds: number): Promise<LoadTally> {
  // Several service processes: each connection keeps to one of them, in turn (a reverse proxy's round robin).
  const targets = (Array.isArray(target) ? target : [target]).map((t) => new URL(t));
  const tally: LoadTally = { sent: 0, answered: 0, errors: 0, timeouts: 0, statuses: {}, latencies: [], seconds: 0, cpuMicros: 0 };
  const post = (body: string, url: URL) =>
    new Promise<void>((resolve) => {
      const t = performance.now();
      let done = false;
      const finish = (kind: 'ok' | 'error' | 'timeout', status?: number) => {
        if (done) return;
        done = true;
        if (kind === 'ok') {
          tally.answered++;
          tally.latencies.push(performance.now() - t);
        } else if (kind === 'timeout') tally.timeouts++;
        else tally.errors++;
        if (status !== undefined) tally.statuses[status] = (tally.statuses[status] ?? 0) + 1;
        resolve();
      };
      const req = http.request(
        { host: url.hostname, port: url.port, path: url.pathname, method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers } },
        (res) => {
          res.resume();
          res.on('end', () => finish(res.statusCode === 200 ? 'ok' : 'error', res.statusCode));
        },
      );
      req.setTimeout(REQUEST_TIMEOUT_MS, () => {
        finish('timeout');
        req.destroy();
      });
      req.on('error', () => finish('error'));
      req.end(body);
    });
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  const deadline = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async (_, c) => {
      while (performance.now() < deadline) {
        tally.sent++;
        await post(JSON.stringify(next()), targets[c % targets.length]!);
      }
    }),
  );
  tally.seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  tally.cpuMicros = cpu.user + cpu.system;
  return tally;
}

function merged(tallies: LoadTally[]): LoadTally {
  const out: LoadTally = { sent: 0, answered: 0, errors: 0, timeouts: 0, statuses: {}, latencies: [], seconds: 0, cpuMicros: 0 };
  for (const t of tallies) {
    out.sent += t.sent;
    out.answered += t.answered;
    out.errors += t.errors;
    out.timeouts += t.timeouts;
    for (const [k, v] of Object.entries(t.statuses)) out.statuses[k] = (out.statuses[k] ?? 0) + v;
    for (const l of t.latencies) out.latencies.push(l);
    out.seconds += t.seconds;
    out.cpuMicros += t.cpuMicros;
  }
  return out;
}

function figures(t: LoadTally) {
  // CPU time of this process (service, load and stand-in alike) per answered update: unlike updates/s, it hardly
  // depends on how much of the machine other work leaves to this run.
  const cpuMsPerUpdate = +(t.cpuMicros / 1000 / Math.max(1, t.answered)).toFixed(3);
  return { sent: t.sent, answered: t.answered, errors: t.errors, timeouts: t.timeouts, statuses: t.statuses, updatesPerSecond: Math.round(t.answered / Math.max(0.001, t.seconds)), cpuMsPerUpdate, ...percentiles(t.latencies) };
}

/** A stretch of load on one target, for that many seconds. */
type Stretch = (seconds: number) => Promise<LoadTally>;

/**
 * The ceiling and the service measured in alternating slices of SLICE_SECONDS, SECONDS in all for each: a slower
 * stretch of this shared machine (they last seconds here) then slows both. Measured one after the other, the
 * ceiling alone moved from 4,100 to 9,900 updates/s between runs.
 */
async function alternating(ceiling: Stretch, service: Stretch) {
  const slices = Math.max(1, Math.round(SECONDS / SLICE_SECONDS));
  const ceilingTallies: LoadTally[] = [];
  const serviceTallies: LoadTally[] = [];
  for (let i = 0; i < slices; i++) {
    ceilingTallies.push(await ceiling(SECONDS / slices));
    serviceTallies.push(await service(SECONDS / slices));
  }
  return { ceiling: figures(merged(ceilingTallies)), service: figures(merged(serviceTallies)) };
}

/** The ceiling: read the update, one keep-alive sendMessage (or connector reply) to the stand-in, answer 200. */
async function startBareServer(standIn: StandIn, kind: 'telegram' | 'teams') {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const target = new URL(standIn.url);
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const update = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { message?: { chat: { id: number } }; callback_query?: { from: { id: number } }; conversation?: { id: string } };
      const body =
        kind === 'telegram'
          ? JSON.stringify({ chat_id: update.message?.chat.id ?? update.callback_query?.from.id, text: 'Bonjour', parse_mode: 'HTML' })
          : JSON.stringify({ type: 'message', text: 'Bonjour' });
      const p = kind === 'telegram' ? `/bot${TOKEN}/sendMessage` : `/v3/conversations/${encodeURIComponent(update.conversation?.id ?? 'c')}/activities`;
      const out = http.request({ host: target.hostname, port: target.port, path: p, method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (r) => {
        r.resume();
        r.on('end', () => {
          res.statusCode = 200;
          res.end('{}');
        });
      });
      out.on('error', () => {
        res.statusCode = 500;
        res.end();
      });
      out.end(body);
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, close: () => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r()))) };
}

/** Outermost API transformer: every call straight to the stand-in (no global throttler queue), no "typing…". */
function bypassThrottlerAndTyping(apiRoot: string): Transformer {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const root = new URL(apiRoot);
  return async (_prev, method, payload) => {
    if (method === 'sendChatAction') return { ok: true, result: true } as never;
    const body = JSON.stringify(payload);
    return new Promise((resolve, reject) => {
      const req = http.request(
        { host: root.hostname, port: root.port, path: `/bot${TOKEN}/${method}`, method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString('utf8'))));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  };
}

async function startService(standIn: StandIn, which: 'telegram' | 'teams', file: string): Promise<App> {
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
  const opened = await openStore({ url: `file:${file}`, seedIfEmpty: true });
  const config = loadConfig({
    PORT: '0',
    LOG_LEVEL: 'silent',
    RATE_LIMIT_PER_MINUTE: '10000',
    NOTIFY_INTERVAL_MS: '3600000',
    ...(which === 'telegram'
      ? { TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_MODE: 'webhook', TELEGRAM_WEBHOOK_URL: 'https://bench.invalid/telegram/webhook', TELEGRAM_WEBHOOK_SECRET: SECRET, TELEGRAM_API_ROOT: standIn.url }
      : {}),
  });
  const channels = which === 'telegram' ? [(deps: Parameters<typeof createTelegramChannel>[0]) => createTelegramChannel(deps, { botInfo: BOT_INFO })] : [createTeamsChannel];
  return startApp({ config, log: createLogger('silent'), channels, opened });
}

/**
 * `processes` service processes (`src/main.ts`, as deployed) on a fresh PostgreSQL database of the BENCH_PG
 * server, demo seeded, replies to the stand-in; started one after the other (the first migrates and seeds).
 */
async function startPostgresServices(standIn: StandIn, processes: number) {
  const server = new URL(PG!);
  const name = `mj_bench_webhook_${process.pid}`;
  const admin = new pg.Client({ connectionString: `${server.protocol}//${server.username ? `${server.username}@` : ''}${server.host}/postgres` });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await admin.query(`CREATE DATABASE "${name}"`);
  const url = `${server.protocol}//${server.username ? `${server.username}@` : ''}${server.host}/${name}`;
  const env = {
    ...process.env,
    DATABASE_URL: url,
    SEED_DEMO: 'true',
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    RATE_LIMIT_PER_MINUTE: '10000',
    NOTIFY_INTERVAL_MS: '3600000',
    TELEGRAM_BOT_TOKEN: TOKEN,
    TELEGRAM_MODE: 'webhook',
    TELEGRAM_WEBHOOK_URL: 'https://bench.invalid/telegram/webhook',
    TELEGRAM_WEBHOOK_SECRET: SECRET,
    TELEGRAM_API_ROOT: standIn.url,
    MICROSOFT_APP_ID: '',
  };
  const children: ChildProcess[] = [];
  const urls: string[] = [];
  const stop = async () => {
    await Promise.all(children.map((c) => new Promise<void>((r) => (c.exitCode !== null ? r() : (c.once('close', () => r()), c.kill('SIGTERM'))))));
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
  };
  try {
    for (let i = 0; i < processes; i++) {
      const child = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'src', 'main.ts')], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
      children.push(child);
      urls.push(
        await new Promise<string>((resolve, reject) => {
          let out = '';
          const timer = setTimeout(() => reject(new Error(`service did not start: ${out.slice(-500)}`)), 180_000);
          const onData = (d: Buffer) => {
            out += d;
            const m = out.match(/prêt sur (http:\/\/127\.0\.0\.1:\d+)/);
            if (m) {
              clearTimeout(timer);
              resolve(m[1]!);
            }
          };
          child.stdout!.on('data', onData);
          child.stderr!.on('data', onData);
          child.once('close', (code) => reject(new Error(`service exited with ${code}: ${out.slice(-500)}`)));
        }),
      );
    }
  } catch (err) {
    await stop();
    throw err;
  }
  return { urls, stop };
}

/**
 * The ceiling and the service run `name`, SECONDS each: in alternating slices (`alternating`), or, when profiling,
 * the ceiling first and then the service alone under the profiler (the profile must hold the service only).
 */
async function measured(name: string, ceiling: Stretch, service: Stretch) {
  if (!PROFILE_DIR) return alternating(ceiling, service);
  const ceilingRun = figures(await ceiling(SECONDS));
  return { ceiling: ceilingRun, service: figures(await profiled(name, () => service(SECONDS))) };
}

/** The service's figures beside its ceiling's, and their ratios. */
function compared(run: ReturnType<typeof figures>, ceiling: ReturnType<typeof figures>, withCpu = true) {
  return {
    ...run,
    ceiling: { updatesPerSecond: ceiling.updatesPerSecond, p99: ceiling.p99, cpuMsPerUpdate: ceiling.cpuMsPerUpdate },
    ratio: +(run.updatesPerSecond / Math.max(1, ceiling.updatesPerSecond)).toFixed(3),
    ...(withCpu ? { cpuRatio: +(ceiling.cpuMsPerUpdate / Math.max(0.001, run.cpuMsPerUpdate)).toFixed(3) } : {}),
  };
}

/** Runs the whole webhook benchmark; returns the figures of each run and the ratios. */
export async function benchWebhook(): Promise<Record<string, unknown>> {
  const dir = path.join(repoRoot, '.tmp', 'bench');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `webhook-${process.pid}.db`);
  const standIn = await startStandIn();
  // The ceiling's own stand-in: its calls must not count as the service's.
  const ceilingStandIn = await startStandIn();
  const result: Record<string, unknown> = { seconds: SECONDS, sliceSeconds: PROFILE_DIR ? SECONDS : SLICE_SECONDS, connections: CONNECTIONS, users: USERS, database: 'sqlite (demo), one process' };
  const bareTelegram = await startBareServer(ceilingStandIn, 'telegram');
  const bareTeams = await startBareServer(ceilingStandIn, 'teams');
  // One set of connections per target (each keeps to its host and port).
  const ceilingAgent = connections();
  const agent = connections();
  try {
    const ceilingUpdates = telegramUpdates(ceilingStandIn);
    const telegramCeiling: Stretch = (seconds) => loadTally(ceilingAgent, `${bareTelegram.url}/telegram/webhook`, {}, ceilingUpdates, seconds);
    await telegramCeiling(WARM_UP_SECONDS);
    const telegramHeaders = { 'x-telegram-bot-api-secret-token': SECRET };

    for (const variant of ['asIs', 'withoutThrottlerAndTyping'] as const) {
      if (ONLY && ONLY !== `telegram_${variant}`) continue;
      standIn.counts.clear();
      standIn.clearButtons();
      const app = await startService(standIn, 'telegram', file);
      try {
        if (variant === 'withoutThrottlerAndTyping') {
          const channel = app.channels.find((c) => c.name === 'telegram') as TelegramChannel;
          channel.bot!.api.config.use(bypassThrottlerAndTyping(standIn.url));
        }
        const updates = telegramUpdates(standIn);
        const service: Stretch = (seconds) => loadTally(agent, `${app.url}/telegram/webhook`, telegramHeaders, updates, seconds);
        await service(WARM_UP_SECONDS);
        standIn.counts.clear();
        const { ceiling, service: run } = await measured(`telegram_${variant}`, telegramCeiling, service);
        result[`telegram_${variant}`] = { ...compared(run, ceiling), botApiCalls: Object.fromEntries(standIn.counts) };
      } finally {
        await app.stop();
      }
    }

    if (PG && (!ONLY || ONLY.startsWith('telegram_postgres'))) {
      for (const processes of [1, 2]) {
        if (ONLY && ONLY !== `telegram_postgres_${processes}`) continue;
        standIn.counts.clear();
        standIn.clearButtons();
        const services = await startPostgresServices(standIn, processes);
        try {
          const urls = services.urls.map((u) => `${u}/telegram/webhook`);
          const updates = telegramUpdates(standIn);
          const service: Stretch = (seconds) => loadTally(agent, urls, telegramHeaders, updates, seconds);
          await service(WARM_UP_SECONDS);
          standIn.counts.clear();
          const { ceiling, service: run } = await alternating(telegramCeiling, service);
          // The service runs in child processes: this process's CPU figure is the load's and the stand-in's only.
          const { cpuMsPerUpdate: _loadOnly, ...rest } = compared(run, ceiling, false);
          result[`telegram_postgres_${processes}`] = { database: 'postgresql (demo)', processes, ...rest, botApiCalls: Object.fromEntries(standIn.counts) };
        } finally {
          await services.stop();
        }
      }
    }

    if (ONLY && ONLY !== 'teams') return result;
    const ceilingActivities = teamsActivities(ceilingStandIn.url);
    const teamsCeiling: Stretch = (seconds) => loadTally(ceilingAgent, `${bareTeams.url}/api/messages`, {}, ceilingActivities, seconds);
    await teamsCeiling(WARM_UP_SECONDS);
    standIn.counts.clear();
    const app = await startService(standIn, 'teams', file);
    try {
      const activities = teamsActivities(standIn.url);
      const service: Stretch = (seconds) => loadTally(agent, `${app.url}/api/messages`, {}, activities, seconds);
      await service(WARM_UP_SECONDS);
      standIn.counts.clear();
      const { ceiling, service: run } = await measured('teams', teamsCeiling, service);
      result.teams = { ...compared(run, ceiling), connectorCalls: standIn.counts.get('connector') ?? 0 };
    } finally {
      await app.stop();
    }
  } finally {
    ceilingAgent.destroy();
    agent.destroy();
    await bareTelegram.close();
    await bareTeams.close();
    await standIn.close();
    await ceilingStandIn.close();
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
  }
  return result;
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(JSON.stringify(await benchWebhook(), null, 2));
