import { describe, expect, it } from 'vitest';
import { DeliveryFailure } from '../../src/delivery/failure.js';
import { createRetryPolicy, DEFAULT_RETRY_POLICY } from '../../src/delivery/retry-policy.js';

const t0 = new Date('2026-12-01T10:00:00Z');
const at = (ms: number) => new Date(t0.getTime() + ms);

describe('retry policy (decided once, by failure class)', () => {
  it('429 waits as told, even past a minute, and does not count against the attempt bound', () => {
    const policy = createRetryPolicy({ random: () => 0 });
    const d = policy.decide(new DeliveryFailure('rate_limited', 'telegram 429', { retryAfterMs: 120_000 }), 50, t0, t0);
    expect(d).toEqual({ action: 'retry', at: at(120_000), delayMs: 120_000 });
  });

  it('5xx and network errors back off exponentially with jitter, capped, then give up after the bound', () => {
    const max = createRetryPolicy({ random: () => 0.999999 });
    const delays = [1, 2, 3, 4, 5, 12, 19].map((n) => {
      const d = max.decide(new DeliveryFailure('server', 'telegram 502'), n, t0, t0);
      return d.action === 'retry' ? d.delayMs : -1;
    });
    expect(delays.slice(0, 5)).toEqual([999, 1_999, 3_999, 7_999, 15_999]);
    expect(delays[5]).toBe(DEFAULT_RETRY_POLICY.maxDelayMs - 1);
    expect(delays[6]).toBe(DEFAULT_RETRY_POLICY.maxDelayMs - 1);
    // Jitter spreads the retries of many messages; never below half the base delay.
    const low = createRetryPolicy({ random: () => 0 }).decide(new DeliveryFailure('network', 'network'), 3, t0, t0);
    expect(low).toMatchObject({ action: 'retry', delayMs: 500 });
    expect(max.decide(new DeliveryFailure('network', 'network'), DEFAULT_RETRY_POLICY.maxAttempts, t0, t0)).toEqual({ action: 'give_up', why: 'too_many_attempts' });
  });

  it('a message older than the age bound is given up whatever the failure', () => {
    const policy = createRetryPolicy({ random: () => 0 });
    const created = new Date(t0.getTime() - DEFAULT_RETRY_POLICY.maxAgeMs + 60_000);
    expect(policy.decide(new DeliveryFailure('rate_limited', 'telegram 429', { retryAfterMs: 120_000 }), 1, created, t0)).toEqual({ action: 'give_up', why: 'too_old' });
  });

  it('a recipient who refused for good is unreachable; a rejected message is given up; neither is retried', () => {
    const policy = createRetryPolicy();
    expect(policy.decide(new DeliveryFailure('unreachable', 'telegram 403'), 1, t0, t0)).toEqual({ action: 'unreachable' });
    expect(policy.decide(new DeliveryFailure('rejected', 'telegram 400'), 1, t0, t0)).toEqual({ action: 'give_up', why: 'rejected' });
  });

  it('bounds the wait inside a turn well under the webhook\'s patience', () => {
    expect(createRetryPolicy().inTurnMaxWaitSeconds).toBeLessThanOrEqual(20);
  });
});
