import { autoRetry } from '@grammyjs/auto-retry';
import { limit } from '@grammyjs/ratelimiter';
import { sequentialize } from '@grammyjs/runner';
import { apiThrottler } from '@grammyjs/transformer-throttler';
import { Bot, type Api, type Context, type Transformer } from 'grammy';
import type { UserFromGetMe } from 'grammy/types';
import type { Logger } from 'pino';
import type { Assistant, Reply } from '../../src/core/types.js';
import { reportError } from './errors.js';
import { escapeHtml } from './html.js';
import { chatKind, toInboundEvent } from './inbound.js';
import { renderReply } from './render.js';
import { editThenSend, sendMessages } from './send.js';
import { checkUpdate } from './update-schema.js';

/** What the bot needs: its token and API root, the core, a logger and the per-user rate limit. */
export interface TelegramBotOptions {
  token: string;
  apiRoot: string;
  assistant: Assistant;
  log: Logger;
  rateLimitPerMinute: number;
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
  idle(): Promise<void>;
}

/** Telegram's "typing…" lasts five seconds; renewed just before it fades while the core works. */
const TYPING_RENEW_MS = 4_500;
/** How many group chats we remember having told "private chats only", so each is told once. */
const MAX_TOLD_GROUPS = 10_000;

const RATE_LIMITED_HTML =
  'Doucement 🙂 Tu m’as envoyé beaucoup de messages en peu de temps. Attends une minute, puis réessaie : je serai là.';

function privateOnlyHtml(username: string | undefined): string {
  const where = username ? ` : écris-moi sur <a href="https://t.me/${escapeHtml(username)}">@${escapeHtml(username)}</a>` : '';
  return `Je fonctionne uniquement en conversation privée${where}. Tes échanges avec moi restent ainsi entre nous.`;
}

/**
 * Builds the grammY bot: outgoing API plugins, then the middleware stack
 * (per-chat ordering, private chats only, button acknowledgement, rate limit, the turn itself).
 */
export function createBot(options: TelegramBotOptions): TelegramBot {
  const { assistant, log } = options;
  const clock = options.now ?? (() => new Date());
  const bot = new Bot(options.token, {
    client: { apiRoot: options.apiRoot },
    ...(options.botInfo ? { botInfo: options.botInfo } : {}),
  });

  // Innermost first: transformers installed later wrap the earlier ones, so a 429 retried by auto-retry
  // goes through the throttler again.
  if (options.transformers?.length) bot.api.config.use(...options.transformers);
  bot.api.config.use(
    apiThrottler({
      // Private chats: one call at a time per chat keeps messages in order; no pause between them, since a
      // reply split in two should not take two seconds. The global 30/s budget and 429 retries still apply.
      out: { maxConcurrent: 1, minTime: 0 },
    }),
  );
  bot.api.config.use(autoRetry({ maxRetryAttempts: 3, maxDelaySeconds: 60 }));

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

  bot.use(
    limit({
      timeFrame: 60_000,
      limit: options.rateLimitPerMinute,
      keyGenerator: (ctx) => ctx.from?.id.toString(),
      onLimitExceeded: async (ctx: Context) => {
        log.warn({ channel: 'telegram', updateId: ctx.update.update_id }, 'rate limit hit');
        await ctx.reply(RATE_LIMITED_HTML, { parse_mode: 'HTML' }).catch(() => undefined);
      },
    }),
  );

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
      if (result.duplicate) return;
      if (result.retryable && options.onRetryable && !options.onRetryable(ctx.update.update_id)) return;
      await deliver(ctx, chatId, result.reply);
    } catch (err) {
      reportError(log, err, ctx.update.update_id);
    }
  });

  return { bot, idle: async () => void (await Promise.allSettled([...inflight])) };
}

async function deliver(ctx: Context, chatId: number, reply: Reply): Promise<void> {
  const messages = renderReply(reply);
  const carrier = ctx.callbackQuery?.message?.message_id;
  if (reply.replacesPrevious && carrier !== undefined) await editThenSend(ctx.api, chatId, carrier, messages);
  else await sendMessages(ctx.api, chatId, messages);
}

/** Shows "typing…" until stopped; failures are ignored (it is a courtesy, not a message). */
function startTyping(api: Api, chatId: number): () => void {
  const send = () => void api.sendChatAction(chatId, 'typing').catch(() => undefined);
  send();
  const timer = setInterval(send, TYPING_RENEW_MS);
  timer.unref();
  return () => clearInterval(timer);
}

/** Renders and sends a reply to a chat outside of any conversation turn (notifications, other code). */
export async function pushReply(api: Api, chatId: number | string, reply: Reply): Promise<void> {
  await sendMessages(api, chatId, renderReply(reply));
}
