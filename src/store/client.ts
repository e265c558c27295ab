import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient as SqliteClient } from './generated/sqlite/client.js';
import { PrismaClient as PostgresClient } from './generated/postgres/client.js';
import { isPostgresUrl, sqliteFileFromUrl } from './database-url.js';
import type BetterSqlite3 from 'better-sqlite3';
import { driverCalls, postgresReadDriver, registerClient, sqliteDriver } from './sql.js';

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
 * with its driver registered for the hot paths (see src/store/sql.ts).
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
  const factory = new PrismaBetterSQLite3({ url: file, timeout: 10_000 });
  // Prisma opens its connection lazily through the factory (again after a $disconnect); we keep a hand on the
  // current one for the raw hot paths.
  let current: BetterSqlite3.Database | undefined;
  const adapter: NonNullable<NonNullable<ConstructorParameters<typeof SqliteClient>[0]>['adapter']> = {
    provider: factory.provider,
    adapterName: factory.adapterName,
    async connect() {
      const a = await factory.connect();
      current = (a as unknown as { client: BetterSqlite3.Database }).client;
      return countStatements(a);
    },
  };
  const db = new SqliteClient({ adapter });
  const driver = sqliteDriver(async () => {
    if (!current?.open) await db.$connect();
    if (!current?.open) throw new Error('The SQLite connection did not open');
    return current;
  });
  registerClient(db, 'sqlite', driver);
  return { db, kind: 'sqlite', close: () => closeBoth(db, driver.close) };
}

async function closeBoth(db: Db, closeReader?: () => Promise<void>): Promise<void> {
  try {
    await closeReader?.();
  } finally {
    await db.$disconnect();
  }
}

/** Counts the statements Prisma sends through an adapter (and its transactions), for the round-trip figures. */
function countStatements<A extends { queryRaw: (...a: never[]) => unknown; executeRaw: (...a: never[]) => unknown; startTransaction?: (...a: never[]) => Promise<unknown> }>(adapter: A): A {
  const wrap = <T extends { queryRaw: (...a: never[]) => unknown; executeRaw: (...a: never[]) => unknown }>(target: T): T => {
    const { queryRaw, executeRaw } = target;
    target.queryRaw = ((...args: never[]) => {
      driverCalls.prisma++;
      return queryRaw.apply(target, args);
    }) as T['queryRaw'];
    target.executeRaw = ((...args: never[]) => {
      driverCalls.prisma++;
      return executeRaw.apply(target, args);
    }) as T['executeRaw'];
    return target;
  };
  const start = adapter.startTransaction;
  if (start) {
    adapter.startTransaction = (async (...args: never[]) => {
      driverCalls.prisma++;
      return wrap((await start.apply(adapter, args)) as A);
    }) as A['startTransaction'];
  }
  return wrap(adapter);
}
