import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { webhookCallback, type Bot } from 'grammy';
import type { Update } from 'grammy/types';
import type { Logger } from 'pino';
import type { DirectRoute } from '../../src/channels.js';
import { answerJson } from '../../src/shared/http.js';
import { reportError } from './errors.js';
import { checkUpdate } from './update-schema.js';

/** The webhook route on the shared HTTP server. */
export interface WebhookEndpoint {
  /** Served on node:http ahead of express (src/channels.ts `DirectRoute`), its JSON body already read. */
  route: DirectRoute;
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

const SECRET_HEADER = 'x-telegram-bot-api-secret-token';

/**
 * grammY's view of one webhook call whose body the server has already read (its own `http` adapter would read the
 * request stream again, and its `express` one needs express's response methods).
 */
const bodyAlreadyRead = (update: Update, req: IncomingMessage, res: ServerResponse) => ({
  update,
  header: req.headers[SECRET_HEADER] as string | undefined,
  end: () => res.end(),
  respond: (json: string) => res.writeHead(200, { 'content-type': 'application/json' }).end(json),
  unauthorized: () => answerJson(res, 401, { error: 'unauthorized' }),
});

/**
 * The webhook at `path`. In order: the `X-Telegram-Bot-Api-Secret-Token` header (constant-time, 401 when it
 * differs), the body's shape (400 for what is not an update; 200 and one log line for an update the bot will
 * never handle), then grammY's webhook callback. The answer is 200 once the update is handled, or 500 when the
 * core asked for a redelivery.
 */
export function createWebhookEndpoint(bot: Bot, options: { path: string; secretToken: string; log: Logger }): WebhookEndpoint {
  const callback = webhookCallback(bot, bodyAlreadyRead, {
    secretToken: options.secretToken,
    onTimeout: 'return',
    timeoutMilliseconds: WEBHOOK_TIMEOUT_MS,
  });
  const secret = digest(options.secretToken);
  // The response of each update being handled, so the turn can set its status before grammY ends it.
  const responses = new Map<number, ServerResponse>();
  const failures = new Map<number, number>();

  return {
    route: {
      method: 'POST',
      path: options.path,
      async handle(body, req, res) {
        const header = req.headers[SECRET_HEADER];
        if (typeof header !== 'string' || !timingSafeEqual(digest(header), secret)) return answerJson(res, 401, { error: 'unauthorized' });
        const check = checkUpdate(body);
        if (check.kind === 'not_an_update') {
          options.log.warn({ channel: 'telegram' }, 'webhook body is not an update');
          return answerJson(res, 400, { error: 'bad request' });
        }
        if (check.kind === 'ignored') {
          options.log.warn({ channel: 'telegram', updateId: check.updateId, reason: check.reason }, 'update ignored');
          return answerJson(res, 200, { ok: true });
        }
        const updateId = check.update.update_id;
        responses.set(updateId, res);
        try {
          // The body itself, not zod's copy of it: the bot's middleware checks the update again and finds this
          // object among those already checked (update-schema.ts), instead of parsing it a second time.
          await callback(body as Update, req, res);
        } catch (err) {
          reportError(options.log, err, updateId);
          if (!res.headersSent) answerJson(res, 500, { error: 'internal error' });
        } finally {
          if (responses.get(updateId) === res) responses.delete(updateId);
        }
      },
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
      if (res && !res.headersSent) res.statusCode = 500;
      return attempts === 1;
    },
  };
}
