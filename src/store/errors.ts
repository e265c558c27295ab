/**
 * The database could not be reached or answered with a transport-level failure.
 * The core turns it into a "try again later" reply; nothing the user sent is lost because nothing was written.
 */
export class StoreUnavailableError extends Error {
  override name = 'StoreUnavailableError';
  constructor(cause: unknown) {
    super('The database is unavailable', { cause });
  }
}

const UNAVAILABLE_CODES = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024', 'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'SQLITE_BUSY', 'SQLITE_CANTOPEN']);

/** True when `err` says the database is down or unreachable, as opposed to a bug or a constraint violation. */
export function isUnavailable(err: unknown): boolean {
  if (err instanceof StoreUnavailableError) return true;
  const seen = new Set<unknown>();
  let cur: unknown = err;
  while (cur && typeof cur === 'object' && !seen.has(cur)) {
    seen.add(cur);
    const e = cur as { code?: unknown; message?: unknown; cause?: unknown; name?: string };
    if (typeof e.code === 'string' && UNAVAILABLE_CODES.has(e.code)) return true;
    if (e.name === 'PrismaClientInitializationError') return true;
    if (typeof e.message === 'string' && /ECONNREFUSED|Can't reach database|connection terminated|Connection terminated|database is locked|unable to open database|Closed the database|timeout exceeded when trying to connect/i.test(e.message)) {
      return true;
    }
    cur = e.cause;
  }
  return false;
}

/** True when `err` is a unique-constraint violation (Prisma P2002), on either database. */
export function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; message?: string } | undefined;
  return e?.code === 'P2002' || /Unique constraint failed|UniqueConstraintViolation|duplicate key/i.test(e?.message ?? '');
}
