import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient as SqliteClient } from './generated/sqlite/client.js';
import { PrismaClient as PostgresClient } from './generated/postgres/client.js';
import { isPostgresUrl, sqliteFileFromUrl } from './database-url.js';
import { classifyStoreError, StoreBusyError } from './errors.js';

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
 * How long a SQLite statement waits for a lock held by another process before failing with SQLITE_BUSY.
 * better-sqlite3 waits synchronously, freezing the whole process meanwhile (Telegram, Teams, /healthz): the wait
 * is kept short and the store retries asynchronously instead (retry.ts).
 */
export const SQLITE_BUSY_TIMEOUT_MS = 10;

/** What the store knows about a guarded client: its database kind and when it last met a lock. */
export interface ConnectionInfo {
  kind: DatabaseKind;
  /** `Date.now()` of the last StoreBusyError, 0 if none. */
  lastBusyAt: number;
}

const infos = new WeakMap<object, ConnectionInfo>();

/** The kind and lock history of a client opened by `connect`, or of a transaction on one (undefined otherwise). */
export function connectionInfo(db: Db): ConnectionInfo | undefined {
  return infos.get(db);
}

/** Lets a transaction client answer `connectionInfo` like the client it was opened on. */
export function inheritConnectionInfo(tx: Db, parent: Db): void {
  const info = infos.get(parent);
  if (info) infos.set(tx, info);
}

/** Opens a Prisma client on `url` (a `file:` SQLite URL or a `postgresql://` URL) through the matching driver adapter. */
export function connect(url: string): StoreConnection {
  if (isPostgresUrl(url)) {
    const raw = new PostgresClient({ adapter: new PrismaPg({ connectionString: url, connectionTimeoutMillis: 5_000 }) });
    return { db: guard(raw as unknown as Db, 'postgresql'), kind: 'postgresql', close: () => raw.$disconnect() };
  }
  const file = sqliteFileFromUrl(url);
  if (file !== ':memory:') mkdirSync(path.dirname(file), { recursive: true });
  const raw = new SqliteClient({ adapter: new PrismaBetterSQLite3({ url: file, timeout: SQLITE_BUSY_TIMEOUT_MS }) });
  return { db: guard(raw, 'sqlite'), kind: 'sqlite', close: () => raw.$disconnect() };
}

/**
 * Wraps a client so that every operation (model calls, raw queries, transaction start and commit) throws our own
 * error classes (errors.ts): the driver's codes are read once, here. An error thrown by the work inside an
 * interactive transaction is passed through untouched (it is ours already, or was classified by its query).
 */
function guard(raw: Db, kind: DatabaseKind): Db {
  const info: ConnectionInfo = { kind, lastBusyAt: 0 };
  const classify = (err: unknown): unknown => {
    const classified = classifyStoreError(err);
    if (classified instanceof StoreBusyError) info.lastBusyAt = Date.now();
    return classified;
  };
  const extended = raw.$extends({
    query: {
      async $allOperations({ args, query }) {
        try {
          return await query(args);
        } catch (err) {
          throw classify(err);
        }
      },
    },
  }) as unknown as Db;
  const transaction = async (arg: unknown, options?: unknown): Promise<unknown> => {
    const run = extended.$transaction as (a: unknown, o?: unknown) => Promise<unknown>;
    if (typeof arg !== 'function') {
      try {
        return await run.call(extended, arg, options);
      } catch (err) {
        throw classify(err);
      }
    }
    let thrownByWork: { err: unknown } | undefined;
    try {
      return await run.call(
        extended,
        async (tx: unknown) => {
          try {
            return await (arg as (tx: unknown) => Promise<unknown>)(tx);
          } catch (err) {
            thrownByWork = { err };
            throw err;
          }
        },
        options,
      );
    } catch (err) {
      if (thrownByWork && thrownByWork.err === err) throw err;
      throw classify(err);
    }
  };
  const guarded = new Proxy(extended, {
    get(target, prop, receiver) {
      if (prop === '$transaction') return transaction;
      return Reflect.get(target, prop, receiver);
    },
  });
  infos.set(guarded, info);
  return guarded;
}
