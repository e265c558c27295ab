import { Writable } from 'node:stream';
import type { Transformer } from 'grammy';
import type { Update, UserFromGetMe } from 'grammy/types';
import pino, { type Logger } from 'pino';
import type { ChannelDeps } from '../../../src/channels.js';
import { loadConfig, type Config } from '../../../src/config.js';
import type { DeliveryPort } from '../../../src/delivery/engine.js';
import type { Assistant, InboundEvent, Reply, TurnResult } from '../../../src/core/types.js';

export const BOT_INFO: UserFromGetMe = {
  id: 4242,
  is_bot: true,
  first_name: 'Mission Jeunes',
  username: 'MissionJeunesBot',
  can_join_groups: false,
  can_read_all_group_messages: false,
  supports_inline_queries: false,
  can_connect_to_business: false,
  has_main_web_app: false,
  has_topics_enabled: false,
  allows_users_to_create_topics: false,
} as UserFromGetMe;

export interface ApiCall {
  method: string;
  payload: Record<string, unknown>;
}

/**
 * An API transformer that answers every call locally and records it: no network.
 * `fail` lets a test make a method fail like Telegram would.
 */
export function recordingApi(fail?: (call: ApiCall) => { error_code: number; description: string } | undefined) {
  const calls: ApiCall[] = [];
  let messageId = 100;
  const transformer: Transformer = async (_prev, method, payload) => {
    const call = { method, payload: (payload ?? {}) as Record<string, unknown> };
    calls.push(call);
    const failure = fail?.(call);
    if (failure) return { ok: false, ...failure } as never;
    const result =
      method === 'sendMessage'
        ? { message_id: ++messageId, date: 0, chat: { id: Number(call.payload.chat_id), type: 'private', first_name: 'x' }, text: call.payload.text }
        : true;
    return { ok: true, result } as never;
  };
  return { transformer, calls, sent: () => calls.filter((c) => c.method === 'sendMessage') };
}

/** A scripted assistant: records events, answers with `answer(event)`. */
export function fakeAssistant(answer: (e: InboundEvent) => Partial<TurnResult> | Promise<Partial<TurnResult>> = () => ({})) {
  const events: InboundEvent[] = [];
  const assistant: Assistant = {
    async handle(event) {
      events.push(event);
      const r = await answer(event);
      return { reply: r.reply ?? textReply('ok'), duplicate: r.duplicate ?? false, ...(r.retryable ? { retryable: true } : {}) };
    },
  };
  return { assistant, events };
}

export function textReply(...lines: string[]): Reply {
  return { blocks: [{ type: 'text', segments: [lines.join('\n')] }] };
}

/** A logger writing JSON lines into an array, to check what is (not) logged. */
export function memoryLogger(): { log: Logger; lines: string[] } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      lines.push(String(chunk));
      cb();
    },
  });
  return { log: pino({ level: 'debug' }, stream), lines };
}

/** A delivery port that records what the adapter hands over (deferred replies, unreachable chats). */
export function fakeDelivery() {
  const deferred: Parameters<DeliveryPort['deferReply']>[0][] = [];
  const unreachable: { channel: string; addressKey: string; code: string }[] = [];
  const reachable: string[] = [];
  const delivery: DeliveryPort = {
    deferReply: async (input) => void deferred.push(input),
    markUnreachable: async (channel, addressKey, code) => void unreachable.push({ channel, addressKey, code }),
    markReachable: async (_channel, addressKey) => void reachable.push(addressKey),
  };
  return { delivery, deferred, unreachable, reachable };
}

export function testConfig(env: Record<string, string> = {}): Config {
  return loadConfig({ TELEGRAM_BOT_TOKEN: '4242:TEST-token', PORT: '0', LOG_LEVEL: 'silent', ...env });
}

export function deps(parts: Partial<ChannelDeps> & Pick<ChannelDeps, 'assistant'>): ChannelDeps {
  return { delivery: fakeDelivery().delivery, config: testConfig(), log: pino({ level: 'silent' }), ...parts };
}

let nextUpdate = 1000;
const user = (id: number) => ({ id, is_bot: false, first_name: 'Léa', language_code: 'fr' });
const privateChat = (id: number) => ({ id, type: 'private' as const, first_name: 'Léa' });

export function textUpdate(text: string, userId = 7, extra: Record<string, unknown> = {}): Update {
  return { update_id: ++nextUpdate, message: { message_id: nextUpdate, date: 0, chat: privateChat(userId), from: user(userId), text, ...extra } } as Update;
}

export function messageUpdate(message: Record<string, unknown>, userId = 7): Update {
  return { update_id: ++nextUpdate, message: { message_id: nextUpdate, date: 0, chat: privateChat(userId), from: user(userId), ...message } } as Update;
}

export function commandUpdate(text: string, userId = 7): Update {
  const length = text.indexOf(' ') > 0 ? text.indexOf(' ') : text.length;
  return textUpdate(text, userId, { entities: [{ type: 'bot_command', offset: 0, length }] });
}

export function callbackUpdate(data: string, messageId = 55, userId = 7): Update {
  return {
    update_id: ++nextUpdate,
    callback_query: {
      id: `cb${nextUpdate}`,
      from: user(userId),
      chat_instance: 'ci',
      data,
      message: { message_id: messageId, date: 0, chat: privateChat(userId), text: 'liste', from: { id: BOT_INFO.id, is_bot: true, first_name: 'bot' } },
    },
  } as Update;
}

export function groupUpdate(text: string, chatId = -100123, userId = 7): Update {
  return {
    update_id: ++nextUpdate,
    message: { message_id: nextUpdate, date: 0, chat: { id: chatId, type: 'supergroup', title: 'Groupe' }, from: user(userId), text },
  } as Update;
}
