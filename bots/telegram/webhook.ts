import type { Express, Response } from 'express';
import { webhookCallback, type Bot } from 'grammy';
import type { Logger } from 'pino';
import { reportError } from './errors.js';

/** The webhook route on the shared HTTP server. */
export interface WebhookEndpoint {
  mount(app: Express): void;
  /** The turn of this update failed for a passing reason: answer its webhook call with 500 so Telegram redelivers. */
  askRedelivery(updateId: number): void;
}

/** Telegram gives up on a webhook call after about a minute; we answer before that whatever happens. */
const WEBHOOK_TIMEOUT_MS = 50_000;

/**
 * Mounts grammY's express webhook handler at `path`. grammY compares the `X-Telegram-Bot-Api-Secret-Token`
 * header with the secret (constant time) and answers 401 when it differs. The answer is 200 once the update
 * is handled, or 500 when the core asked for a redelivery.
 */
export function createWebhookEndpoint(bot: Bot, options: { path: string; secretToken: string; log: Logger }): WebhookEndpoint {
  const callback = webhookCallback(bot, 'express', {
    secretToken: options.secretToken,
    onTimeout: 'return',
    timeoutMilliseconds: WEBHOOK_TIMEOUT_MS,
  });
  // The response of each update being handled, so the turn can set its status before grammY ends it.
  const responses = new Map<number, Response>();

  return {
    mount(app) {
      app.post(options.path, async (req, res) => {
        const body: unknown = req.body;
        const updateId = typeof body === 'object' && body !== null && 'update_id' in body && typeof body.update_id === 'number' ? body.update_id : undefined;
        if (updateId !== undefined) responses.set(updateId, res);
        try {
          await callback(req, res);
        } catch (err) {
          reportError(options.log, err, updateId);
          if (!res.headersSent) res.status(500).json({ error: 'internal error' });
        } finally {
          if (updateId !== undefined && responses.get(updateId) === res) responses.delete(updateId);
        }
      });
    },
    askRedelivery(updateId) {
      const res = responses.get(updateId);
      if (res && !res.headersSent) res.status(500);
    },
  };
}
