import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { connect, type StoreConnection } from '../../src/store/client.js';
import { repoRoot } from '../../src/store/database-url.js';
import { startScript, stop } from '../helpers/process.js';
import { eventually, startBotApi } from '../telegram/helpers/bot-api-server.js';
import { callbackUpdate, textUpdate } from '../telegram/helpers/fake-api.js';
import { teamsMessage } from '../teams/helpers.js';

/**
 * Two real service processes (`src/main.ts`, as `npm start` runs it) on one PostgreSQL database, racing to
 * start on an empty one. Telegram goes to a Bot API stand-in over HTTP; Teams proactive cards to a slow
 * connector stand-in. Nothing a process remembers may matter: state, redeliveries, rate limits and pending
 * notifications live in the database.
 */
const SECRET = 'two_processes_secret';
const PATH = '/tg';
const SOPHIE_AAD = '00000000-0000-4000-8000-000000000001';

let dbName: string;
let dbUrl: string;
let db: StoreConnection;
let api: Awaited<ReturnType<typeof startBotApi>>;
let connector: Awaited<ReturnType<typeof startSlowConnector>>;
const procs: { child: ChildProcessWithoutNullStreams; url: string; output: () => string }[] = [];

/** A Bot Framework connector stand-in that takes `delayMs` to accept each activity. */
async function startSlowConnector(delayMs: number) {
  const received: { path: string; body: Record<string, unknown> }[] = [];
  const server = http.createServer((req, res) => {
    let data = '';
    req.on('data', (c) => (data += c));
    req.on('end', () => {
      setTimeout(() => {
        received.push({ path: req.url ?? '', body: data ? (JSON.parse(data) as Record<string, unknown>) : {} });
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id: randomUUID() }));
      }, delayMs);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    messages: () => received.filter((a) => a.body.type === 'message'),
    close: () => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r()))),
  };
}

async function postUpdate(to: number, update: unknown): Promise<number> {
  const res = await fetch(`${procs[to]!.url}${PATH}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
    body: JSON.stringify(update),
  });
  await res.text();
  return res.status;
}

const texts = (chatId: number) => api.delivered(chatId).map((c) => String(c.payload.text));
const missionIds = (call: { payload: Record<string, unknown> } | undefined) =>
  JSON.stringify(call?.payload.reply_markup ?? {})
    .match(/"md:(\d+)"/g)
    ?.map((m) => Number(m.slice(4, -1))) ?? [];

beforeAll(async () => {
  const adminUrl = inject('pgAdminUrl');
  dbName = `${inject('pgPrefix')}_two_${randomUUID().replace(/-/g, '').slice(0, 8)}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${dbName}"`);
  await admin.end();
  dbUrl = adminUrl.replace(/\/[^/]*$/, `/${dbName}`);
  api = await startBotApi();
  connector = await startSlowConnector(400);
  const env = {
    DATABASE_URL: dbUrl,
    SEED_DEMO: 'true',
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'info',
    NOTIFY_INTERVAL_MS: '300',
    TELEGRAM_BOT_TOKEN: '9009:TWO-PROCESSES',
    TELEGRAM_API_ROOT: api.apiRoot,
    TELEGRAM_MODE: 'webhook',
    TELEGRAM_WEBHOOK_URL: 'https://bot.example/tg',
    TELEGRAM_WEBHOOK_PATH: PATH,
    TELEGRAM_WEBHOOK_SECRET: SECRET,
    MICROSOFT_APP_ID: '',
  };
  // Both at once, on the empty database.
  const started = await Promise.all([0, 1].map(() => startScript('src/main.ts', env, /prêt sur (http:\/\/127\.0\.0\.1:\d+)/, 120_000)));
  for (const s of started) procs.push({ child: s.child, url: s.match[1]!, output: s.output });
  db = connect(dbUrl);
}, 180_000);

afterAll(async () => {
  for (const p of procs) await stop(p.child);
  await db?.close();
  await api?.close();
  await connector?.close();
  const admin = new pg.Client({ connectionString: inject('pgAdminUrl') });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
  await admin.end();
});

describe('two service processes on one PostgreSQL database', () => {
  it('racing to start on an empty database, they applied each migration and seeded the demo once', async () => {
    const migrations = readdirSync(path.join(repoRoot, 'prisma', 'postgres', 'migrations'), { withFileTypes: true }).filter((d) => d.isDirectory()).length;
    const applied = await db.db.$queryRawUnsafe<{ migration_name: string }[]>('SELECT migration_name FROM "_prisma_migrations"');
    expect(applied).toHaveLength(migrations);
    expect(new Set(applied.map((a) => a.migration_name)).size).toBe(migrations);
    const seededBy = procs.filter((p) => /demo data seeded/.test(p.output()));
    expect(seededBy).toHaveLength(1);
    expect(await db.db.missionLocale.count()).toBeGreaterThan(0);
    const counsellors = await db.db.counsellor.findMany({ select: { email: true } });
    expect(new Set(counsellors.map((c) => c.email)).size).toBe(counsellors.length);
    expect(await db.db.counsellor.count({ where: { email: 'sophie.durand@ml-lyon.demo.invalid' } })).toBe(1);
  });

  it('a conversation alternating between the processes stays correct: search in one, "et à Villeurbanne ?" in the other, a button in the first', async () => {
    const chat = 9_100_001;
    expect(await postUpdate(0, textUpdate('je cherche cariste a lyon', chat))).toBe(200);
    const lyon = missionIds(api.delivered(chat)[0]);
    expect(lyon.length).toBeGreaterThan(0);
    const inLyon = await db.db.mission.findMany({ where: { id: { in: lyon } } });
    expect(inLyon.every((m) => m.sector === 'logistique' && m.communeCode === '69123')).toBe(true);

    const before = api.delivered(chat).length;
    expect(await postUpdate(1, textUpdate('et à Villeurbanne ?', chat))).toBe(200);
    const vil = missionIds(api.delivered(chat)[before]);
    expect(vil.length).toBeGreaterThan(0);
    const inVil = await db.db.mission.findMany({ where: { id: { in: vil } } });
    expect(inVil.every((m) => m.sector === 'logistique' && m.communeCode === '69266')).toBe(true);

    const after = api.delivered(chat).length;
    expect(await postUpdate(0, callbackUpdate(`md:${vil[0]}`, 55, chat))).toBe(200);
    const details = texts(chat).slice(after).join('\n');
    expect(details).toContain(inVil.find((m) => m.id === vil[0])!.title.replace(/&/g, '&amp;'));
  });

  it('a redelivered update applied by either process counts once', async () => {
    const chat = 9_100_002;
    const update = textUpdate('je cherche cariste a lyon', chat);
    const statuses = await Promise.all([postUpdate(0, update), postUpdate(1, structuredClone(update))]);
    expect(statuses).toEqual([200, 200]);
    expect(api.delivered(chat)).toHaveLength(api.delivered(chat).length);
    const replies = api.delivered(chat).length;
    expect(await postUpdate(1, structuredClone(update))).toBe(200);
    expect(api.delivered(chat).length).toBe(replies);
    expect(await db.db.processedUpdate.count({ where: { channel: 'telegram', eventId: String(update.update_id) } })).toBe(1);
    // One answer (possibly several messages), not two: the messages of one rendering, sent once.
    const firsts = texts(chat).filter((t) => t === texts(chat)[0]);
    expect(firsts).toHaveLength(1);
  });

  it('the per-user rate limit is one budget across the processes', async () => {
    const chat = 9_100_003;
    expect(await postUpdate(0, textUpdate('bonjour', chat))).toBe(200);
    const perGreeting = api.delivered(chat).length;
    expect(perGreeting).toBeGreaterThan(0);
    for (let i = 1; i < 22; i++) expect(await postUpdate(i % 2, textUpdate('bonjour', chat))).toBe(200);
    // 20 answered (10 by each process), the 21st told to wait, the 22nd not answered at all.
    const told = texts(chat).filter((t) => /beaucoup de messages/.test(t));
    expect(told).toHaveLength(1);
    expect(texts(chat).length).toBe(20 * perGreeting + 1);
  }, 60_000);

  it('pending counsellor alerts are delivered exactly once, with a slow Teams connector', async () => {
    const res = await fetch(`${procs[0]!.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(teamsMessage(connector.url, SOPHIE_AAD, { text: 'bonjour' })) });
    expect(res.status).toBeLessThan(300);
    const sophie = await db.db.counsellor.findFirstOrThrow({ where: { email: 'sophie.durand@ml-lyon.demo.invalid' } });
    await eventually(async () => (await db.db.channelAddress.count({ where: { channel: 'teams', channelUserId: `counsellor:${sophie.id}` } })) === 1, 'Sophie\'s address');
    const before = connector.messages().length;
    const youth = await db.db.youth.findMany({ where: { counsellorId: sophie.id }, take: 5, orderBy: { id: 'asc' } });
    expect(youth).toHaveLength(5);
    const ids: number[] = [];
    for (const y of youth) {
      const r = await db.db.youthRequest.create({ data: { youthId: y.id, kind: 'contact', status: 'open' } });
      const n = await db.db.notification.create({
        data: { kind: 'youth_request', channel: 'teams', counsellorId: sophie.id, youthId: y.id, dedupeKey: `youth_request:${r.id}`, payload: { kind: 'youth_request', counsellorId: sophie.id, youthId: y.id, requestId: r.id, requestKind: 'contact' } },
      });
      ids.push(n.id);
    }
    await eventually(async () => (await db.db.notification.count({ where: { id: { in: ids }, status: 'sent' } })) === 5, 'five alerts sent', 40_000);
    // Both processes were sweeping every 300 ms while each card took 400 ms to be accepted.
    await new Promise((r) => setTimeout(r, 1_500));
    expect(connector.messages().length - before).toBe(5);
    const rows = await db.db.notification.findMany({ where: { id: { in: ids } } });
    expect(rows.every((r) => r.attempts === 1)).toBe(true);
  }, 60_000);
});
