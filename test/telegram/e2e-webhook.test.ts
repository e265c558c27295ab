import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import type { TelegramChannel } from '../../bots/telegram/index.js';
import { postgresTestDatabase, type TestDatabase } from '../helpers/db.js';
import { freePort, startEmulator, Youth, type BotMessage } from './helpers/emulator.js';
import { linkCodeFor, startTelegramApp } from './helpers/app.js';
import { telegramHtmlProblems } from './helpers/telegram-html.js';
import { textUpdate } from './helpers/fake-api.js';

/**
 * Webhook mode on the shared HTTP server, on PostgreSQL. The emulator calls the webhook URL the bot registered,
 * but unlike Telegram it does not send the secret header: a small relay plays that part, with the secret the bot
 * registered through setWebhook (so the test also checks the bot registered the right one).
 */
const TOKEN = '5002002:WEBHOOK-test';
const SECRET = 'webhook_secret-42';
const PATH = '/telegram/webhook';
const KEVIN_CHAT = 7002;

let db: TestDatabase;
let emulator: Awaited<ReturnType<typeof startEmulator>>;
let app: App;
let telegram: TelegramChannel;
let relay: http.Server;
let kevin: Youth;

const visible = (m: BotMessage | undefined) => (m?.text ?? '').replace(/<[^>]+>/g, '').replace(/&amp;/g, '&');
const registered = () => (emulator.server as unknown as { webhooks: Record<string, { url: string; secret_token?: string }> }).webhooks[TOKEN];

async function startRelay(port: number): Promise<http.Server> {
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const secret = registered()?.secret_token;
    const upstream = await fetch(`${app.url}${PATH}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(secret ? { 'x-telegram-bot-api-secret-token': secret } : {}) },
      body: Buffer.concat(chunks),
    });
    res.writeHead(upstream.status, { 'content-type': 'application/json' }).end(await upstream.text());
  });
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  return server;
}

beforeAll(async () => {
  db = await postgresTestDatabase();
  emulator = await startEmulator();
  const relayPort = await freePort();
  relay = await startRelay(relayPort);
  ({ app, telegram } = await startTelegramApp(db, {
    TELEGRAM_BOT_TOKEN: TOKEN,
    TELEGRAM_API_ROOT: emulator.apiRoot,
    TELEGRAM_MODE: 'webhook',
    TELEGRAM_WEBHOOK_URL: `http://127.0.0.1:${relayPort}/hook`,
    TELEGRAM_WEBHOOK_PATH: PATH,
    TELEGRAM_WEBHOOK_SECRET: SECRET,
  }));
  kevin = new Youth(emulator.server, emulator.server.getClient(TOKEN, { userId: KEVIN_CHAT, chatId: KEVIN_CHAT, firstName: 'Kevin' }), TOKEN, KEVIN_CHAT);
});

afterAll(async () => {
  await app?.stop();
  await new Promise<void>((r) => (relay ? relay.close(() => r()) : r()));
  await emulator?.stop();
  await db?.close();
});

describe('Telegram, webhook on the shared server', () => {
  it('registers its webhook with the secret at start-up', () => {
    expect(telegram.status()).toBe(`webhook ${PATH}`);
    expect(registered()).toMatchObject({ url: expect.stringMatching(/\/hook$/), secret_token: SECRET });
  });

  it('refuses a webhook call without the right secret header (401) and handles nothing', async () => {
    const post = (headers: Record<string, string>) =>
      fetch(`${app.url}${PATH}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(textUpdate('/start', KEVIN_CHAT)) });
    expect((await post({})).status).toBe(401);
    expect((await post({ 'x-telegram-bot-api-secret-token': 'not-the-secret' })).status).toBe(401);
    await new Promise((r) => setTimeout(r, 200));
    expect(kevin.messages()).toEqual([]);
  });

  it('answers a conversation delivered through the webhook', async () => {
    const [hello] = await kevin.say('/start');
    expect(visible(hello)).toMatch(/Salut Kevin 👋/);
    const [list] = await kevin.say('je cherche une mission à lyon');
    expect(visible(list)).toMatch(/missions ouvertes · à Lyon \(1-5\)/);
    const { messages, edited } = await kevin.press(/Voir plus/);
    expect(messages).toEqual([]);
    expect(visible(edited)).toMatch(/\(6-10\)/);
  });

  it('links Kevin and records his application (PostgreSQL)', async () => {
    const youth = await db.connection.db.youth.findFirst({ where: { firstName: 'Kevin', lastName: 'Bernard' }, select: { id: true } });
    const code = await linkCodeFor(app, 'Kevin Bernard', db.now);
    const [linked] = await kevin.say(`code ${code}`);
    expect(visible(linked)).toMatch(/Ton compte est relié à ton dossier, Kevin/);
    const before = await db.connection.db.application.count({ where: { youthId: youth!.id } });
    const [list] = await kevin.say('une mission à lyon');
    const apply = list!.keyboard.flat().find((b) => /^1\. .*Ça m’intéresse/.test(b.text))!;
    const { messages } = await kevin.press(apply.text);
    expect(visible(messages[0])).toMatch(/est enregistré/);
    expect(await db.connection.db.application.count({ where: { youthId: youth!.id } })).toBe(before + 1);
  });

  it('every message sent is well-formed Telegram HTML', () => {
    const all = emulator.server.storage.botMessages.filter((u) => u.botToken === TOKEN);
    expect(all.length).toBeGreaterThanOrEqual(5);
    for (const u of all) expect(telegramHtmlProblems(String(u.message.text))).toEqual([]);
  });
});
