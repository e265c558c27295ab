import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient as SqliteClient } from './generated/sqlite/client.js';
import { PrismaClient as PostgresClient } from './generated/postgres/client.js';
import { isPostgresUrl, sqliteFileFromUrl } from './database-url.js';
import { postgresReadDriver, registerClient, sqliteReadDriver } from './sql.js';

/**
 * The Prisma client every repository takes. Both generated clients expose the same API for the
 * features we use (no provider-specific filters), so the SQLite client's type stands for both.
 */
export type Db = SqliteClient;
export type { Prisma } from './generated/sqlite/client.js';
import { Prisma as SqlitePrisma } from './generated/sqlite/client.js';
/** Writes SQL NULL into a Json column (both generated clients share this runtime value). */
export const DbNull = SqlitePrisma.DbNull;

export type DatabaseKind = 'sqlite' | 'postgresql';

export interface StoreConnection {
  db: Db;
  kind: DatabaseKind;
  close(): Promise<void>;
}

/**
 * Opens a Prisma client on `url` (a `file:` SQLite URL or a `postgresql://` URL) through the matching driver adapter,
 * with a read-only driver connection beside it for the hot reads (see src/store/sql.ts).
 */
export function connect(url: string): StoreConnection {
  if (isPostgresUrl(url)) {
    const db = new PostgresClient({ adapter: new PrismaPg({ connectionString: url, connectionTimeoutMillis: 5_000 }) }) as unknown as Db;
    const reader = postgresReadDriver(url);
    registerClient(db, 'postgresql', reader);
    return { db, kind: 'postgresql', close: () => closeBoth(db, reader.close) };
  }
  const file = sqliteFileFromUrl(url);
  if (file !== ':memory:') mkdirSync(path.dirname(file), { recursive: true });
  const db = new SqliteClient({ adapter: new PrismaBetterSQLite3({ url: file, timeout: 10_000 }) });
  // A second connection to ":memory:" would open another, empty database: reads then go through Prisma.
  // The file must exist for a read-only connection: it does once migrated (connect() always follows migrate()).
  const reader = file !== ':memory:' && existsSync(file) ? sqliteReadDriver(file) : undefined;
  registerClient(db, 'sqlite', reader);
  return { db, kind: 'sqlite', close: () => closeBoth(db, reader?.close) };
}

async function closeBoth(db: Db, closeReader?: () => Promise<void>): Promise<void> {
  try {
    await closeReader?.();
  } finally {
    await db.$disconnect();
  }
}
