import { connect, type StoreConnection } from './client.js';
import { defaultDatabaseUrl } from './database-url.js';
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
  /** Seed the demo when the database has no Mission locale yet (the embedded default does). */
  seedIfEmpty?: boolean;
  now?: Date;
}

/**
 * Opens the configured database, ready to serve: migrations applied, FAQ and support catalogue synced
 * from prisma/content, demo seeded on first start when asked. Later starts keep the data.
 */
export async function openStore(options: OpenStoreOptions = {}): Promise<OpenedStore> {
  const url = options.url ?? process.env.DATABASE_URL ?? defaultDatabaseUrl();
  const { applied } = await migrate(url);
  const connection = connect(url);
  try {
    await syncContent(connection.db, { postgres: connection.kind === 'postgresql' });
    let seeded: SeedSummary | null = null;
    if (options.seedIfEmpty && (await connection.db.missionLocale.count()) === 0) {
      seeded = await seedDemo(connection.db, { now: options.now });
    }
    return { store: bindStore(connection.db), connection, url, seeded, migrationsApplied: applied };
  } catch (err) {
    await connection.close();
    throw err;
  }
}
