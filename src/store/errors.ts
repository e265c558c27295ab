/**
 * The store's error classes. Every failure of a store call is classified once, here, from the driver's codes
 * (see `classifyStoreError`, applied by the client wrapper in client.ts): the core and the adapters test the class
 * with `instanceof` and never read a message.
 *
 * | class | meaning | retryable |
 * |---|---|---|
 * | `StoreUnavailableError` | the database cannot be reached or dropped the connection | yes |
 * | `StoreBusyError` (a `StoreUnavailableError`) | SQLite: another process holds the write lock | yes |
 * | `CommitOutcomeUnknownError` (a `StoreUnavailableError`) | PostgreSQL: the connection dropped while a transaction committed | yes |
 * | `TransactionConflictError` | PostgreSQL deadlock or serialization failure: the same work may succeed now | yes |
 * | `ConflictError` | a unique constraint refused the write (the row exists) | no |
 * | `InvalidInputError` | a caller passed a value the store refuses | no |
 */

/** A classified store failure; `retryable` says whether the same call may succeed later. */
export abstract class StoreError extends Error {
  abstract readonly retryable: boolean;
}

/**
 * The database could not be reached or answered with a transport-level failure. The turn that met it rolled
 * back: the core answers "try again later" and the platform's redelivery runs it afresh.
 */
export class StoreUnavailableError extends StoreError {
  override name = 'StoreUnavailableError';
  readonly retryable = true;
  constructor(cause?: unknown, message = 'The database is unavailable') {
    super(message, { cause });
  }
}

/** SQLite only: another process (a backup, `npm run purge`) holds the write lock beyond the short busy timeout. */
export class StoreBusyError extends StoreUnavailableError {
  override name = 'StoreBusyError';
  constructor(cause?: unknown) {
    super(cause, 'The database is locked by another process');
  }
}

/**
 * PostgreSQL: the connection dropped after the transaction's work was done, while it committed. The COMMIT may
 * have reached the server (then everything was kept) or not (then nothing was): no one can tell from here. What
 * the turn wrote is found, or not, by the redelivery, which the ProcessedUpdate mark makes safe either way.
 */
export class CommitOutcomeUnknownError extends StoreUnavailableError {
  override name = 'CommitOutcomeUnknownError';
  constructor(cause?: unknown) {
    super(cause, 'The connection was lost while the transaction committed');
  }
}

/** PostgreSQL aborted a transaction to break a deadlock or a serialization conflict: running it again may succeed. */
export class TransactionConflictError extends StoreError {
  override name = 'TransactionConflictError';
  readonly retryable = true;
  constructor(cause?: unknown) {
    super('The transaction conflicted with another one', { cause });
  }
}

/** A unique constraint refused the write: the row already exists (a redelivery, a race that the other side won). */
export class ConflictError extends StoreError {
  override name = 'ConflictError';
  readonly retryable = false;
  constructor(cause?: unknown) {
    super('A unique constraint refused the write', { cause });
  }
}

/** A caller passed a value the store refuses; the message is safe to log (no input values in it). */
export class InvalidInputError extends StoreError {
  override name = 'InvalidInputError';
  readonly retryable = false;
}

/** Prisma error codes that mean the database is out of reach (connection, pool or transaction-API timeouts). */
const UNAVAILABLE_PRISMA_CODES = new Set(['P1001', 'P1002', 'P1008', 'P1011', 'P1017', 'P2024', 'P2028']);
/** Driver-adapter error kinds (`DriverAdapterError.cause.kind`) that mean the same. */
const UNAVAILABLE_KINDS = new Set(['DatabaseNotReachable', 'ConnectionClosed', 'SocketTimeout', 'TooManyConnections', 'TlsConnectionError', 'DatabaseDoesNotExist']);
/** Node socket errors raised by the PostgreSQL driver. */
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);
/** SQLite result codes of a lock held by another connection. */
const SQLITE_BUSY_CODES = new Set(['SQLITE_BUSY', 'SQLITE_BUSY_SNAPSHOT', 'SQLITE_BUSY_RECOVERY', 'SQLITE_LOCKED']);
/**
 * A unique constraint refused a row, as the drivers say it when the store talks to them directly (direct.ts, the
 * `pg` pool): better-sqlite3's extended result codes and PostgreSQL's SQLSTATE 23505.
 */
const UNIQUE_VIOLATION_CODES = new Set(['SQLITE_CONSTRAINT_UNIQUE', 'SQLITE_CONSTRAINT_PRIMARYKEY', '23505']);
/**
 * PostgreSQL SQLSTATEs worth running the transaction again for: serialization failure, deadlock, and "current
 * transaction is aborted" (a repository recovered from a unique violation raised by a concurrent insert, which
 * aborts a PostgreSQL transaction; run again, it finds the row the other side committed).
 */
const PG_CONFLICT_STATES = new Set(['40001', '40P01', '25P02']);

interface DriverCause {
  kind?: string;
  originalCode?: string;
  code?: string;
}

/** The driver adapter's own description of a failure, wherever Prisma put it. */
function driverCauseOf(err: Record<string, unknown>): DriverCause | undefined {
  const fromMeta = (err.meta as { driverAdapterError?: { cause?: DriverCause } } | undefined)?.driverAdapterError?.cause;
  if (fromMeta) return fromMeta;
  if (err.name === 'DriverAdapterError' && err.cause && typeof err.cause === 'object') return err.cause as DriverCause;
  // The `pg` driver itself (the store's read pool, sql.ts): a server error carries its SQLSTATE and a severity.
  if (typeof err.severity === 'string' && typeof err.code === 'string' && /^[0-9A-Z]{5}$/.test(err.code)) return { originalCode: err.code };
  return undefined;
}

/**
 * Turns whatever a store call threw into one of our classes, from codes only. `err` comes straight from the
 * Prisma client or its driver (client.ts calls this around each operation), so an untyped `Error` there is the
 * PostgreSQL driver losing its connection ("Connection terminated unexpectedly" carries no code). Anything
 * unrecognised is returned as is: a bug stays a bug.
 */
export function classifyStoreError(err: unknown): unknown {
  if (err instanceof StoreError || !err || typeof err !== 'object') return err;
  const e = err as Record<string, unknown>;
  const cause = driverCauseOf(e);
  const driverCode = cause?.originalCode ?? cause?.code;
  if (driverCode && SQLITE_BUSY_CODES.has(driverCode)) return new StoreBusyError(err);
  if (typeof e.code === 'string' && SQLITE_BUSY_CODES.has(e.code)) return new StoreBusyError(err);
  if (cause?.kind === 'TransactionWriteConflict' || (driverCode && PG_CONFLICT_STATES.has(driverCode)) || e.code === 'P2034') {
    return new TransactionConflictError(err);
  }
  if (cause?.kind === 'UniqueConstraintViolation' || e.code === 'P2002' || (driverCode && UNIQUE_VIOLATION_CODES.has(driverCode)) || (typeof e.code === 'string' && UNIQUE_VIOLATION_CODES.has(e.code))) {
    return new ConflictError(err);
  }
  if (cause?.kind && UNAVAILABLE_KINDS.has(cause.kind)) return new StoreUnavailableError(err);
  // SQLSTATE classes 08 (connection exception) and 57P0x (server shutting down, e.g. a restart), 53 (out of resources).
  if (driverCode && /^(08|57P0|53)/.test(driverCode)) return new StoreUnavailableError(err);
  if (typeof e.code === 'string' && (UNAVAILABLE_PRISMA_CODES.has(e.code) || SOCKET_CODES.has(e.code) || /^SQLITE_(CANTOPEN|IOERR|FULL|NOTADB)/.test(e.code))) {
    return new StoreUnavailableError(err);
  }
  if (e.name === 'PrismaClientInitializationError' || e.name === 'PrismaClientRustPanicError') return new StoreUnavailableError(err);
  if (err.constructor === Error && e.code === undefined) return new StoreUnavailableError(err);
  return err;
}

/** True when `err` is a unique-constraint refusal (already classified by the client wrapper). */
export function isUniqueViolation(err: unknown): boolean {
  return err instanceof ConflictError;
}

/** True when `err` says the database is down, unreachable or locked (already classified by the client wrapper). */
export function isUnavailable(err: unknown): boolean {
  return err instanceof StoreUnavailableError;
}
