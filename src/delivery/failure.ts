/**
 * Why a send failed, in the engine's words. Each channel adapter turns its SDK's error into one of these
 * where the error is raised (bots/telegram/errors.ts, bots/teams), so the retry decision is made once, by
 * class, in `retry-policy.ts`, and never by matching an error message.
 */
export type FailureClass =
  /** The platform asked us to slow down (HTTP 429); `retryAfterMs` says for how long. */
  | 'rate_limited'
  /** The platform failed (HTTP 5xx): it may pass. */
  | 'server'
  /** The request never got an answer (connection refused or dropped, timeout, DNS). */
  | 'network'
  /** Refused for good for this recipient (HTTP 403 bot blocked / user deactivated, 400 chat not found). */
  | 'unreachable'
  /** Refused for good for this message (any other 4xx: a bug in what we sent). Retrying would fail the same way. */
  | 'rejected';

/** A failed send, classified. `sentParts` counts the messages of a multi-part reply that did go out before it. */
export class DeliveryFailure extends Error {
  override readonly name = 'DeliveryFailure';
  constructor(
    readonly failureClass: FailureClass,
    /** A short code for logs and the store ("telegram 429", "teams 502", "network"): never a platform text. */
    readonly code: string,
    readonly options: { retryAfterMs?: number; sentParts?: number } = {},
  ) {
    super(`delivery failed: ${failureClass} (${code})`);
  }

  get retryAfterMs(): number | undefined {
    return this.options.retryAfterMs;
  }

  get sentParts(): number {
    return this.options.sentParts ?? 0;
  }

  /** The same failure, noting how many parts of the reply had been sent before it. */
  after(sentParts: number): DeliveryFailure {
    return new DeliveryFailure(this.failureClass, this.code, { ...this.options, sentParts });
  }
}

/** True for a failure that may pass (429, 5xx, network). */
export function isPassing(failure: DeliveryFailure): boolean {
  return failure.failureClass === 'rate_limited' || failure.failureClass === 'server' || failure.failureClass === 'network';
}
