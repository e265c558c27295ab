import { BotError, GrammyError, HttpError } from 'grammy';
import type { Logger } from 'pino';

/**
 * What we log about a failure: its class, the Telegram method and error code. Never the error message or
 * payload: grammY errors carry the request (message texts, names) and Telegram descriptions may echo it.
 */
export function errorSummary(err: unknown): { type: string; method?: string; code?: number } {
  if (err instanceof BotError) return errorSummary(err.error);
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
