/**
 * A turn's transaction on SQLite, run directly on the connection Prisma's adapter writes through.
 *
 * Why: a Prisma interactive transaction costs three engine round trips of its own (start, COMMIT, commit) and
 * every statement inside it goes through the JS engine (`$queryRawUnsafe`, about 0.3 ms each against 0.02 ms on
 * the driver). SQLite has one writer connection per process anyway, so the store opens the transaction itself
 * (`BEGIN IMMEDIATE` on that very connection), runs the repositories' SQL there with statements prepared once,
 * and commits. An ORM call made inside the transaction goes through Prisma on the same connection, so it is
 * inside the transaction too; one that would open a transaction of its own (a nested write) gets a savepoint.
 *
 * Exclusion: one lock covers this transaction and Prisma's own transactions (client.ts makes the adapter's
 * `startTransaction` take it), so neither opens inside the other by accident; the store's gate (index.ts)
 * already makes calls outside a transaction wait for the open one.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type Database from 'better-sqlite3';

/** A promise-chain mutex: `acquire` resolves with the function that releases it. */
class Lock {
  #tail: Promise<void> = Promise.resolve();
  acquire(): Promise<() => void> {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const ready = this.#tail.then(() => release);
    this.#tail = this.#tail.then(() => held);
    return ready;
  }
}

/** The writer connection of a SQLite client, as the store uses it for its own transactions. */
export interface SqliteWriter {
  /** Runs a read on the writer connection (inside the open transaction); rows as the driver returns them. */
  all(text: string, values: unknown[]): Record<string, unknown>[];
  /** Runs a write on the writer connection; returns the number of rows changed. */
  run(text: string, values: unknown[]): number;
  /**
   * The same, without waiting for the disk when it commits on its own (outside a transaction): `synchronous` is
   * lowered to NORMAL for this one statement and put back at once; a write inside a transaction is as durable
   * as the transaction's COMMIT. Only for writes whose loss after a power cut is harmless (sql.ts `writeRows`).
   */
  runUnsynced(text: string, values: unknown[]): number;
  /** Runs `work` in one `BEGIN IMMEDIATE … COMMIT` (rolled back if it throws); errors are classified. */
  transaction<T>(work: () => Promise<T>): Promise<T>;
  /** True inside the async context of this writer's open transaction. */
  inTransaction(): boolean;
  /** Taken by Prisma's own transactions on this connection (client.ts), so they never overlap ours. */
  lock: { acquire(): Promise<() => void> };
  /** Names a savepoint for an ORM transaction nested in ours. */
  nextSavepoint(): string;
}

/**
 * `connection` returns the adapter's current better-sqlite3 connection (Prisma opens it on first use and may
 * reopen it after a disconnect); `classify` turns driver errors into the store's classes (client.ts).
 */
export function sqliteWriter(connection: () => Database.Database, classify: (err: unknown) => unknown, count: () => void): SqliteWriter {
  const statements = new Map<string, Database.Statement>();
  let preparedOn: Database.Database | undefined;
  const open = new AsyncLocalStorage<true>();
  const lock = new Lock();
  let savepoints = 0;
  /** The connection's own `synchronous` level, which `runUnsynced` restores. */
  let syncLevel: { on: Database.Database; level: number } | undefined;
  const statement = (text: string): Database.Statement => {
    const conn = connection();
    if (conn !== preparedOn) {
      statements.clear();
      preparedOn = conn;
    }
    let st = statements.get(text);
    if (!st) {
      // Prisma's adapter sets safe integers on its connection; the store's schemas read plain numbers.
      st = conn.prepare(text).safeIntegers(false);
      statements.set(text, st);
    }
    return st;
  };
  const guarded = <T>(f: () => T): T => {
    count();
    try {
      return f();
    } catch (err) {
      throw classify(err);
    }
  };
  return {
    lock,
    all: (text, values) => guarded(() => statement(text).all(...values) as Record<string, unknown>[]),
    run: (text, values) => guarded(() => statement(text).run(...values).changes),
    runUnsynced: (text, values) =>
      guarded(() => {
        const conn = connection();
        if (conn.inTransaction) return statement(text).run(...values).changes;
        // One synchronous block: no other statement can run on the connection between these three. The level to
        // put back is read once per connection (the store never changes it otherwise).
        if (syncLevel?.on !== conn) syncLevel = { on: conn, level: conn.pragma('synchronous', { simple: true }) as number };
        const { level } = syncLevel;
        conn.pragma('synchronous = NORMAL');
        try {
          return statement(text).run(...values).changes;
        } finally {
          conn.pragma(`synchronous = ${level}`);
        }
      }),
    inTransaction: () => open.getStore() === true,
    nextSavepoint: () => `store_sp_${++savepoints}`,
    async transaction(work) {
      const release = await lock.acquire();
      try {
        guarded(() => statement('BEGIN IMMEDIATE').run());
        let result: Awaited<ReturnType<typeof work>>;
        try {
          result = await open.run(true, work);
        } catch (err) {
          if (connection().inTransaction) guarded(() => statement('ROLLBACK').run());
          throw err;
        }
        guarded(() => statement('COMMIT').run());
        return result;
      } finally {
        // A failed COMMIT (disk full) leaves the transaction open: end it, so the connection stays usable.
        if (connection().inTransaction) {
          try {
            connection().exec('ROLLBACK');
          } catch {
            // nothing left to undo
          }
        }
        release();
      }
    },
  };
}
