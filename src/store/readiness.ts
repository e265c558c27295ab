import type { StoreConnection } from './client.js';
import { committedMigrationNames } from './migrate.js';

/** What `/readyz` reports: ready, or the short reason why not. */
export type Readiness = { ready: true } | { ready: false; reason: 'database unreachable' | 'migrations pending'; pending?: number };

/** A readiness probe must answer quickly even when the database hangs. */
const PROBE_TIMEOUT_MS = 2_000;

/**
 * Readiness of the store: the database answers, and every committed migration is recorded as applied in
 * `_prisma_migrations` (a process started from newer code than its database reports "migrations pending").
 * The committed names are read once: they are files of this build.
 */
export function createReadinessProbe(connection: StoreConnection): () => Promise<Readiness> {
  let committed: string[] | undefined;
  return async () => {
    committed ??= committedMigrationNames(connection.kind === 'postgresql');
    try {
      await withTimeout(connection.db.$queryRawUnsafe('SELECT 1'), PROBE_TIMEOUT_MS);
    } catch {
      return { ready: false, reason: 'database unreachable' };
    }
    let rows: { migration_name: string }[];
    try {
      rows = await withTimeout(
        connection.db.$queryRawUnsafe<{ migration_name: string }[]>(
          'SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL',
        ),
        PROBE_TIMEOUT_MS,
      );
    } catch {
      // Reachable but never migrated: no migrations table yet.
      rows = [];
    }
    const applied = new Set(rows.map((r) => r.migration_name));
    const pending = committed.filter((name) => !applied.has(name)).length;
    return pending === 0 ? { ready: true } : { ready: false, reason: 'migrations pending', pending };
  };
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('timeout')), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
