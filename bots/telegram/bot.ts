import { autoRetry } from '@grammyjs/auto-retry';
import { sequentialize } from '@grammyjs/runner';
import { Api, Bot, type ApiClientOptions, type Context, type Transformer } from 'grammy';
import type { UserFromGetMe } from 'grammy/types';
import type { Logger } from 'pino';
import type { Assistant, Reply } from '../../src/core/types.js';
import type { DeliveryPort } from '../../src/delivery/engine.js';
import { isPassing } from '../../src/delivery/failure.js';
import { reportError, toDeliveryFailure } from './errors.js';
import { createBotApiFetch } from './fetch.js';
import { escapeHtml } from './html.js';
import { chatKind, toInboundEvent } from './inbound.js';
import { renderReply } from './render.js';
import { editThenSend, sendMessages } from './send.js';
import { checkUpdate } from './update-schema.js';

/** What the bot needs: its token and API root, the core, a logger and the delivery engine. */
export interface TelegramBotOptions {
  token: string;
  apiRoot: string;
  assistant: Assistant;
  log: Logger;
  /** Where a reply refused for a passing reason goes, and where a blocked chat is recorded. */
  delivery?: DeliveryPort;
  /** Longest 429 wait inside a turn (the retry policy's bound for the webhook's patience). */
  inTurnMaxWaitSeconds: number;
  /**
   * Called when a turn failed for a passing reason (webhook: ask Telegram to redeliver). Returns whether to send
   * the apology now (false on redeliveries of an update the user was already told about). Absent: always told.
   */
  onRetryable?: (updateId: number) => boolean;
  /** Known bot identity (tests); otherwise fetched with getMe at start. */
  botInfo?: UserFromGetMe;
  /** Extra API transformers, installed closest to the network (tests: an emulator shim or a call recorder). */
  transformers?: Transformer[];
  /** The clock stamped on events as `receivedAt`. */
  now?: () => Date;
}

/** The bot and a way to wait for the updates it is still handling (a clean stop). */
export interface TelegramBot {
  bot: Bot;
  /** The API client of the delivery engine: no automatic retry (the engine's retry policy decides). */
  pushApi: Api;
  idle(): Promise<void>;
}

/** "typing…" is shown only for a turn that has not answered within this (most answer in a few ms). */
export const TYPING_DELAY_MS = 1_000;
/** Telegram's "typing…" lasts five seconds; renewed just before it fades while the core works. */
const TYPING_RENEW_MS = 4_500;
/** How many group chats we remember having told "private chats only", so each is told once. */
const MAX_TOLD_GROUPS = 10_000;

function privateOnlyHtml(username: string | undefined): string {
  const where = username ? ` : écris-moi sur <a href="https://t.me/${escapeHtml(username)}">@${escapeHtml(username)}</a>` : '';
  return `Je fonctionne uniquement en conversation privée${where}. Tes échanges avec moi restent ainsi entre nous.`;
}

/**
 * Builds the grammY bot: outgoing API plugins, then the middleware stack
 * (per-chat ordering, private chats only, button acknowledgement, blocked/unblocked, the turn itself).
 * The per-user rate limit is the core's (one limiter, shared by every process on PostgreSQL).
 */
export function createBot(options: TelegramBotOptions): TelegramBot {
  const { assistant, log } = options;
  const clock = options.now ?? (() => new Date());
  // One keep-alive client for the turn's replies and the delivery engine's pushes (see fetch.ts for why not node-fetch).
  const client = { apiRoot: options.apiRoot, fetch: createBotApiFetch() as unknown as NonNullable<ApiClientOptions['fetch']> };
  const bot = new Bot(options.token, {
    client,
    ...(options.botInfo ? { botInfo: options.botInfo } : {}),
  });

  // Replies go out at once: no queue in front of them (per-chat order comes from sequentialize below).
  // A 429 is waited as told only up to the webhook's patience; longer waits, 5xx and network errors are
  // thrown at once and the reply is handed to the delivery engine, which retries it by its policy.
  if (options.transformers?.length) bot.api.config.use(...options.transformers);
  bot.api.config.use(
    autoRetry({ maxRetryAttempts: 2, maxDelaySeconds: options.inTurnMaxWaitSeconds, rethrowInternalServerErrors: true, rethrowHttpErrors: true }),
  );
  const pushApi = new Api(options.token, client);
  if (options.transformers?.length) pushApi.config.use(...options.transformers);

  bot.catch((err) => reportError(log, err));

  // Polling mode: the same edge check as the webhook's (there, invalid updates never reach grammY).
  bot.use((ctx, next) => {
    const check = checkUpdate(ctx.update);
    if (check.kind === 'ok') return next();
    log.warn({ channel: 'telegram', updateId: ctx.update.update_id, reason: check.kind === 'ignored' ? check.reason : check.kind }, 'update ignored');
  });

  const inflight = new Set<Promise<void>>();
  bot.use((_ctx, next) => {
    const p = Promise.resolve(next());
    inflight.add(p);
    const forget = () => void inflight.delete(p);
    p.then(forget, forget);
    return p;
  });

  // Two messages of one user are handled one after the other, in order (the runner is concurrent otherwise).
  bot.use(sequentialize((ctx: Context) => (ctx.chat?.id ?? ctx.from?.id)?.toString()));

  const toldGroups = new Set<number>();
  bot.use(async (ctx, next) => {
    if (chatKind(ctx.update) !== 'group') return next();
    if (ctx.callbackQuery) await ctx.answerCallbackQuery().catch(() => undefined);
    const chatId = ctx.chat?.id;
    if (chatId === undefined || toldGroups.has(chatId)) return;
    if (toldGroups.size >= MAX_TOLD_GROUPS) toldGroups.clear();
    toldGroups.add(chatId);
    // The bot may not be allowed to write there (channel, removed from the group): nothing else to do.
    await ctx.reply(privateOnlyHtml(ctx.me.username), { parse_mode: 'HTML', link_preview_options: { is_disabled: true } }).catch(() => undefined);
  });

  // Stop the button's spinner at once; the answer itself comes as a message.
  bot.on('callback_query', async (ctx, next) => {
    await ctx.answerCallbackQuery().catch(() => undefined);
    return next();
  });

  // Blocked ("kicked") or unblocked the bot in a private chat: proactive messages stop or may go again.
  bot.on('my_chat_member', async (ctx, next) => {
    const status = ctx.myChatMember.new_chat_member.status;
    const chatId = String(ctx.chat.id);
    if (status === 'kicked') await options.delivery?.markUnreachable('telegram', chatId, 'telegram blocked').catch((err: unknown) => reportError(log, err, ctx.update.update_id));
    else if (status === 'member') await options.delivery?.markReachable('telegram', chatId).catch((err: unknown) => reportError(log, err, ctx.update.update_id));
    return next();
  });

  bot.use(async (ctx) => {
    const event = toInboundEvent(ctx.update, clock(), ctx.me.username);
    const chatId = ctx.chat?.id;
    if (!event || chatId === undefined) return;
    // Caught here rather than left to bot.catch so a webhook request never rejects: its answer (200 or 500)
    // is decided by the turn's outcome alone.
    try {
      const stopTyping = startTyping(ctx.api, chatId);
      let result;
      try {
        result = await assistant.handle(event);
      } finally {
        stopTyping();
      }
      if (result.retryable && options.onRetryable && !options.onRetryable(ctx.update.update_id)) return;
      // Nothing to say: a redelivery of a handled update (unless the reply of that turn was never sent), a flood.
      if (result.reply.blocks.length === 0) return;
      await replyOrHandOver(ctx, chatId, result.reply);
    } catch (err) {
      reportError(log, err, ctx.update.update_id);
    }
  });

  /**
   * Sends the turn's reply now. If Telegram refuses it for a passing reason (a 429 longer than the turn may
   * wait, a 5xx, a dropped connection), what was not sent is handed to the delivery engine, keyed by the
   * update id so it is queued once, and the webhook call ends normally (the turn is applied: a redelivery
   * would be a duplicate). A chat that refused for good (blocked) is marked unreachable.
   */
  async function replyOrHandOver(ctx: Context, chatId: number, reply: Reply): Promise<void> {
    try {
      await deliver(ctx, chatId, reply);
    } catch (err) {
      const failure = toDeliveryFailure(err);
      const eventId = String(ctx.update.update_id);
      if (isPassing(failure) && options.delivery) {
        await options.delivery.deferReply({ channel: 'telegram', address: String(chatId), reply: { blocks: reply.blocks }, eventId, failure });
      } else if (failure.failureClass === 'unreachable' && options.delivery) {
        await options.delivery.markUnreachable('telegram', String(chatId), failure.code);
      } else throw failure;
    }
  }

  return { bot, pushApi, idle: async () => void (await Promise.allSettled([...inflight])) };
}

async function deliver(ctx: Context, chatId: number, reply: Reply): Promise<void> {
  const messages = renderReply(reply);
  const carrier = ctx.callbackQuery?.message?.message_id;
  if (reply.replacesPrevious && carrier !== undefined) await editThenSend(ctx.api, chatId, carrier, messages);
  else await sendMessages(ctx.api, chatId, messages);
}

/** Shows "typing…" after a second, until stopped; failures are ignored (it is a courtesy, not a message). */
function startTyping(api: Api, chatId: number): () => void {
  const send = () => void api.sendChatAction(chatId, 'typing').catch(() => undefined);
  let renew: NodeJS.Timeout | undefined;
  const first = setTimeout(() => {
    send();
    renew = setInterval(send, TYPING_RENEW_MS);
    renew.unref();
  }, TYPING_DELAY_MS);
  first.unref();
  return () => {
    clearTimeout(first);
    if (renew) clearInterval(renew);
  };
}

/** Renders and sends a reply to a chat outside of any conversation turn, from the `skip`-th message on. */
export async function pushReply(api: Api, chatId: number | string, reply: Reply, skip = 0): Promise<void> {
  await sendMessages(api, chatId, renderReply(reply), skip);
}
