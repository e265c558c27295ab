import type { DeliveryFailure } from './failure.js';

/**
 * The one place that decides what happens after a failed send, by failure class (as grammY does for API
 * errors): a 429 waits as told; a 5xx or a network error backs off exponentially with full jitter, capped;
 * a recipient that refused for good is marked unreachable and never retried; a rejected message is given up.
 * Every retryable class is bounded by a number of attempts and by the age of the message, so nothing is
 * retried forever, and an outage shorter than `maxAgeMs` loses nothing.
 */
export interface RetryPolicy {
  /** What to do after the `attempt`-th failed attempt (1 = the first) of a message created at `createdAt`. */
  decide(failure: DeliveryFailure, attempt: number, createdAt: Date, now: Date): RetryDecision;
  /** Longest wait a turn may spend on a 429 before handing its reply to the queue (webhook patience). */
  readonly inTurnMaxWaitSeconds: number;
}

export type RetryDecision =
  | { action: 'retry'; at: Date; delayMs: number }
  | { action: 'unreachable' }
  | { action: 'give_up'; why: 'rejected' | 'too_many_attempts' | 'too_old' };

export interface RetryPolicyOptions {
  /** First back-off delay (5xx, network). */
  baseDelayMs: number;
  /** Cap on one back-off delay. */
  maxDelayMs: number;
  /** Attempts after which a 5xx or network failure is given up. 429s do not count: the platform said when. */
  maxAttempts: number;
  /** Age after which a message is given up whatever the failure (an alert a day late is no longer news). */
  maxAgeMs: number;
  /** See `RetryPolicy.inTurnMaxWaitSeconds`. */
  inTurnMaxWaitSeconds: number;
  /** Source of jitter in [0, 1) (tests pass a fixed one). */
  random: () => number;
}

/**
 * Defaults: 1 s doubling to 15 min, 20 attempts (about 3 h of outage) and 24 h at most. In a turn, a 429
 * is waited up to 10 s: grammY's webhook answers within 50 s and Telegram itself gives up on a webhook call
 * after about 60 s, so two such waits still leave room for the turn's own work.
 */
export const DEFAULT_RETRY_POLICY: Omit<RetryPolicyOptions, 'random'> = {
  baseDelayMs: 1_000,
  maxDelayMs: 15 * 60_000,
  maxAttempts: 20,
  maxAgeMs: 24 * 3_600_000,
  inTurnMaxWaitSeconds: 10,
};

/** Builds the retry policy. */
export function createRetryPolicy(options: Partial<RetryPolicyOptions> = {}): RetryPolicy {
  const o: RetryPolicyOptions = { ...DEFAULT_RETRY_POLICY, random: Math.random, ...options };
  return {
    inTurnMaxWaitSeconds: o.inTurnMaxWaitSeconds,
    decide(failure, attempt, createdAt, now) {
      switch (failure.failureClass) {
        case 'unreachable':
          return { action: 'unreachable' };
        case 'rejected':
          return { action: 'give_up', why: 'rejected' };
        case 'rate_limited': {
          // As told, plus a little: the platform's clock and ours differ, and every waiting sender would
          // otherwise come back in the same millisecond.
          const delayMs = Math.max(failure.retryAfterMs ?? o.baseDelayMs, 0) + Math.floor(o.random() * 250);
          return within(now, createdAt, delayMs);
        }
        case 'server':
        case 'network': {
          if (attempt >= o.maxAttempts) return { action: 'give_up', why: 'too_many_attempts' };
          const ceiling = Math.min(o.maxDelayMs, o.baseDelayMs * 2 ** Math.max(attempt - 1, 0));
          // Full jitter (AWS architecture blog): spreads retries of many messages after one outage.
          const delayMs = Math.max(Math.floor(o.random() * ceiling), Math.min(o.baseDelayMs, ceiling) / 2);
          return within(now, createdAt, delayMs);
        }
      }
    },
  };

  function within(now: Date, createdAt: Date, delayMs: number): RetryDecision {
    const at = new Date(now.getTime() + delayMs);
    if (at.getTime() - createdAt.getTime() > o.maxAgeMs) return { action: 'give_up', why: 'too_old' };
    return { action: 'retry', at, delayMs };
  }
}
