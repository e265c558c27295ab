/**
 * Per-user message budget (sliding one-minute window), checked before any database work so a flood from one
 * account costs nothing. In memory: each process limits what it sees, which is enough for one instance;
 * several instances would each allow the budget (documented in the README).
 */
export interface RateLimiter {
  /** True when this user may send one more message now. */
  allow(key: string, now: number): boolean;
}

export function createRateLimiter(perMinute: number, maxKeys = 100_000): RateLimiter {
  const windows = new Map<string, number[]>();
  return {
    allow(key, now) {
      const from = now - 60_000;
      const recent = (windows.get(key) ?? []).filter((t) => t > from);
      if (recent.length >= perMinute) {
        windows.set(key, recent);
        return false;
      }
      recent.push(now);
      // Map keeps insertion order: dropping the oldest key bounds memory under a flood of new accounts.
      windows.delete(key);
      windows.set(key, recent);
      if (windows.size > maxKeys) windows.delete(windows.keys().next().value!);
      return true;
    },
  };
}
