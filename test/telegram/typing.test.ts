import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TYPING_DELAY_MS } from '../../bots/telegram/bot.js';
import { createTelegramChannel } from '../../bots/telegram/index.js';
import { startApp, type App } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { postgresTestDatabase, type TestDatabase } from '../helpers/db.js';
import { capturingLogger } from '../helpers/logs.js';
import { BOT_INFO, textUpdate } from './helpers/fake-api.js';
import { startBotApi } from './helpers/bot-api-server.js';

/**
 * The Telegram convention of #14: "typing…" (sendChatAction) only for a turn still running after about a second;
 * a fast turn sends its reply and nothing else. The real service in webhook mode, the Bot API stand-in over real
 * HTTP, PostgreSQL. The slow turn is slow for a real reason: the test holds a lock on the table every turn writes
 * (its processed-update mark), so the core waits on the database until the test lets go.
 */
const SECRET = 'typing_secret';
const PATH = '/tg';
const ABOUT_A_SECOND = TYPING_DELAY_MS;

let db: TestDatabase;
let api: Awaited<ReturnType<typeof startBotApi>>;
let app: App;
let chat = 990_000;

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

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The Bot API calls made for one chat, in order. */
const callsFor = (chatId: number) => api.calls.filter((c) => String(c.payload.chat_id) === String(chatId)).map((c) => c.method);

/** Another session's transaction holding a lock that makes every turn's write wait, until `release()`. */
async function holdTurnWrites(): Promise<{ release(): Promise<void> }> {
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  await client.query('BEGIN');
  await client.query('LOCK TABLE "ProcessedUpdate" IN SHARE MODE');
  return {
    async release() {
      await client.query('COMMIT');
      await client.end();
    },
  };
}

beforeAll(async () => {
  db = await postgresTestDatabase();
  api = await startBotApi();
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    NOTIFY_INTERVAL_MS: '3600000',
    TELEGRAM_BOT_TOKEN: '7007:TYPING',
    TELEGRAM_API_ROOT: api.apiRoot,
    TELEGRAM_MODE: 'webhook',
    TELEGRAM_WEBHOOK_URL: 'https://bot.example/tg',
    TELEGRAM_WEBHOOK_PATH: PATH,
    TELEGRAM_WEBHOOK_SECRET: SECRET,
  });
  app = await startApp({
    config,
    log: capturingLogger('debug').log,
    channels: [(deps) => createTelegramChannel(deps, { botInfo: BOT_INFO })],
    now: () => db.now,
    opened: { store: db.store, connection: { ...db.connection, close: async () => undefined } },
  });
  // The first turn loads the NLU and warms the pools: that start-up is not the turn under test.
  expect((await post(textUpdate('bonjour', ++chat))).status).toBe(200);
}, 60_000);

afterAll(async () => {
  await app?.stop();
  await api?.close();
  await db?.close();
});

describe('Telegram typing indicator', () => {
  it('a turn still running after about a second shows "typing…", then the reply', async () => {
    const chatId = ++chat;
    const lock = await holdTurnWrites();
    let answered = false;
    const response = post(textUpdate('missions à Lyon', chatId)).then((r) => {
      answered = true;
      return r;
    });
    try {
      await sleep(ABOUT_A_SECOND + 800);
      expect(answered).toBe(false);
      expect(callsFor(chatId)).toEqual(['sendChatAction']);
      expect(api.calls.find((c) => String(c.payload.chat_id) === String(chatId))?.payload.action).toBe('typing');
    } finally {
      await lock.release();
    }
    expect((await response).status).toBe(200);
    const calls = callsFor(chatId);
    expect(calls[0]).toBe('sendChatAction');
    expect(calls.lastIndexOf('sendChatAction')).toBeLessThan(calls.indexOf('sendMessage'));
  });

  it('a fast turn sends its reply and no "typing…"', async () => {
    // The premise: a turn well under a second. On a loaded machine one may not be, so up to three are tried and
    // the first fast one is checked (a slow one rightly shows "typing…").
    let checked = false;
    for (let attempt = 0; attempt < 3 && !checked; attempt++) {
      const chatId = ++chat;
      const { status, ms } = await post(textUpdate('aide', chatId));
      expect(status).toBe(200);
      if (ms >= ABOUT_A_SECOND * 0.7) continue;
      await sleep(ABOUT_A_SECOND + 300);
      const calls = callsFor(chatId);
      expect(calls).toContain('sendMessage');
      expect(calls).not.toContain('sendChatAction');
      checked = true;
    }
    expect(checked).toBe(true);
  });
});
