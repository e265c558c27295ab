import { RateLimiterRes } from 'rate-limiter-flexible';
import type { LimiterBackend } from '../core/rate-limit.js';

/**
 * The pace of proactive messages: at most `perSecond` in total (Telegram's guidance for bulk sending is
 * about 30/s; 25 leaves room for replies) and at most one per second to the same chat. The counters are the
 * rate-limit backend's, so on PostgreSQL every process shares one budget.
 */
export interface Pacer {
  /** Resolves when one more message may go to `chatKey` now (and counts it). */
  wait(chatKey: string): Promise<void>;
}

/** Longest wait for one slot: past it the message goes anyway, since the platform's own 429 still guards. */
const MAX_WAIT_MS = 30_000;

export function createPacer(backend: LimiterBackend, perSecond: number): Pacer {
  const global = backend({ keyPrefix: 'send-all', points: perSecond, durationSeconds: 1 });
  const perChat = backend({ keyPrefix: 'send-chat', points: 1, durationSeconds: 1 });

  async function take(limiter: ReturnType<LimiterBackend>, key: string, deadline: number): Promise<void> {
    for (;;) {
      try {
        await limiter.consume(key, 1);
        return;
      } catch (err) {
        // A backend failure (database down) must not hold messages: the platform's 429 is the last guard.
        if (!(err instanceof RateLimiterRes)) return;
        const wait = Math.max(err.msBeforeNext, 5);
        if (Date.now() + wait > deadline) return;
        await new Promise((r) => setTimeout(r, wait));
      }
    }
  }

  return {
    async wait(chatKey) {
      const deadline = Date.now() + MAX_WAIT_MS;
      // Per chat first: a message held back for its chat does not spend a slot of the global budget.
      await take(perChat, chatKey, deadline);
      await take(global, 'all', deadline);
    },
  };
}
