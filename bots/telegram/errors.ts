import { BotError, GrammyError, HttpError } from 'grammy';
import type { Logger } from 'pino';
import { DeliveryFailure } from '../../src/delivery/failure.js';

/**
 * What we log about a failure: its class, the Telegram method and error code. Never the error message or
 * payload: grammY errors carry the request (message texts, names) and Telegram descriptions may echo it.
 */
export function errorSummary(err: unknown): { type: string; method?: string; code?: number | string; class?: string } {
  if (err instanceof BotError) return errorSummary(err.error);
  if (err instanceof DeliveryFailure) return { type: 'DeliveryFailure', class: err.failureClass, code: err.code };
  if (err instanceof GrammyError) return { type: 'GrammyError', method: err.method, code: err.error_code };
  if (err instanceof HttpError) return { type: 'HttpError' };
  const e = err as { name?: unknown } | null;
  return { type: typeof e?.name === 'string' ? e.name : typeof err };
}

/** The update id of a failed update, when grammY knows it. */
function updateIdOf(err: unknown): number | undefined {
  return err instanceof BotError ? (err.ctx.update as { update_id?: number }).update_id : undefined;
}

/** The error boundary of the Telegram channel: log ids only and carry on, whatever went wrong. */
export function reportError(log: Logger, err: unknown, updateId = updateIdOf(err)): void {
  log.error({ channel: 'telegram', updateId, err: errorSummary(err) }, 'telegram update failed');
}

/** Telegram refuses to edit a message into the very same content; that is not a failure. */
export function isNotModified(err: unknown): boolean {
  return err instanceof GrammyError && err.error_code === 400 && /message is not modified/i.test(err.description);
}

/**
 * Telegram's refusals that are about the recipient, not the message: the bot was blocked or kicked, the
 * user deleted their account, the chat does not exist. Telegram gives them all as 400 or 403 with only a
 * description to tell them apart from a malformed message (also 400), so the description is read here,
 * once, where the error is raised.
 */
const RECIPIENT_GONE = /chat not found|user is deactivated|bot was blocked|bot was kicked|user not found|PEER_ID_INVALID|have no rights to send/i;

/** Classifies a failed Bot API call for the delivery engine's retry policy (src/delivery/retry-policy.ts). */
export function toDeliveryFailure(err: unknown): DeliveryFailure {
  if (err instanceof DeliveryFailure) return err;
  if (err instanceof GrammyError) {
    const code = `telegram ${err.error_code}`;
    if (err.error_code === 429) {
      const after = err.parameters.retry_after;
      return new DeliveryFailure('rate_limited', code, typeof after === 'number' ? { retryAfterMs: after * 1000 } : {});
    }
    if (err.error_code >= 500) return new DeliveryFailure('server', code);
    if (err.error_code === 403 || (err.error_code === 400 && RECIPIENT_GONE.test(err.description))) return new DeliveryFailure('unreachable', code);
    return new DeliveryFailure('rejected', code);
  }
  if (err instanceof HttpError) return new DeliveryFailure('network', 'network');
  return new DeliveryFailure('server', `error ${(err as { name?: string } | null)?.name ?? typeof err}`);
}
