import { setTimeout as sleep } from 'node:timers/promises';
import type { Update } from 'grammy/types';
import { createTelegramChannel } from '../../../bots/telegram/index.js';
import { startApp, type App } from '../../../src/app.js';
import { loadConfig } from '../../../src/config.js';
import { encodeAction } from '../../../src/core/actions.js';
import type { Store } from '../../../src/store/index.js';
import type { StoreConnection } from '../../../src/store/client.js';
import { capturingLogger } from '../../helpers/logs.js';
import { postgresTestDatabase } from '../../helpers/db.js';
import { startTcpProxy } from '../../helpers/tcp-proxy.js';
import { connect } from '../../../src/store/client.js';
import { bindStore } from '../../../src/store/index.js';
import { startBotApi } from './bot-api.js';

export const TOKEN = '5010010:TRAFFIC-test';
export const SECRET = 'traffic_secret';
export const WEBHOOK_PATH = '/telegram/webhook';

/**
 * Telegram's side of a webhook: an update answered with anything but 200 comes back later, with a growing pause
 * (Telegram does not publish its schedule; these pauses span 30 s over the 5 deliveries the webhook accepts).
 */
export const REDELIVERY_PAUSES_MS = [2_000, 4_000, 8_000, 16_000];

/** The real service on `store`, Telegram in webhook mode against the local Bot API. */
export async function startTrafficApp(opened: { store: Store; connection: StoreConnection }, now: Date) {
  const api = await startBotApi();
  const logs = capturingLogger('info');
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    NOTIFY_INTERVAL_MS: '3600000',
    RATE_LIMIT_PER_MINUTE: '10000',
    TELEGRAM_BOT_TOKEN: TOKEN,
    TELEGRAM_API_ROOT: api.apiRoot,
    TELEGRAM_MODE: 'webhook',
    TELEGRAM_WEBHOOK_URL: 'https://example.invalid/hook',
    TELEGRAM_WEBHOOK_PATH: WEBHOOK_PATH,
    TELEGRAM_WEBHOOK_SECRET: SECRET,
  });
  const app: App = await startApp({ config, log: logs.log, channels: [(deps) => createTelegramChannel(deps)], now: () => now, opened });
  return { app, api, logs, stop: async () => (await app.stop(), await api.close()) };
}

/**
 * The same service on a fresh PostgreSQL database reached through a TCP proxy the test controls (to cut the
 * connection, or withhold a COMMIT's answer). `db` is the direct connection, for the test's own checks.
 */
export async function startTrafficAppThroughProxy() {
  const db = await postgresTestDatabase();
  const u = new URL(db.url);
  const proxy = await startTcpProxy({ host: u.hostname, port: Number(u.port || 5432) });
  const through = connect(proxy.urlThrough(db.url));
  const traffic = await startTrafficApp({ store: bindStore(through.db), connection: through }, db.now);
  return {
    db,
    proxy,
    traffic,
    async close() {
      await traffic.stop();
      await through.close();
      await proxy.close();
      await db.close();
    },
  };
}

/** Posts an update as Telegram does: again after each non-200 answer, up to the webhook's bound. Returns the statuses. */
export async function deliverLikeTelegram(app: App, update: Update): Promise<number[]> {
  const statuses: number[] = [];
  for (let attempt = 0; ; attempt++) {
    const res = await fetch(`${app.url}${WEBHOOK_PATH}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
      body: JSON.stringify(update),
    }).catch(() => undefined);
    await res?.arrayBuffer();
    statuses.push(res?.status ?? 0);
    if (res?.status === 200 || attempt >= REDELIVERY_PAUSES_MS.length) return statuses;
    await sleep(REDELIVERY_PAUSES_MS[attempt]!);
  }
}

let nextUpdateId = 70_000_000;

/** What one user sends: a text, or (a linked youth) "tell my counsellor" presses that write four rows each. */
export function userUpdate(chatId: number, step: number, linked: boolean): { update: Update; press: boolean } {
  const update_id = ++nextUpdateId;
  const from = { id: chatId, is_bot: false, first_name: 'Test' };
  const chat = { id: chatId, type: 'private' as const, first_name: 'Test' };
  if (linked && step % 2 === 1) {
    const topic = ['housing', 'mobility', 'childcare', 'health', 'money', 'training'][step % 6]!;
    return {
      press: true,
      update: { update_id, callback_query: { id: `cq${update_id}`, from, chat_instance: '1', data: encodeAction({ kind: 'tell_counsellor_barrier', topic }), message: { message_id: 1, date: 1, chat } } } as unknown as Update,
    };
  }
  const text = ['bonjour', 'je cherche une mission à lyon', 'aides logement', 'mes rendez-vous', 'voir plus'][step % 5]!;
  return { press: false, update: { update_id, message: { message_id: update_id, date: 1, chat, from, text } } as unknown as Update };
}

/** Figures of a traffic run. */
export interface TrafficResult {
  updates: { updateId: number; chatId: number; press: boolean; statuses: number[] }[];
  seconds: number;
}

/**
 * `users` chats, each sending `perUser` updates one after the other (Telegram keeps a chat's updates in order),
 * all chats at once; `linkedChats` are linked youth whose presses write to their file.
 */
export async function runTraffic(app: App, chats: number[], linkedChats: Set<number>, perUser: number, pauseMs = 300): Promise<TrafficResult> {
  const started = Date.now();
  const updates: TrafficResult['updates'] = [];
  await Promise.all(
    chats.map(async (chatId) => {
      for (let step = 0; step < perUser; step++) {
        const { update, press } = userUpdate(chatId, step, linkedChats.has(chatId));
        const statuses = await deliverLikeTelegram(app, update);
        updates.push({ updateId: update.update_id, chatId, press, statuses });
        await sleep(pauseMs);
      }
    }),
  );
  return { updates, seconds: (Date.now() - started) / 1000 };
}

/**
 * Event ids whose kept reply was sent by a redelivery: their turn committed while its connection dropped (no
 * "turn" line then), and the redelivery proved it by finding the reply.
 */
export function keptRepliesResent(lines: string[]): Set<string> {
  return new Set(lines.filter((l) => l.includes('"msg":"kept reply sent on redelivery"')).map((l) => String((JSON.parse(l) as { eventId?: unknown }).eventId)));
}

/** Log lines of committed turns, per event id. */
export function turnsPerEvent(lines: string[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const l of lines) {
    if (!l.includes('"msg":"turn"')) continue;
    const id = String((JSON.parse(l) as { eventId?: unknown }).eventId);
    out.set(id, (out.get(id) ?? 0) + 1);
  }
  return out;
}
