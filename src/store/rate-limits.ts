import pg from 'pg';
import { RateLimiterMemory, RateLimiterPostgres } from 'rate-limiter-flexible';
import type { LimiterBackend } from '../core/rate-limit.js';
import { isPostgresUrl } from './database-url.js';

/** Where the rate-limit counters of a database live, and how to release what holds them. */
export interface LimiterStore {
  backend: LimiterBackend;
  close(): Promise<void>;
}

/**
 * Counters shared by every process on PostgreSQL (the `rate_limit_counter` table, created by the migrations,
 * on a small pool of its own so a busy limiter never waits behind Prisma's pool); in memory on SQLite, which
 * runs one process. If PostgreSQL stops answering, each process falls back to its own memory counters
 * (rate-limiter-flexible's insurance limiter) rather than refusing everyone.
 */
export function openLimiterStore(url: string): LimiterStore {
  if (!isPostgresUrl(url)) {
    return { backend: ({ keyPrefix, points, durationSeconds }) => new RateLimiterMemory({ keyPrefix, points, duration: durationSeconds }), close: async () => undefined };
  }
  const pool = new pg.Pool({ connectionString: url, max: 3, connectionTimeoutMillis: 2_000 });
  // A dropped idle connection must not crash the process; the next query opens a new one.
  pool.on('error', () => undefined);
  return {
    backend: ({ keyPrefix, points, durationSeconds }) =>
      new RateLimiterPostgres({
        storeClient: pool,
        tableName: 'rate_limit_counter',
        tableCreated: true,
        // Deletes counters expired for an hour, every five minutes (an unref'd timer: never keeps a process up).
        clearExpiredByTimeout: true,
        keyPrefix,
        points,
        duration: durationSeconds,
        insuranceLimiter: new RateLimiterMemory({ keyPrefix, points, duration: durationSeconds }),
      }),
    close: () => pool.end(),
  };
}
