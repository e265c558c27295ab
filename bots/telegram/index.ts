import { run, type RunnerHandle } from '@grammyjs/runner';
import type { Bot, Transformer } from 'grammy';
import type { UserFromGetMe } from 'grammy/types';
import type { ChannelDeps, ChannelModule } from '../../src/channels.js';
import type { Reply } from '../../src/core/types.js';
import { DeliveryFailure } from '../../src/delivery/failure.js';
import { DEFAULT_RETRY_POLICY } from '../../src/delivery/retry-policy.js';
import { createBot, pushReply } from './bot.js';
import { BOT_DESCRIPTION, BOT_SHORT_DESCRIPTION, MENU_COMMANDS } from './commands.js';
import { errorSummary, reportError } from './errors.js';
import { createWebhookEndpoint, type WebhookEndpoint } from './webhook.js';
import { HANDLED_UPDATE_KINDS } from './update-schema.js';

/** The Telegram channel: the server's `ChannelModule` plus a push API for other code. */
export interface TelegramChannel extends ChannelModule {
  /** Renders and sends a reply to a chat (proactive message). Throws when Telegram is off or refuses it. */
  sendReply(chatId: string | number, reply: Reply): Promise<void>;
  /** The grammY bot, or undefined when Telegram is off. For tests and tooling (`bot.handleUpdate`). */
  readonly bot: Bot | undefined;
}

/** Test and tooling hooks; production passes nothing. */
export interface TelegramChannelOptions {
  /** Known bot identity, to skip getMe. */
  botInfo?: UserFromGetMe;
  /** API transformers installed closest to the network (an emulator shim, a call recorder). */
  transformers?: Transformer[];
}

/** Only what the bot handles; everything else Telegram would send is never fetched nor pushed. */
const ALLOWED_UPDATES = HANDLED_UPDATE_KINDS;
/** Telegram's rule for `secret_token`. */
const SECRET_TOKEN = /^[A-Za-z0-9_-]{1,256}$/;

/**
 * Creates the Telegram channel from the configuration: off without `TELEGRAM_BOT_TOKEN`, long polling with
 * the grammY runner (`TELEGRAM_MODE=polling`), or a webhook on the shared server (`TELEGRAM_MODE=webhook`,
 * which refuses to start without `TELEGRAM_WEBHOOK_URL` and a valid `TELEGRAM_WEBHOOK_SECRET`).
 */
export function createTelegramChannel(deps: ChannelDeps, options: TelegramChannelOptions = {}): TelegramChannel {
  const { config, log, delivery, assistant } = deps;
  const token = config.TELEGRAM_BOT_TOKEN;
  if (!token) return offChannel(deps);

  const mode = config.TELEGRAM_MODE;
  const webhookUrl = config.TELEGRAM_WEBHOOK_URL;
  const secret = config.TELEGRAM_WEBHOOK_SECRET;
  if (mode === 'webhook') {
    if (!secret || !SECRET_TOKEN.test(secret)) {
      throw new Error('TELEGRAM_MODE=webhook needs TELEGRAM_WEBHOOK_SECRET (1-256 characters: letters, digits, _ and -)');
    }
    if (!webhookUrl) throw new Error('TELEGRAM_MODE=webhook needs TELEGRAM_WEBHOOK_URL (the public https URL of TELEGRAM_WEBHOOK_PATH)');
  }

  let webhook: WebhookEndpoint | undefined;
  const { bot, pushApi, idle } = createBot({
    token,
    apiRoot: config.TELEGRAM_API_ROOT,
    assistant,
    log,
    delivery,
    inTurnMaxWaitSeconds: DEFAULT_RETRY_POLICY.inTurnMaxWaitSeconds,
    ...(mode === 'webhook' ? { onRetryable: (id: number) => webhook?.askRedelivery(id) ?? true } : {}),
    ...(options.botInfo ? { botInfo: options.botInfo } : {}),
    ...(options.transformers ? { transformers: options.transformers } : {}),
  });
  if (mode === 'webhook') webhook = createWebhookEndpoint(bot, { path: config.TELEGRAM_WEBHOOK_PATH, secretToken: secret!, log });

  let runner: RunnerHandle | undefined;
  let started = false;

  const sendReply = (chatId: string | number, reply: Reply) => pushReply(pushApi, chatId, reply);

  return {
    name: 'telegram',
    bot,
    status() {
      if (!started) return `${mode} (not started)`;
      if (mode === 'webhook') return `webhook ${config.TELEGRAM_WEBHOOK_PATH}`;
      return runner?.isRunning() ? 'polling' : 'polling (stopped)';
    },
    mount: () => undefined,
    directRoutes: () => (webhook ? [webhook.route] : []),
    async start() {
      // A wrong token or an unreachable API fails the start loudly: a bot that cannot log in is a deployment error.
      await bot.init();
      // The menu and the French profile texts; a failure is logged, never fatal (the bot works without them).
      const profile: [string, () => Promise<unknown>][] = [
        ['setMyCommands', () => bot.api.setMyCommands(MENU_COMMANDS)],
        ['setMyDescription', () => bot.api.setMyDescription(BOT_DESCRIPTION, { language_code: 'fr' })],
        ['setMyShortDescription', () => bot.api.setMyShortDescription(BOT_SHORT_DESCRIPTION, { language_code: 'fr' })],
        ['setMyDescription', () => bot.api.setMyDescription(BOT_DESCRIPTION)],
        ['setMyShortDescription', () => bot.api.setMyShortDescription(BOT_SHORT_DESCRIPTION)],
      ];
      for (const [method, call] of profile) await call().catch((err: unknown) => log.warn({ channel: 'telegram', method, err: errorSummary(err) }, 'bot profile call failed'));
      if (mode === 'webhook') {
        await bot.api.setWebhook(webhookUrl!, { secret_token: secret!, allowed_updates: [...ALLOWED_UPDATES] });
      } else {
        // getUpdates is refused while a webhook is set (409), e.g. after switching from webhook to polling.
        await bot.api.deleteWebhook();
        runner = run(bot, { runner: { fetch: { allowed_updates: [...ALLOWED_UPDATES] } } });
        runner.task()?.catch((err: unknown) => reportError(log, err));
      }
      started = true;
      log.info({ channel: 'telegram', mode, bot: bot.botInfo.id }, 'telegram started');
    },
    async stop() {
      // The webhook stays registered on purpose: Telegram keeps the updates until the service is back.
      if (runner?.isRunning()) await runner.stop();
      await idle();
    },
    canSend: () => true,
    async send(d) {
      if (typeof d.address !== 'string' || !/^-?\d{1,20}$/.test(d.address)) throw new DeliveryFailure('rejected', 'invalid chat id');
      await pushReply(pushApi, d.address, d.reply, d.skipParts);
    },
    sendReply,
  };
}

/** Without a token the service still runs (Teams, terminal); Telegram says it is off and keeps its outbox. */
function offChannel({ log }: ChannelDeps): TelegramChannel {
  return {
    name: 'telegram',
    bot: undefined,
    status: () => 'off: no TELEGRAM_BOT_TOKEN',
    mount: () => undefined,
    async start() {
      log.info({ channel: 'telegram' }, 'telegram off: no TELEGRAM_BOT_TOKEN');
    },
    stop: async () => undefined,
    canSend: () => false,
    async send() {
      throw new DeliveryFailure('server', 'telegram off');
    },
    async sendReply() {
      throw new Error('Telegram is off: no TELEGRAM_BOT_TOKEN');
    },
  };
}
