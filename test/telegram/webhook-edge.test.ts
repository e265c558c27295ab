import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { connect, type StoreConnection } from '../../src/store/client.js';
import { bindStore } from '../../src/store/index.js';
import { MAX_DELIVERY_ATTEMPTS } from '../../bots/telegram/webhook.js';
import { postgresTestDatabase, type TestDatabase } from '../helpers/db.js';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.js';
import { botMessages, startEmulator } from './helpers/emulator.js';
import { appLogs, startTelegramApp } from './helpers/app.js';
import { textUpdate } from './helpers/fake-api.js';

/**
 * The webhook's edge on the real service: hostile bodies get 4xx or a quiet 200, never a 500; a turn that met a
 * database cut answers 500 so Telegram redelivers, a bounded number of times; the redelivery after the database
 * came back is handled once. PostgreSQL is reached through a TCP proxy the test cuts.
 */
const TOKEN = '5003003:EDGE-test';
const SECRET = 'edge_secret-7';
const PATH = '/telegram/webhook';

let db: TestDatabase;
let proxy: TcpProxy;
let through: StoreConnection;
let emulator: Awaited<ReturnType<typeof startEmulator>>;
let app: App;

beforeAll(async () => {
  db = await postgresTestDatabase();
  const u = new URL(db.url);
  proxy = await startTcpProxy({ host: u.hostname, port: Number(u.port || 5432) });
  through = connect(proxy.urlThrough(db.url));
  emulator = await startEmulator();
  ({ app } = await startTelegramApp(
    { ...db, store: bindStore(through.db), connection: through },
    {
      TELEGRAM_BOT_TOKEN: TOKEN,
      TELEGRAM_API_ROOT: emulator.apiRoot,
      TELEGRAM_MODE: 'webhook',
      TELEGRAM_WEBHOOK_URL: 'https://example.invalid/hook',
      TELEGRAM_WEBHOOK_PATH: PATH,
      TELEGRAM_WEBHOOK_SECRET: SECRET,
    },
  ));
});

afterAll(async () => {
  await app?.stop();
  await emulator?.stop();
  await proxy?.close();
  await db?.close();
});

function post(body: string, contentType = 'application/json', secret = SECRET) {
  return fetch(`${app.url}${PATH}`, { method: 'POST', headers: { 'content-type': contentType, 'x-telegram-bot-api-secret-token': secret }, body });
}
const json = (update: unknown) => post(JSON.stringify(update));

describe('Telegram webhook edge', () => {
  it('refuses what is not an update with 400 and answers malformed updates 200 without handling them', async () => {
    expect((await post('hello', 'text/plain')).status).toBe(400);
    expect((await post('[1,2]')).status).toBe(400);
    expect((await json({ update_id: 'x', message: {} })).status).toBe(400);
    const user = { id: 6001, is_bot: false, first_name: 'Zoé' };
    const hostile = [
      { update_id: 900_001, callback_query: { id: 'q', data: 'x', message: { message_id: 1, chat: { id: 6001, type: 'private' } } } },
      { update_id: 900_002, message: { message_id: 1, date: 1, chat: { id: 6001, type: 'private' }, from: { ...user, first_name: 42 }, text: 'salut' } },
      { update_id: 900_003, message: { message_id: 1, date: 1, from: user, text: 'salut' } },
      { update_id: 900_004, message: { message_id: 1, date: 1, chat: { id: 6001, type: 'private' }, from: user, text: { toString: 1 } } },
      { update_id: 900_005, edited_message: { message_id: 1, date: 1, chat: { id: 6001, type: 'private' }, from: user, text: 'salut' } },
      { update_id: 900_006, message: { message_id: 1, date: 1, chat: { id: '6001', type: 'private' }, from: user, text: 'salut' } },
      // Found by the reliability suite at its default size: a membership change without its new status was a TypeError and a 500.
      { update_id: 900_007, my_chat_member: { chat: { id: 6001, type: 'private' }, from: user, date: 1, old_chat_member: { status: 'member', user } } },
      { update_id: 900_008, my_chat_member: { chat: { id: 6001, type: 'private' }, from: user, date: 1, old_chat_member: { status: 'member', user }, new_chat_member: null } },
      { update_id: 900_009, my_chat_member: { chat: { id: 6001, type: 'private' }, from: user, date: 1, new_chat_member: { status: 42, user } } },
    ];
    for (const u of hostile) expect((await json(u)).status).toBe(200);
    expect(botMessages(emulator.server, TOKEN, 6001)).toEqual([]);
    for (const u of hostile) expect(appLogs.lines.filter((l) => l.includes('"update ignored"') && l.includes(`"updateId":${u.update_id}`))).toHaveLength(1);
    expect((await post(JSON.stringify(textUpdate('salut', 6001)), 'application/json', 'wrong')).status).toBe(401);
  });

  it('answers malformed JSON 400 and a body over HTTP_BODY_LIMIT 413, in JSON, before any turn (the route is served ahead of express)', async () => {
    const broken = await post('{"update_id": 930001, "message": ');
    expect(broken.status).toBe(400);
    expect(await broken.json()).toEqual({ error: 'bad request' });
    // The default limit is 256 kB: a text of 300,000 characters is over it.
    const huge = await post(JSON.stringify(textUpdate('x'.repeat(300_000), 6002)));
    expect(huge.status).toBe(413);
    expect(await huge.json()).toEqual({ error: 'payload too large' });
    // GET on the webhook path is no route at all.
    expect((await fetch(`${app.url}${PATH}`)).status).toBe(404);
    expect(botMessages(emulator.server, TOKEN, 6002)).toEqual([]);
    // A query string does not hide the route.
    const ok = await fetch(`${app.url}${PATH}?from=proxy`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET }, body: JSON.stringify(textUpdate('bonjour', 6010)) });
    expect(ok.status).toBe(200);
    expect(botMessages(emulator.server, TOKEN, 6010).length).toBeGreaterThan(0);
  });

  it('a turn that met a database cut answers 500 (redeliver), tells the user once, and is dropped after the bound', async () => {
    const chat = 6002;
    const update = { ...textUpdate('bonjour', chat), update_id: 910_001 };
    proxy.cut();
    try {
      const statuses: number[] = [];
      for (let i = 0; i < MAX_DELIVERY_ATTEMPTS; i++) statuses.push((await json(update)).status);
      expect(statuses).toEqual([...Array(MAX_DELIVERY_ATTEMPTS - 1).fill(500), 200]);
      const told = botMessages(emulator.server, TOKEN, chat);
      expect(told).toHaveLength(1);
      expect(told[0]!.text).toMatch(/Réessaie dans quelques minutes/);
      expect(appLogs.lines.some((l) => l.includes('"update dropped after repeated passing failures"') && l.includes('"updateId":910001'))).toBe(true);
    } finally {
      proxy.restore();
    }
  });

  it('the redelivery after the database came back is answered, once', async () => {
    const chat = 6003;
    const update = { ...textUpdate('bonjour', chat), update_id: 920_001 };
    proxy.cut();
    try {
      expect((await json(update)).status).toBe(500);
    } finally {
      proxy.restore();
    }
    expect((await json(update)).status).toBe(200);
    expect((await json(update)).status).toBe(200);
    const messages = botMessages(emulator.server, TOKEN, chat);
    expect(messages).toHaveLength(2);
    expect(messages[0]!.text).toMatch(/Réessaie dans quelques minutes/);
    expect(messages[1]!.text).toMatch(/Salut|Bonjour/);
    expect(await db.connection.db.processedUpdate.count({ where: { channel: 'telegram', eventId: '920001' } })).toBe(1);
  });
});
