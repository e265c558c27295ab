/**
 * Raw SQL for the store's hot paths: one parameterised statement, two dialects, two ways to run it.
 *
 * Why: Prisma 6.19's JS engine compiles every ORM call on the main thread (about 1 ms each here, 0.3 ms for
 * `$queryRaw`), against 0.1 ms for the same statement on the driver. The hot reads (mission search, caseload
 * lists and counts, content, dialogue state) are written once here as SQL and run:
 * - on a **read-only driver connection** registered for a root client by `connect()` (a second better-sqlite3
 *   connection on the same file, which WAL lets read beside the writer; a `pg` Pool on PostgreSQL), or
 * - through `$queryRawUnsafe` on the client they were given when it has no driver (an interactive transaction,
 *   an extended client, `:memory:`), so a read inside a turn's transaction sees that transaction's writes;
 * - except for reference data no turn writes (missions, FAQ and aids, programme figures): the transaction-scoped
 *   store hands those repositories a view registered with the root's driver (`shareReadDriver`), since committed
 *   data is all they need.
 * Writes never use the driver connection: they go through `$executeRawUnsafe` on the handle given, so a
 * transaction covers them and no second writer competes with Prisma's connection for SQLite's lock.
 *
 * Values are always bound parameters (`?` on SQLite, `$n` on PostgreSQL), never spliced into the text.
 * Results are checked with zod into the store's own types by the callers.
 */
import Database from 'better-sqlite3';
import pg from 'pg';
import { z } from 'zod';
// The client type itself, not client.ts's `Db` alias of it: client.ts imports this module (no import cycle).
import type { PrismaClient as Db } from './generated/sqlite/client.js';

export type Dialect = 'sqlite' | 'postgresql';

/** A PostgreSQL type a bound value is cast to (enums and timestamps need it; SQLite ignores it). */
type PgCast = 'timestamp' | 'jsonb' | 'text' | 'int' | `"${string}"`;

interface Param {
  value: unknown;
  pgCast?: PgCast;
}

/** A piece of SQL: literal text chunks and the values bound between them. Build it with `sql`, never by concatenation. */
export class Sql {
  constructor(
    readonly chunks: readonly string[],
    readonly params: readonly Param[],
  ) {}
}

/** A value with the PostgreSQL cast its column needs (an enum: `typed(v, '"Sector"')`). */
export function typed(value: unknown, pgCast: PgCast): Param {
  return { value, pgCast };
}

function isParam(v: unknown): v is Param {
  return typeof v === 'object' && v !== null && !(v instanceof Date) && !(v instanceof Sql) && 'value' in v && Object.keys(v).every((k) => k === 'value' || k === 'pgCast');
}

/**
 * Tagged template: `sql\`SELECT … WHERE "id" = ${id}\``. Interpolated `Sql` fragments are inlined; every other
 * value becomes a bound parameter (Dates are cast to timestamps on PostgreSQL).
 */
export function sql(strings: TemplateStringsArray, ...values: unknown[]): Sql {
  const chunks: string[] = [strings[0]!];
  const params: Param[] = [];
  values.forEach((v, i) => {
    if (v instanceof Sql) {
      chunks[chunks.length - 1] += v.chunks[0]!;
      for (let k = 0; k < v.params.length; k++) {
        params.push(v.params[k]!);
        chunks.push(v.chunks[k + 1]!);
      }
      chunks[chunks.length - 1] += strings[i + 1]!;
    } else {
      params.push(isParam(v) ? v : v instanceof Date ? { value: v, pgCast: 'timestamp' } : { value: v });
      chunks.push(strings[i + 1]!);
    }
  });
  return new Sql(chunks, params);
}

/** Joins fragments with a separator (`AND`, `,`). */
export function join(parts: Sql[], separator: string): Sql {
  if (parts.length === 0) return sql``;
  let out = parts[0]!;
  for (const p of parts.slice(1)) out = sql`${out}${new Sql([separator], [])}${p}`;
  return out;
}

/**
 * Rows as ONE bound JSON parameter expanded into a row source aliased `j` with the given columns (`json_each` on
 * SQLite, `jsonb_to_recordset` on PostgreSQL): a batch write binds one value instead of one per cell. Column
 * types are PostgreSQL's (SQLite reads every column with `json_extract`); dates must be given as the text the
 * database stores (see `bindValue`), objects become JSON text on SQLite and jsonb on PostgreSQL.
 */
export function jsonRecords(dialect: Dialect, columns: [name: string, pgType: string][], rows: Record<string, unknown>[]): Sql {
  const encoded = JSON.stringify(
    rows.map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, v instanceof Date ? bindValue(dialect, v) : v]))),
  );
  const [before, after] = jsonRowSourceText(dialect, columns, PARAM_SLOT).split(PARAM_SLOT) as [string, string];
  return sql`${raw(before)}${encoded}${raw(after)}`;
}

const PARAM_SLOT = '\u0000';

/**
 * The text of `jsonRecords`'s row source around a placeholder `param` (`$1`, `?`), for statements written as text
 * (the mission import's batch writes). json_extract returns arrays as JSON text, which is how SQLite keeps Prisma's
 * Json columns.
 */
export function jsonRowSourceText(dialect: Dialect, columns: [name: string, pgType: string][], param: string): string {
  if (dialect === 'postgresql') return `jsonb_to_recordset(${param}::jsonb) AS j(${columns.map(([c, t]) => `"${c}" ${t}`).join(', ')})`;
  return `(SELECT ${columns.map(([c]) => `json_extract(value, '$.${c}') AS "${c}"`).join(', ')} FROM json_each(${param})) AS j`;
}

/** A fragment of trusted SQL text (identifiers, keywords chosen by code): never pass input here. */
export function raw(text: string): Sql {
  return new Sql([text], []);
}

/**
 * How the database stores a DateTime through Prisma's adapters: ISO text with "+00:00" on SQLite (so text
 * comparison is time order), a `timestamp(3)` holding UTC on PostgreSQL.
 */
function bindValue(dialect: Dialect, v: unknown, pgCast?: PgCast): unknown {
  if (v instanceof Date) return dialect === 'sqlite' ? v.toISOString().replace('Z', '+00:00') : v.toISOString().slice(0, -1);
  if (typeof v === 'boolean') return dialect === 'sqlite' ? (v ? 1 : 0) : v;
  if (pgCast === 'jsonb' && typeof v !== 'string') return JSON.stringify(v);
  return v;
}

/** The statement text and bound values of `q` for `dialect`. */
export function render(dialect: Dialect, q: Sql): { text: string; values: unknown[] } {
  let text = q.chunks[0]!;
  q.params.forEach((p, i) => {
    const placeholder = dialect === 'sqlite' ? '?' : p.pgCast ? `$${i + 1}::${p.pgCast === 'timestamp' ? 'timestamp(3)' : p.pgCast}` : `$${i + 1}`;
    text += placeholder + q.chunks[i + 1]!;
  });
  return { text, values: q.params.map((p) => bindValue(dialect, p.value, p.pgCast)) };
}

/**
 * A Json column read as text (select it as `CAST(x AS TEXT)`): PostgreSQL's driver would otherwise decode jsonb,
 * SQLite's returns the text, and a JSON string value could not be told from its encoding.
 */
export const jsonText = z.string().transform((text): unknown => JSON.parse(text));

/** A read-only connection beside a Prisma client (PostgreSQL's pool also takes autocommit writes: `run`). */
export interface ReadDriver {
  dialect: Dialect;
  all(text: string, values: unknown[]): Promise<Record<string, unknown>[]>;
  run?(text: string, values: unknown[]): Promise<number>;
  close(): Promise<void>;
}

/**
 * Read-only better-sqlite3 connection; statements are prepared once per text. `busyTimeoutMs` bounds the rare
 * synchronous wait for a lock (WAL readers only meet one during recovery or a checkpoint in exclusive mode).
 */
export function sqliteReadDriver(file: string, busyTimeoutMs: number): ReadDriver {
  const conn = new Database(file, { readonly: true, fileMustExist: true });
  conn.pragma(`busy_timeout = ${Math.trunc(busyTimeoutMs)}`);
  const statements = new Map<string, Database.Statement>();
  return {
    dialect: 'sqlite',
    async all(text, values) {
      let st = statements.get(text);
      if (!st) {
        st = conn.prepare(text);
        statements.set(text, st);
      }
      return st.all(...values) as Record<string, unknown>[];
    },
    async close() {
      conn.close();
    },
  };
}

const TIMESTAMP_OID = 1114;
const INT8_OID = 20;
const NUMERIC_OID = 1700;

/** A small `pg` Pool for reads; timestamps without time zone are read as UTC (how Prisma writes them). */
export function postgresReadDriver(connectionString: string): ReadDriver {
  const pool = new pg.Pool({
    connectionString,
    max: 4,
    connectionTimeoutMillis: 5_000,
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
        if (oid === TIMESTAMP_OID) return (s: string) => new Date(`${s.replace(' ', 'T')}Z`);
        if (oid === INT8_OID || oid === NUMERIC_OID) return (s: string) => Number(s);
        return pg.types.getTypeParser(oid, format ?? 'text');
      }) as typeof pg.types.getTypeParser,
    },
  });
  // An idle client's error (the server restarted) must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);
  let ended: Promise<void> | undefined;
  return {
    dialect: 'postgresql',
    async all(text, values) {
      return (await pool.query({ text, values })).rows as Record<string, unknown>[];
    },
    async run(text, values) {
      return (await pool.query({ text, values })).rowCount ?? 0;
    },
    // A connection may be closed by the service's stop and again by its owner: the second close is a no-op.
    close: () => (ended ??= pool.end()),
  };
}

interface Registered {
  dialect: Dialect;
  driver?: ReadDriver;
  /**
   * Where this client's writes (and, without a read driver, its reads) go straight to the driver: the SQLite
   * writer connection (a root client, or a view inside the store's own transaction, direct.ts), or the `pg` pool
   * for a PostgreSQL root client's autocommit writes.
   */
  writer?: Writer;
}

/** Statements run straight on a driver connection that writes. */
export interface Writer {
  all(text: string, values: unknown[]): Record<string, unknown>[] | Promise<Record<string, unknown>[]>;
  run(text: string, values: unknown[]): number | Promise<number>;
  /** `run` without waiting for the disk (SQLite's writer outside a transaction: see `writeRows`'s `synced`). */
  runUnsynced?(text: string, values: unknown[]): number;
}

const registry = new WeakMap<object, Registered>();
/**
 * Statements sent to the database, by path: `reads` on the read driver (this module), `writes` on the SQLite
 * writer connection by the store itself (its transactions' BEGIN and COMMIT and the reads and writes inside them,
 * direct.ts), `prisma` through Prisma's adapter (ORM calls, `$queryRaw`, Prisma's transactions; SQLite only).
 * Plain counters read by the round-trips-per-turn benchmark and test.
 */
export const driverCalls = { reads: 0, writes: 0, prisma: 0 };

/** A statement as sent to the database. */
export interface RenderedStatement {
  dialect: Dialect;
  text: string;
  values: unknown[];
}

/** Sees every statement run through this module (the benchmark replays them on a bare driver). Unset in production. */
export const statementObserver: { current?: ((s: RenderedStatement) => void) | undefined } = {};

/** Called by `connect()`: the dialect of a root client and, when it has them, its read driver and its writer. */
export function registerClient(db: Db, dialect: Dialect, driver?: ReadDriver, writer?: Writer): void {
  registry.set(db, { dialect, ...(driver ? { driver } : {}), ...(writer ? { writer } : {}) });
}

/** A client derived from a registered one (`$extends`, a transaction-scoped store) shares its dialect, not its driver. */
export function shareDialect(from: Db, to: object): void {
  const r = registry.get(from);
  if (r) registry.set(to, { dialect: r.dialect });
}

/**
 * A view of a transaction client (`to`) for reads of data no turn writes: its `readRows` run on `from`'s read
 * driver (committed data, 0.1 ms instead of 0.3 ms through the transaction), while any Prisma call on it still goes
 * to the transaction. Only for repositories whose data the turn never writes (the store decides which).
 */
export function shareReadDriver(from: Db, to: object): void {
  const r = registry.get(from);
  // Not the root's writer: a write on this view must stay in the transaction.
  if (r) registry.set(to, { dialect: r.dialect, ...(r.driver ? { driver: r.driver } : {}) });
}

/** `to` (a view of a root SQLite client inside the store's own transaction) reads and writes on `writer`. */
export function registerWriter(to: object, writer: Writer): void {
  registry.set(to, { dialect: 'sqlite', writer });
}

/**
 * What identifies the database behind `db` for a per-process cache: the registry entry its root registered (a
 * transaction-scoped view shares its root's dialect or driver entry, see above), else `db` itself.
 */
export function databaseKey(db: Db): object {
  const r = registry.get(db);
  return r?.driver ?? r ?? db;
}

/** The dialect of `db`, from the registry or from the generated client's provider (transaction clients proxy it). */
export function dialectOf(db: Db): Dialect {
  const r = registry.get(db);
  if (r) return r.dialect;
  return (db as unknown as { _activeProvider?: string })._activeProvider === 'postgresql' ? 'postgresql' : 'sqlite';
}

/**
 * Runs a read and checks each row with `row`. On a root client (or a view given its driver, `shareReadDriver`) it
 * runs on the read driver; on any other client (a transaction, an extended client) on that client, so it sees the
 * transaction's own writes.
 */
export async function readRows<T extends z.ZodType>(db: Db, row: T, build: (dialect: Dialect) => Sql): Promise<z.output<T>[]> {
  const reg = registry.get(db);
  const dialect = reg?.dialect ?? dialectOf(db);
  const { text, values } = render(dialect, build(dialect));
  return runRead(db, reg, dialect, row, text, values);
}

/**
 * A read whose text never depends on its values (only on the dialect): rendered once per dialect, then each call
 * binds its values into the same text. For the hottest single-row reads, where building and rendering the `Sql`
 * costs a tenth of the statement itself. `build` receives the first call's values and must interpolate each of them
 * once, in order (checked on that first call), and nothing else: its text must not vary with them.
 */
export function fixedRead<T extends z.ZodType, A extends unknown[]>(row: T, build: (dialect: Dialect, ...args: A) => Sql) {
  const rendered: Partial<Record<Dialect, { text: string; params: readonly Param[] }>> = {};
  return async (db: Db, ...args: A): Promise<z.output<T>[]> => {
    const reg = registry.get(db);
    const dialect = reg?.dialect ?? dialectOf(db);
    let r = rendered[dialect];
    if (!r) {
      const q = build(dialect, ...args);
      if (q.params.length !== args.length || q.params.some((p, i) => p.value !== args[i])) {
        throw new Error('fixedRead: the statement must bind each argument once, in order');
      }
      r = rendered[dialect] = { text: render(dialect, q).text, params: q.params };
    }
    const params = r.params;
    const values = params.map((p, i) => bindValue(dialect, args[i], p.pgCast));
    return runRead(db, reg, dialect, row, r.text, values);
  };
}

async function runRead<T extends z.ZodType>(db: Db, reg: Registered | undefined, dialect: Dialect, row: T, text: string, values: unknown[]): Promise<z.output<T>[]> {
  statementObserver.current?.({ dialect, text, values });
  let rows: unknown[];
  if (reg?.driver) {
    driverCalls.reads++;
    rows = await reg.driver.all(text, values);
  } else if (reg?.writer) {
    rows = await reg.writer.all(text, values);
  } else {
    rows = await db.$queryRawUnsafe<unknown[]>(text, ...values);
  }
  return rows.map((r) => row.parse(r));
}

/**
 * Runs a write on `db` itself (inside its transaction, if any); returns the affected row count.
 *
 * `synced: false` is for a write whose loss in a power cut costs nothing but a repeat of what it records (a
 * claimed reply: at worst sent once more after the machine restarts). On SQLite, an autocommit write made that way
 * does not wait for the WAL's fsync (synchronous = NORMAL for that statement; the next synced commit flushes it):
 * about 0.2 ms off a turn on this machine. Every other write, and every write on PostgreSQL, stays synced.
 */
export async function writeRows(db: Db, build: (dialect: Dialect) => Sql, options: { synced?: boolean } = {}): Promise<number> {
  const reg = registry.get(db);
  const dialect = reg?.dialect ?? dialectOf(db);
  const { text, values } = render(dialect, build(dialect));
  statementObserver.current?.({ dialect, text, values });
  // Straight on the driver where the client has a writer (counted there): the SQLite writer connection, which
  // the store's own transaction is open on when there is one; a PostgreSQL root client's pool (autocommit).
  // Otherwise through Prisma on the handle given (counted by the adapter's counter), inside its transaction.
  if (reg?.writer) return options.synced === false && reg.writer.runUnsynced ? reg.writer.runUnsynced(text, values) : reg.writer.run(text, values);
  return db.$executeRawUnsafe(text, ...values);
}
