import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient as SqliteClient } from './generated/sqlite/client.js';
import { PrismaClient as PostgresClient } from './generated/postgres/client.js';
import { isPostgresUrl, sqliteFileFromUrl } from './database-url.js';
import type Database from 'better-sqlite3';
import { classifyStoreError, StoreBusyError, StoreUnavailableError } from './errors.js';
import { sqliteWriter, type SqliteWriter } from './direct.js';
import { driverCalls, postgresReadDriver, registerClient, shareDialect, sqliteReadDriver, type ReadDriver } from './sql.js';

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

/**
 * Lets a client derived from a guarded one (a transaction client) answer like the client it was opened on: the
 * same `connectionInfo`, and the same SQL dialect for sql.ts (not its read driver: reads on a transaction must see
 * the transaction's writes).
 */
export function inheritConnectionInfo(tx: Db, parent: Db): void {
  const info = infos.get(parent);
  if (info) infos.set(tx, info);
  shareDialect(parent, tx);
}

/**
 * Opens a Prisma client on `url` (a `file:` SQLite URL or a `postgresql://` URL) through the matching driver adapter,
 * guarded (errors classified, see `guard`), with a read-only driver connection beside it for the hot reads
 * (see src/store/sql.ts). The read driver is registered for the guarded client, the one repositories receive.
 */
export function connect(url: string): StoreConnection {
  if (isPostgresUrl(url)) {
    const factory = new PrismaPg({ connectionString: url, connectionTimeoutMillis: 5_000 });
    const adapter: NonNullable<NonNullable<ConstructorParameters<typeof PostgresClient>[0]>['adapter']> = {
      provider: factory.provider,
      adapterName: factory.adapterName,
      connect: async () => releasingOnFailedEnd((await factory.connect()) as unknown as PgAdapter) as never,
    };
    const raw = new PostgresClient({ adapter });
    const { db, classify } = guard(raw as unknown as Db, 'postgresql');
    const reader = classifiedReader(postgresReadDriver(url), classify);
    // A root client's autocommit writes (outside any transaction) go to the pool too: no engine in between.
    registerClient(db, 'postgresql', reader, {
      all: (text, values) => reader.all(text, values),
      run: (text, values) => {
        driverCalls.writes++;
        return reader.run!(text, values);
      },
    });
    return { db, kind: 'postgresql', close: () => closeBoth(raw as unknown as Db, reader.close) };
  }
  const file = sqliteFileFromUrl(url);
  if (file !== ':memory:') mkdirSync(path.dirname(file), { recursive: true });
  const factory = new PrismaBetterSQLite3({ url: file, timeout: SQLITE_BUSY_TIMEOUT_MS });
  // The adapter Prisma is using now: its better-sqlite3 connection is the one the store's transactions run on.
  let current: SqliteAdapter | undefined;
  let writer: SqliteWriter | undefined;
  const adapter: NonNullable<NonNullable<ConstructorParameters<typeof SqliteClient>[0]>['adapter']> = {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => {
      const connected = (await factory.connect()) as unknown as SqliteAdapter;
      current = connected;
      return sharedWithWriter(countStatements(connected), () => writer!) as never;
    },
  };
  const raw = new SqliteClient({ adapter });
  const { db, classify } = guard(raw, 'sqlite');
  writer = sqliteWriter(
    () => {
      if (!current?.client.open) throw new StoreUnavailableError(new Error('the SQLite connection is not open'));
      return current.client;
    },
    classify,
    () => void driverCalls.writes++,
  );
  // A second connection to ":memory:" would open another, empty database: reads then go through Prisma.
  // The file must exist for a read-only connection: it does once migrated (connect() always follows migrate()).
  const reader = file !== ':memory:' && existsSync(file) ? classifiedReader(sqliteReadDriver(file, SQLITE_BUSY_TIMEOUT_MS), classify) : undefined;
  const opened = writer;
  // A root client's writes outside a transaction go straight to the writer connection (autocommit), once Prisma
  // has opened it; before that, through Prisma (which opens it).
  registerClient(db, 'sqlite', reader, {
    all: (text, values) => (current?.client.open ? opened.all(text, values) : db.$queryRawUnsafe(text, ...values)),
    run: (text, values) => (current?.client.open ? opened.run(text, values) : db.$executeRawUnsafe(text, ...values)),
  });
  writers.set(db, {
    async transaction(work) {
      // Prisma opens its connection on first use: make sure there is one before taking it over.
      if (!current?.client.open) await raw.$connect();
      return opened.transaction(work);
    },
    writer: opened,
  });
  return { db, kind: 'sqlite', close: () => closeBoth(raw, reader?.close) };
}

/** The part of Prisma's pg adapter the store wraps: its transactions. */
interface PgAdapter {
  startTransaction(...args: never[]): Promise<PgTransaction>;
}
interface PgTransaction {
  executeRaw(query: { sql: string }): Promise<number>;
  commit(): Promise<void>;
  rollback(): Promise<void>;
}

/**
 * Gives a transaction's pooled connection back when its COMMIT or ROLLBACK fails. Prisma 6.19 ends a transaction by
 * running the statement and then calling the adapter's `commit()`/`rollback()`, which release the connection; when
 * the statement throws (the connection dropped during a COMMIT), it never calls them, so the connection stays
 * checked out for ever: the pool shrinks by one each time, and closing it waits for ever. Released here instead
 * (the pool drops a connection that can no longer be queried).
 */
function releasingOnFailedEnd(adapter: PgAdapter): PgAdapter {
  const start = adapter.startTransaction;
  adapter.startTransaction = async (...args: never[]) => {
    const tx = await start.apply(adapter, args);
    const { executeRaw, commit, rollback } = tx;
    let released = false;
    const releaseOnce = (end: () => Promise<void>) => async () => {
      if (released) return;
      released = true;
      await end.call(tx);
    };
    tx.commit = releaseOnce(commit);
    tx.rollback = releaseOnce(rollback);
    tx.executeRaw = async (query) => {
      try {
        return await executeRaw.call(tx, query);
      } catch (err) {
        if (query.sql === 'COMMIT' || query.sql === 'ROLLBACK') await tx.rollback();
        throw err;
      }
    };
    return tx;
  };
  return adapter;
}

/** The part of Prisma's better-sqlite3 adapter the store reaches into: its connection. */
interface SqliteAdapter {
  client: Database.Database;
  queryRaw: (...a: never[]) => unknown;
  executeRaw: (...a: never[]) => unknown;
  startTransaction?: (...a: never[]) => Promise<unknown>;
}

/** A root SQLite client's writer connection, for the store's own transactions (index.ts). */
export interface DirectTransactions {
  transaction<T>(work: () => Promise<T>): Promise<T>;
  writer: SqliteWriter;
}
const writers = new WeakMap<Db, DirectTransactions>();

/** The direct-transaction path of a root SQLite client opened by `connect` (undefined on PostgreSQL). */
export function directTransactions(db: Db): DirectTransactions | undefined {
  return writers.get(db);
}

interface AdapterTransaction {
  executeRaw: (q: { sql: string }) => Promise<number>;
  commit: () => Promise<void>;
  rollback: () => Promise<void>;
}

/**
 * Makes Prisma's own transactions on this connection take the writer's lock (so a Prisma transaction never opens
 * inside the store's, or the reverse), and turns one opened by an ORM call *inside* the store's transaction into
 * a savepoint of it: its COMMIT releases the savepoint, its ROLLBACK rolls back to it.
 */
function sharedWithWriter(adapter: SqliteAdapter, writer: () => SqliteWriter): SqliteAdapter {
  const start = adapter.startTransaction;
  if (!start) return adapter;
  adapter.startTransaction = (async (...args: never[]) => {
    const w = writer();
    if (w.inTransaction()) {
      const name = w.nextSavepoint();
      adapter.client.exec(`SAVEPOINT ${name}`);
      const nested: AdapterTransaction & Record<string, unknown> = {
        provider: 'sqlite',
        adapterName: (adapter as unknown as { adapterName: string }).adapterName,
        options: { usePhantomQuery: false },
        queryRaw: (q: never) => adapter.queryRaw(q),
        executeRaw: async (q: { sql: string }) => {
          if (q.sql === 'COMMIT') return adapter.client.exec(`RELEASE SAVEPOINT ${name}`), 0;
          if (q.sql === 'ROLLBACK') return adapter.client.exec(`ROLLBACK TO SAVEPOINT ${name}; RELEASE SAVEPOINT ${name}`), 0;
          return (adapter.executeRaw as (x: unknown) => Promise<number>)(q);
        },
        commit: async () => undefined,
        rollback: async () => undefined,
      };
      return nested;
    }
    const release = await w.lock.acquire();
    let tx: AdapterTransaction;
    try {
      tx = (await start.apply(adapter, args)) as AdapterTransaction;
    } catch (err) {
      release();
      throw err;
    }
    const { commit, rollback } = tx;
    tx.commit = () => commit.call(tx).finally(release);
    tx.rollback = () => rollback.call(tx).finally(release);
    return tx;
  }) as SqliteAdapter['startTransaction'];
  return adapter;
}

async function closeBoth(db: Db, closeReader?: () => Promise<void>): Promise<void> {
  try {
    await closeReader?.();
  } finally {
    await db.$disconnect();
  }
}

/** The read driver with its failures classified like the Prisma client's (and a met lock remembered). */
function classifiedReader(driver: ReadDriver, classify: (err: unknown) => unknown): ReadDriver {
  return {
    dialect: driver.dialect,
    async all(text, values) {
      try {
        return await driver.all(text, values);
      } catch (err) {
        throw classify(err);
      }
    },
    ...(driver.run
      ? {
          run: async (text: string, values: unknown[]) => {
            try {
              return await driver.run!(text, values);
            } catch (err) {
              throw classify(err);
            }
          },
        }
      : {}),
    close: () => driver.close(),
  };
}

/**
 * Wraps a client so that every operation (model calls, raw queries, transaction start and commit) throws our own
 * error classes (errors.ts): the driver's codes are read once, here. An error thrown by the work inside an
 * interactive transaction is passed through untouched (it is ours already, or was classified by its query).
 */
function guard(raw: Db, kind: DatabaseKind): { db: Db; classify: (err: unknown) => unknown } {
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
  return { db: guarded, classify };
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
