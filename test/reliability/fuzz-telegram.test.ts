import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTelegramChannel } from '../../bots/telegram/index.js';
import { startApp, type App } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { sqliteTestDatabase, type TestDatabase } from '../helpers/db.js';
import { capturingLogger } from '../helpers/logs.js';
import { telegramHtmlProblems } from '../telegram/helpers/telegram-html.js';
import { startBotApi } from './helpers/bot-api.js';
import { fuzzText, mutate, prng, type Rng } from './helpers/fuzz.js';

/**
 * 10,000 fuzzed Telegram updates through the real webhook (HTTP, grammY, the core, SQLite), sent 8 at a time:
 * realistic texts, commands, button presses (callback data the bot really sent, and forged ones), stickers,
 * groups and channels, and structural mutations of each. Expected: no 5xx, no crash, every message the bot sent
 * is well-formed Telegram HTML within Telegram's limits.
 */
const COUNT = Number(process.env.RELIABILITY_TELEGRAM_UPDATES ?? 10_000);
const SEED = Number(process.env.RELIABILITY_SEED ?? 11);
const TOKEN = '5009009:FUZZ-test';
const SECRET = 'fuzz_secret';
const PATH = '/telegram/webhook';

let db: TestDatabase;
let app: App;
let api: Awaited<ReturnType<typeof startBotApi>>;
const logs = capturingLogger('info');

beforeAll(async () => {
  db = await sqliteTestDatabase();
  api = await startBotApi();
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    NOTIFY_INTERVAL_MS: '3600000',
    RATE_LIMIT_PER_MINUTE: '10000',
    TELEGRAM_BOT_TOKEN: TOKEN,
    TELEGRAM_API_ROOT: api.apiRoot,
    TELEGRAM_MODE: 'webhook',
    TELEGRAM_WEBHOOK_URL: 'https://example.invalid/hook',
    TELEGRAM_WEBHOOK_PATH: PATH,
    TELEGRAM_WEBHOOK_SECRET: SECRET,
    TELEGRAM_BOT_USERNAME: 'MissionJeunesTestBot',
  });
  app = await startApp({ config, log: logs.log, channels: [(deps) => createTelegramChannel(deps)], now: () => db.now, opened: { store: db.store, connection: db.connection } });
});
afterAll(async () => {
  await app?.stop();
  await api?.close();
});

function user(r: Rng) {
  const id = 7_000_000 + r.int(300);
  return { id, is_bot: false, first_name: r.pick(['Léa', 'Kevin', '<b>Zoé</b>', '&amp;', '👾', 'x'.repeat(64)]), language_code: r.pick(['fr', 'en', 'ar']) };
}

/** Callback data the bot really offered, so presses reach deep handlers. */
function offeredCallbacks(): string[] {
  const out: string[] = [];
  for (const c of api.calls.slice(-400)) {
    const kb = (c.payload.reply_markup as { inline_keyboard?: { callback_data?: string }[][] } | undefined)?.inline_keyboard;
    for (const row of kb ?? []) for (const b of row) if (b.callback_data) out.push(b.callback_data);
  }
  return out;
}

function fuzzUpdate(r: Rng, updateId: number): unknown {
  const from = user(r);
  const chat = r.chance(0.9) ? { id: from.id, type: 'private', first_name: from.first_name } : { id: -1_000_000 - r.int(50), type: r.pick(['group', 'supergroup', 'channel']), title: 'Groupe' };
  const roll = r.next();
  let update: Record<string, unknown>;
  if (roll < 0.6) update = { update_id: updateId, message: { message_id: updateId, date: 1, chat, from, text: fuzzText(r) } };
  else if (roll < 0.8) {
    const offered = offeredCallbacks();
    const data = offered.length && r.chance(0.7) ? r.pick(offered) : r.pick(['md:1', 'ap:999999', 'yf:1', 'x', 'md:-1', 'st:zz', '🙂', 'a'.repeat(64), 'cf:1']);
    update = { update_id: updateId, callback_query: { id: `cq${updateId}`, from, chat_instance: '1', data, message: { message_id: 1 + r.int(100), date: 1, chat } } };
  } else if (roll < 0.88) update = { update_id: updateId, message: { message_id: updateId, date: 1, chat, from, sticker: { file_id: 'x', type: 'regular' } } };
  else if (roll < 0.92) update = { update_id: updateId, channel_post: { message_id: updateId, date: 1, chat: { id: -100_777, type: 'channel', title: 'C' }, text: 'post' } };
  else if (roll < 0.95) update = { update_id: updateId, my_chat_member: { chat, from, date: 1, old_chat_member: { status: 'member', user: from }, new_chat_member: { status: 'kicked', user: from } } };
  else update = { update_id: updateId, edited_message: { message_id: updateId, date: 1, chat, from, text: 'edit' } };
  return r.chance(0.3) ? { ...(mutate(r, update) as object), update_id: r.chance(0.9) ? updateId : mutate(r, updateId) } : update;
}

describe(`${COUNT} fuzzed Telegram updates through the webhook`, () => {
  it('no 5xx, no crash, every message sent is well-formed and bounded', async () => {
    const r = prng(SEED);
    const statuses = new Map<number, number>();
    /** What was sent, to show the update behind a failure (the fuzzer's order depends on timing). */
    const bodies = new Map<number, string>();
    const failed: string[] = [];
    let next = 0;
    const started = Date.now();
    const worker = async () => {
      while (next < COUNT) {
        const updateId = 50_000_000 + next++;
        const asText = r.chance(0.02);
        const body = asText ? 'update_id=1' : JSON.stringify(fuzzUpdate(r, updateId));
        bodies.set(updateId, body);
        const res = await fetch(`${app.url}${PATH}`, {
          method: 'POST',
          headers: { 'content-type': asText ? 'text/plain' : 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
          body,
        });
        await res.arrayBuffer();
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        if (res.status >= 500) failed.push(body.slice(0, 1_500));
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    const seconds = (Date.now() - started) / 1000;

    const sent = api.calls.filter((c) => c.method === 'sendMessage' || c.method === 'editMessageText');
    const htmlProblems = sent.filter((c) => telegramHtmlProblems(String(c.payload.text)).length > 0);
    const tooLong = sent.filter((c) => String(c.payload.text).replace(/<[^>]+>/g, '').length > 4_096);
    const badButtons = sent.filter((c) => {
      const kb = (c.payload.reply_markup as { inline_keyboard?: { text: string; callback_data?: string }[][] } | undefined)?.inline_keyboard ?? [];
      return kb.flat().length > 100 || kb.flat().some((b) => Buffer.byteLength(b.callback_data ?? '') > 64 || b.text.length === 0 || b.text.length > 200);
    });
    const errors = logs.lines.filter((l) => l.includes('"level":50'));
    console.log(
      `[reliability] telegram fuzz: ${COUNT} updates in ${seconds.toFixed(1)} s (${(COUNT / seconds).toFixed(0)}/s), statuses ${JSON.stringify(Object.fromEntries(statuses))}, ` +
        `${sent.length} messages sent, ${htmlProblems.length} malformed HTML, ${tooLong.length} too long, ${badButtons.length} bad keyboards, ${errors.length} error log lines ${JSON.stringify([...new Set(errors.map((l) => (JSON.parse(l) as { msg: string; err?: unknown; type?: unknown }).msg + ':' + JSON.stringify((JSON.parse(l) as { err?: unknown }).err ?? (JSON.parse(l) as { type?: unknown }).type)))])}`,
    );
    expect(failed).toEqual([]);
    expect([...statuses.keys()].filter((s) => s >= 500)).toEqual([]);
    expect([...statuses.keys()].every((s) => s === 200 || s === 400)).toBe(true);
    expect(htmlProblems.map((c) => String(c.payload.text).slice(0, 200))).toEqual([]);
    expect(tooLong).toHaveLength(0);
    expect(badButtons).toHaveLength(0);
    expect(errors.map((l) => bodies.get(Number((JSON.parse(l) as { updateId?: unknown }).updateId))?.slice(0, 1_500) ?? l.slice(0, 300))).toEqual([]);
    expect(sent.length).toBeGreaterThan(COUNT * 0.3);
  });
});
