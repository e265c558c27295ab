import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTelegramChannel } from '../../bots/telegram/index.js';
import { startApp, type App } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { sqliteTestDatabase, type TestDatabase } from '../helpers/db.js';
import { capturingLogger } from '../helpers/logs.js';
import { BOT_INFO, textUpdate } from '../telegram/helpers/fake-api.js';
import { eventually, startBotApi } from '../telegram/helpers/bot-api-server.js';

/**
 * Replies and proactive messages under pushback from the Bot API, over real HTTP, through the real service in
 * webhook mode: each failure class is handled as the retry policy says, nothing is lost, nothing is sent twice,
 * and a user who blocked the bot is not tried again.
 */
const SECRET = 'pushback_secret';
const PATH = '/tg';
const logs = capturingLogger('debug');

let db: TestDatabase;
let api: Awaited<ReturnType<typeof startBotApi>>;
let app: App;
let chat = 880_000;

async function post(update: unknown): Promise<{ status: number; ms: number }> {
  const started = Date.now();
  const res = await fetch(`${app.url}${PATH}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
    body: JSON.stringify(update),
  });
  await res.text();
  return { status: res.status, ms: Date.now() - started };
}

const rowsFor = async (chatId: number) =>
  (await db.connection.db.notification.findMany({ where: { kind: 'deferred_reply' }, orderBy: { id: 'asc' } })).filter((r) => r.dedupeKey !== null && (r.payload as { address?: string }).address === String(chatId));

/** Links a demo youth to a fresh Telegram chat, and enqueues a mission proposal for them. */
async function proposalToNewChat(chatId = ++chat): Promise<{ chatId: number; id: number }> {
  const youth = await db.connection.db.youth.findFirstOrThrow({ where: { telegramChatId: null }, orderBy: { id: 'asc' } });
  await db.connection.db.youth.update({ where: { id: youth.id }, data: { telegramChatId: String(chatId), telegramUserId: String(chatId) } });
  const mission = await db.connection.db.mission.findFirstOrThrow({ where: { status: 'open', applications: { none: { youthId: youth.id } } }, orderBy: { id: 'asc' } });
  // A proposal is sent while its application waits for the young person's answer (as propose_mission records it).
  await db.store.activity.recordApplication(youth.id, mission.id, 'counsellor_proposal');
  const id = await db.store.notifications.enqueueNotification({ kind: 'mission_proposal', youthId: youth.id, missionId: mission.id, counsellorId: youth.counsellorId });
  return { chatId, id };
}

const row = (id: number) => db.connection.db.notification.findUniqueOrThrow({ where: { id } });

beforeAll(async () => {
  db = await sqliteTestDatabase();
  api = await startBotApi();
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    NOTIFY_INTERVAL_MS: '200',
    TELEGRAM_BOT_TOKEN: '7007:PUSHBACK',
    TELEGRAM_API_ROOT: api.apiRoot,
    TELEGRAM_MODE: 'webhook',
    TELEGRAM_WEBHOOK_URL: 'https://bot.example/tg',
    TELEGRAM_WEBHOOK_PATH: PATH,
    TELEGRAM_WEBHOOK_SECRET: SECRET,
  });
  app = await startApp({
    config,
    log: logs.log,
    channels: [(deps) => createTelegramChannel(deps, { botInfo: BOT_INFO })],
    now: () => db.now,
    opened: { store: db.store, connection: { ...db.connection, close: async () => undefined } },
  });
});

afterAll(async () => {
  await app?.stop();
  await api?.close();
  await db?.close();
});

describe('a reply refused by the Bot API', () => {
  it('429 with a short retry_after: waited as told inside the turn, sent once', async () => {
    const chatId = ++chat;
    api.script('sendMessage', { kind: 'error', code: 429, description: 'Too Many Requests: retry after 1', retryAfter: 1 });
    const { status, ms } = await post(textUpdate('bonjour', chatId));
    expect(status).toBe(200);
    expect(ms).toBeGreaterThanOrEqual(1_000);
    expect(api.attempts(chatId)).toHaveLength(2);
    expect(api.delivered(chatId)).toHaveLength(1);
    expect(await rowsFor(chatId)).toEqual([]);
  });

  it('429 with retry_after above 60 s: the webhook answers at once, the reply waits in the queue as told, then goes once', async () => {
    const chatId = ++chat;
    api.script('sendMessage', { kind: 'error', code: 429, description: 'Too Many Requests: retry after 120', retryAfter: 120 });
    const before = Date.now();
    const { status, ms } = await post(textUpdate('bonjour', chatId));
    expect(status).toBe(200);
    expect(ms).toBeLessThan(5_000);
    const [queued] = await rowsFor(chatId);
    expect(queued).toMatchObject({ status: 'pending', channel: 'telegram', attempts: 0 });
    expect(queued!.nextAttemptAt.getTime()).toBeGreaterThanOrEqual(before + 120_000);
    expect(api.delivered(chatId)).toHaveLength(0);
    // Two minutes later (moved forward here rather than waited): delivered once, by the running engine.
    await db.connection.db.notification.update({ where: { id: queued!.id }, data: { nextAttemptAt: new Date() } });
    await eventually(async () => (await row(queued!.id)).status === 'sent', 'the deferred reply to be sent');
    expect(api.delivered(chatId)).toHaveLength(1);
    expect(String(api.delivered(chatId)[0]!.payload.text)).toMatch(/\S/);
    // A redelivery of the same update by Telegram changes nothing.
    const again = await post({ ...textUpdate('bonjour', chatId), update_id: Number((queued!.dedupeKey ?? '').split(':').pop()) });
    expect(again.status).toBe(200);
    expect(await app.delivery.runDue()).toMatchObject({ sent: 0 });
    expect(api.delivered(chatId)).toHaveLength(1);
    expect(await db.connection.db.notification.count({ where: { dedupeKey: queued!.dedupeKey } })).toBe(1);
    // Once sent, the reply's text is not kept.
    expect(JSON.stringify((await row(queued!.id)).payload)).not.toContain(String(chatId));
  });

  it('a run of 500s: handed to the queue, backed off, sent once when the Bot API is back', async () => {
    const chatId = ++chat;
    const e500 = { kind: 'error', code: 500, description: 'Internal Server Error' } as const;
    api.script('sendMessage', e500, e500, e500);
    const { status } = await post(textUpdate('bonjour', chatId));
    expect(status).toBe(200);
    const [queued] = await rowsFor(chatId);
    expect(queued).toBeDefined();
    await eventually(async () => (await row(queued!.id)).status === 'sent', 'the reply to be sent after the 500s', 20_000);
    const done = await row(queued!.id);
    // One failure in the turn, two by the engine (backing off), then the send that worked.
    expect(done.attempts).toBe(3);
    expect(api.attempts(chatId)).toHaveLength(4);
    expect(api.delivered(chatId)).toHaveLength(1);
    const gaps = api.attempts(chatId).slice(1).map((c, i) => c.at - api.attempts(chatId)[i]!.at);
    expect(gaps.every((g) => g >= 400)).toBe(true);
  });

  it('a dropped connection: handed to the queue and sent once', async () => {
    const chatId = ++chat;
    api.script('sendMessage', { kind: 'drop' });
    const { status } = await post(textUpdate('bonjour', chatId));
    expect(status).toBe(200);
    const [queued] = await rowsFor(chatId);
    expect(queued).toBeDefined();
    await eventually(async () => (await row(queued!.id)).status === 'sent', 'the reply to be sent after the dropped connection');
    expect(api.delivered(chatId)).toHaveLength(1);
  });

  it('403 (bot blocked): not queued, the chat is marked unreachable, and nothing proactive is tried again', async () => {
    const chatId = ++chat;
    api.rule((method, p) => (method === 'sendMessage' && String(p.chat_id) === String(chatId) ? { kind: 'error', code: 403, description: 'Forbidden: bot was blocked by the user' } : undefined));
    const { status } = await post(textUpdate('bonjour', chatId));
    expect(status).toBe(200);
    expect(await rowsFor(chatId)).toEqual([]);
    expect(await db.store.notifications.isAddressUnreachable('telegram', String(chatId))).toBe(true);
    const attemptsBefore = api.attempts(chatId).length;
    expect(attemptsBefore).toBe(1);
    const { id } = await proposalToNewChat(chatId);
    await eventually(async () => (await row(id)).status !== 'pending', 'the proposal to reach a final state');
    expect(await row(id)).toMatchObject({ status: 'unreachable', lastError: 'address_unreachable' });
    expect(api.attempts(chatId)).toHaveLength(attemptsBefore);
  });
});

describe('a proactive message refused by the Bot API', () => {
  it('429: waits as told (retry_after), then goes once; attempts and the next time are in the store', async () => {
    const { chatId, id } = await proposalToNewChat();
    api.rule((method, p) =>
      method === 'sendMessage' && String(p.chat_id) === String(chatId) && api.attempts(chatId).length === 0
        ? { kind: 'error', code: 429, description: 'Too Many Requests: retry after 2', retryAfter: 2 }
        : undefined,
    );
    await eventually(async () => api.attempts(chatId).length > 0, 'the first attempt');
    const afterFirst = await row(id);
    expect(afterFirst.lastError).toBe('telegram 429');
    await eventually(async () => (await row(id)).status === 'sent', 'the proposal to be sent');
    const [first, second] = api.attempts(chatId);
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(2_000);
    expect(await row(id)).toMatchObject({ status: 'sent', attempts: 2 });
    expect(api.delivered(chatId)).toHaveLength(1);
    expect(String(api.delivered(chatId)[0]!.payload.text)).toMatch(/te propose une mission/);
  });

  it('403 on a proactive message: final state unreachable after one attempt, never retried', async () => {
    const { chatId, id } = await proposalToNewChat();
    api.rule((method, p) => (method === 'sendMessage' && String(p.chat_id) === String(chatId) ? { kind: 'error', code: 403, description: 'Forbidden: user is deactivated' } : undefined));
    await eventually(async () => (await row(id)).status !== 'pending', 'the proposal to reach a final state');
    expect(await row(id)).toMatchObject({ status: 'unreachable', attempts: 1, lastError: 'telegram 403' });
    await new Promise((r) => setTimeout(r, 600));
    expect(api.attempts(chatId)).toHaveLength(1);
    expect(await db.store.notifications.isAddressUnreachable('telegram', String(chatId))).toBe(true);
  });

  it('proactive messages to one chat go at most one per second', async () => {
    const chatId = ++chat;
    const reply = { blocks: [{ type: 'text', segments: ['x'] }] };
    for (let i = 0; i < 3; i++) {
      await db.store.notifications.enqueueDeferredReply({ kind: 'deferred_reply', channel: 'telegram', address: String(chatId), reply, eventId: `pace-${chatId}-${i}`, partsSent: 0, notBefore: new Date() });
    }
    await eventually(() => api.delivered(chatId).length === 3, 'three messages');
    const times = api.delivered(chatId).map((c) => c.at);
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(900);
    expect(times[2]! - times[1]!).toBeGreaterThanOrEqual(900);
  });

  it('logs each attempt with ids and classes only', () => {
    const attempts = logs.lines.filter((l) => l.includes('delivery attempt'));
    expect(attempts.length).toBeGreaterThan(0);
    for (const l of attempts) expect(l).not.toMatch(/bonjour|propose|Too Many|Forbidden/);
    expect(attempts.some((l) => /"outcome":"retry"/.test(l) && /"nextAttemptAt"/.test(l))).toBe(true);
  });
});
