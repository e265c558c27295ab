import { setTimeout as sleep } from 'node:timers/promises';
import { StoreBusyError, TransactionConflictError } from './errors.js';

/**
 * Pauses between attempts of a transaction that met a passing conflict (SQLite lock held by another process,
 * PostgreSQL deadlock or serialization failure), each with ±50 % jitter: about 1.6 s in all, well within a
 * webhook's patience. After the last one the error goes up, and the platform's redelivery tries again later.
 */
export const TRANSACTION_RETRY_DELAYS_MS = [20, 60, 150, 400, 1_000] as const;

/** True for the failures a whole transaction may simply be run again for (it rolled back, nothing was kept). */
export function isWorthRetrying(err: unknown): boolean {
  return err instanceof StoreBusyError || err instanceof TransactionConflictError;
}

/**
 * Runs `attempt` (a whole transaction: safe to repeat because a failed one left nothing) again after each
 * passing conflict, waiting asynchronously so the event loop keeps serving other requests. The one retry
 * policy of the store: callers do not count attempts.
 */
export async function withTransactionRetry<T>(attempt: () => Promise<T>, delays: readonly number[] = TRANSACTION_RETRY_DELAYS_MS): Promise<T> {
  for (let i = 0; ; i++) {
    try {
      return await attempt();
    } catch (err) {
      if (!isWorthRetrying(err) || i >= delays.length) throw err;
      await sleep(delays[i]! * (0.5 + Math.random()));
    }
  }
}
