import { createHash, timingSafeEqual } from 'node:crypto';
import type { Express, Response } from 'express';
import { webhookCallback, type Bot } from 'grammy';
import type { Logger } from 'pino';
import { reportError } from './errors.js';
import { checkUpdate } from './update-schema.js';

/** The webhook route on the shared HTTP server. */
export interface WebhookEndpoint {
  mount(app: Express): void;
  /**
   * The turn of this update failed for a passing reason: answer its webhook call with 500 so Telegram redelivers,
   * up to `MAX_DELIVERY_ATTEMPTS` times (then it is dropped and logged: a poison update must not loop forever).
   * Returns true when the user should be told (the first failure only: redeliveries stay silent until one works).
   */
  askRedelivery(updateId: number): boolean;
}

/** Telegram gives up on a webhook call after about a minute; we answer before that whatever happens. */
const WEBHOOK_TIMEOUT_MS = 50_000;
/** Deliveries of one update (the first and Telegram's redeliveries) before we answer 200 and drop it. */
export const MAX_DELIVERY_ATTEMPTS = 5;
/** Failed update ids remembered (per process); the oldest are forgotten first. */
const MAX_TRACKED_FAILURES = 10_000;

const digest = (s: string) => createHash('sha256').update(s).digest();

/**
 * Mounts the webhook at `path`. In order: the `X-Telegram-Bot-Api-Secret-Token` header (constant-time, 401 when
 * it differs), the body's shape (400 for what is not an update; 200 and one log line for an update the bot will
 * never handle), then grammY's express handler. The answer is 200 once the update is handled, or 500 when the
 * core asked for a redelivery.
 */
export function createWebhookEndpoint(bot: Bot, options: { path: string; secretToken: string; log: Logger }): WebhookEndpoint {
  const callback = webhookCallback(bot, 'express', {
    secretToken: options.secretToken,
    onTimeout: 'return',
    timeoutMilliseconds: WEBHOOK_TIMEOUT_MS,
  });
  const secret = digest(options.secretToken);
  // The response of each update being handled, so the turn can set its status before grammY ends it.
  const responses = new Map<number, Response>();
  const failures = new Map<number, number>();

  return {
    mount(app) {
      app.post(options.path, async (req, res) => {
        const header = req.headers['x-telegram-bot-api-secret-token'];
        if (typeof header !== 'string' || !timingSafeEqual(digest(header), secret)) {
          res.status(401).json({ error: 'unauthorized' });
          return;
        }
        const check = checkUpdate(req.body);
        if (check.kind === 'not_an_update') {
          options.log.warn({ channel: 'telegram' }, 'webhook body is not an update');
          res.status(400).json({ error: 'bad request' });
          return;
        }
        if (check.kind === 'ignored') {
          options.log.warn({ channel: 'telegram', updateId: check.updateId, reason: check.reason }, 'update ignored');
          res.status(200).json({ ok: true });
          return;
        }
        const updateId = check.update.update_id;
        responses.set(updateId, res);
        try {
          await callback(req, res);
        } catch (err) {
          reportError(options.log, err, updateId);
          if (!res.headersSent) res.status(500).json({ error: 'internal error' });
        } finally {
          if (responses.get(updateId) === res) responses.delete(updateId);
        }
      });
    },
    askRedelivery(updateId) {
      const attempts = (failures.get(updateId) ?? 0) + 1;
      failures.delete(updateId);
      if (attempts >= MAX_DELIVERY_ATTEMPTS) {
        options.log.error({ channel: 'telegram', updateId, attempts }, 'update dropped after repeated passing failures');
        return false;
      }
      failures.set(updateId, attempts);
      if (failures.size > MAX_TRACKED_FAILURES) failures.delete(failures.keys().next().value!);
      const res = responses.get(updateId);
      if (res && !res.headersSent) res.status(500);
      return attempts === 1;
    },
  };
}
