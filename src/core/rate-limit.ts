import { RateLimiterMemory, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';

/**
 * Rate limits, on rate-limiter-flexible. The counters live where the store says (`src/store/rate-limits.ts`):
 * in PostgreSQL when the service runs on it, so every process shares one budget; in memory on the embedded
 * SQLite default (one process). This module only says how a budget is checked.
 */

/** Makes one limiter: `points` per `durationSeconds` for each key, counters kept by the backend. */
export type LimiterBackend = (options: { keyPrefix: string; points: number; durationSeconds: number }) => RateLimiterAbstract;

/** Counters in this process's memory: the embedded default and tests. */
export const memoryLimiterBackend: LimiterBackend = ({ keyPrefix, points, durationSeconds }) =>
  new RateLimiterMemory({ keyPrefix, points, duration: durationSeconds });

/** Per-user message budget of the conversation core. */
export interface RateLimiter {
  /**
   * Counts one message of this user: `allow` within the budget; `refuse` for the first message past it (say
   * so, politely); `silent` for the next ones in the same window (a flood gets one answer, not one per message).
   */
  check(key: string): Promise<'allow' | 'refuse' | 'silent'>;
}

/**
 * The per-user budget: `perMinute` messages in a one-minute window, checked before any other database work.
 * A backend that fails (database down) lets the message through: the turn itself will then report the outage.
 */
export function createRateLimiter(perMinute: number, backend: LimiterBackend = memoryLimiterBackend): RateLimiter {
  const limiter = backend({ keyPrefix: 'turn', points: perMinute, durationSeconds: 60 });
  return {
    async check(key) {
      try {
        await limiter.consume(key, 1);
        return 'allow';
      } catch (err) {
        if (err instanceof RateLimiterRes) return err.consumedPoints === perMinute + 1 ? 'refuse' : 'silent';
        return 'allow';
      }
    },
  };
}
