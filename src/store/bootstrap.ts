import pg from 'pg';
import { connect, type StoreConnection } from './client.js';
import { defaultDatabaseUrl, isPostgresUrl } from './database-url.js';
import { migrate } from './migrate.js';
import { seedDemo, type SeedSummary } from './seed/demo.js';
import { syncContent } from './seed/content.js';
import { bindStore, type Store } from './index.js';

export interface OpenedStore {
  store: Store;
  connection: StoreConnection;
  url: string;
  /** Set when this start seeded an empty database with the demo. */
  seeded: SeedSummary | null;
  migrationsApplied: string[];
}

export interface OpenStoreOptions {
  url?: string;
  /** Seed the demo when the database has no Mission locale yet; unset = the rule of `shouldSeedDemo`. */
  seedIfEmpty?: boolean;
  now?: Date;
}

/**
 * Whether an empty database gets the demo people: the embedded SQLite default does unless told otherwise
 * (`npm start` on a fresh clone has something to talk about); a PostgreSQL database only when `SEED_DEMO=true`
 * is set explicitly, since it is where real people's files live.
 */
export function shouldSeedDemo(url: string, setting: boolean | undefined): boolean {
  return setting ?? !isPostgresUrl(url);
}

/** Held while content is synced and the demo seeded, so processes starting together on one database do it once. */
const SEED_LOCK = 727275;

/**
 * Opens the configured database, ready to serve: migrations applied, FAQ and support catalogue synced
 * from prisma/content, demo seeded on first start when asked. Later starts keep the data. On PostgreSQL,
 * processes starting at the same time take turns (advisory locks), so each step happens once.
 */
export async function openStore(options: OpenStoreOptions = {}): Promise<OpenedStore> {
  const url = options.url ?? process.env.DATABASE_URL ?? defaultDatabaseUrl();
  const { applied } = await migrate(url);
  const connection = connect(url);
  try {
    // The start lock already serialises processes: syncContent's own PostgreSQL lock (same key) is not taken here.
    const seedIfEmpty = shouldSeedDemo(url, options.seedIfEmpty);
    const seeded = await withStartLock(url, async () => {
      await syncContent(connection.db);
      if (seedIfEmpty && (await connection.db.missionLocale.count()) === 0) return seedDemo(connection.db, { now: options.now });
      return null;
    });
    return { store: bindStore(connection.db), connection, url, seeded, migrationsApplied: applied };
  } catch (err) {
    await connection.close();
    throw err;
  }
}

/** Runs `fn` under a PostgreSQL session advisory lock (SQLite: one process writes at a time anyway). */
async function withStartLock<T>(url: string, fn: () => Promise<T>): Promise<T> {
  if (!isPostgresUrl(url)) return fn();
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [SEED_LOCK]);
    return await fn();
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [SEED_LOCK]).catch(() => undefined);
    await client.end().catch(() => undefined);
  }
}
