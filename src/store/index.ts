/**
 * The store: the only door to the database. Repositories are plain functions taking the client first;
 * `bindStore` closes them over one client so the core receives a ready object and never sees Prisma.
 * `store.transaction(work)` runs `work` with a store bound to one transaction: a turn's writes commit together.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { connectionInfo, directTransactions, inheritConnectionInfo, type Db } from './client.js';
import type { SqliteWriter } from './direct.js';
import { CommitOutcomeUnknownError, StoreBusyError, StoreUnavailableError } from './errors.js';
import { withTransactionRetry } from './retry.js';
import { registerWriter, shareReadDriver } from './sql.js';
import * as missions from './repos/missions.js';
import * as youth from './repos/youth.js';
import * as caseload from './repos/caseload.js';
import * as activity from './repos/activity.js';
import * as content from './repos/content.js';
import * as linkCodes from './repos/link-codes.js';
import * as audit from './repos/audit.js';
import * as conversation from './repos/conversation.js';
import * as counsellors from './repos/counsellors.js';
import * as notifications from './repos/notifications.js';
import * as stats from './repos/stats.js';
import * as dataRights from './repos/data-rights.js';
import * as imports from './repos/imports.js';
import * as agencyTokens from './repos/agency-tokens.js';
import * as peopleImports from './repos/people-imports.js';
import * as jobRuns from './repos/job-runs.js';
import * as reminders from './repos/reminders.js';
import * as digest from './repos/digest.js';
import * as alerts from './repos/alerts.js';
import * as consent from './repos/consent.js';

type Bound<M> = {
  [K in keyof M as M[K] extends (db: Db, ...args: never[]) => unknown ? K : never]: M[K] extends (db: Db, ...args: infer A) => infer R
    ? (...args: A) => R
    : never;
};

/** How a bound repository function reaches the client: directly, or through the SQLite gate. */
type Call = (fn: (db: Db, ...a: unknown[]) => unknown, args: unknown[]) => unknown;

function bind<M extends Record<string, unknown>>(call: Call, module: M): Bound<M> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(module)) {
    if (typeof value === 'function') out[name] = (...args: unknown[]) => call(value as (db: Db, ...a: unknown[]) => unknown, args);
  }
  return out as Bound<M>;
}

/** The state of the database as /healthz reports it. */
export interface StoreHealth {
  /** The database answers a trivial query. */
  reachable: boolean;
  /** SQLite: another process held the write lock in the last few seconds (turns wait and retry meanwhile). */
  busy: boolean;
}

/** How long a met lock keeps the store reported busy. */
const BUSY_MEMORY_MS = 10_000;
/** Prisma's interactive-transaction limits: waiting for a connection, and the whole transaction. */
const TRANSACTION_OPTIONS = { maxWait: 5_000, timeout: 15_000 };

/**
 * Marks the async context of an open transaction, so that a call on the outer store from inside it is caught as
 * the bug it is (on SQLite it would wait for the transaction forever, on PostgreSQL run outside of it).
 */
const inTransaction = new AsyncLocalStorage<true>();

/**
 * One SQLite connection serves every query of the process, so a statement issued while a transaction is open
 * would run inside it (and be rolled back with it). Calls outside transactions wait for the open one to end.
 * A promise chain is all a single-process mutex needs.
 */
class Gate {
  #tail: Promise<unknown> = Promise.resolve();
  run<T>(work: () => Promise<T>): Promise<T> {
    const result = this.#tail.then(work);
    this.#tail = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }
}
const gates = new WeakMap<Db, Gate>();

const MODULES = {
  missions,
  youth,
  caseload,
  activity,
  content,
  linkCodes,
  audit,
  conversation,
  counsellors,
  notifications,
  stats,
  dataRights,
  imports,
  agencyTokens,
  peopleImports,
  jobRuns,
  reminders,
  digest,
  alerts,
  consent,
};
type Repositories = { [K in keyof typeof MODULES]: Bound<(typeof MODULES)[K]> };
/** The repositories of reference data no turn writes: bound to `reference` (the others to `call`). */
const REFERENCE_REPOSITORIES = new Set<string>(['missions', 'content', 'stats']);

/**
 * `call` reaches the client for every repository; `reference` for those reading only reference data no turn
 * writes (missions, FAQ and aids, programme figures), which a transaction-scoped store points at committed data.
 */
function repositories(call: Call, reference: Call = call): Repositories {
  const out: Record<string, unknown> = {};
  for (const [name, module] of Object.entries(MODULES)) out[name] = bind(REFERENCE_REPOSITORIES.has(name) ? reference : call, module);
  return out as Repositories;
}

/**
 * The same, each repository bound on first use: a turn's transaction-scoped store uses three or four of the
 * seventeen, and binding them all cost more than the turn's own statements.
 */
function lazyRepositories(call: Call, reference: Call): Repositories {
  const out: Record<string, unknown> = {};
  for (const [name, module] of Object.entries(MODULES)) {
    Object.defineProperty(out, name, {
      enumerable: true,
      configurable: true,
      get() {
        const bound = bind(REFERENCE_REPOSITORIES.has(name) ? reference : call, module);
        Object.defineProperty(out, name, { value: bound, enumerable: true });
        return bound;
      },
    });
  }
  return out as Repositories;
}

/** The store as the core and the bots see it. */
export type Store = Repositories & {
  /**
   * Runs `work` with a store bound to one transaction: everything it writes commits together, or nothing does.
   * A transaction that met a passing conflict (SQLite lock, PostgreSQL deadlock) is run again from the start
   * (retry.ts), so `work` must be repeatable: it may not send anything outside the store. Nested calls join the
   * open transaction.
   */
  transaction<T>(work: (store: Store) => Promise<T>): Promise<T>;
  /** Reachable, and busy (SQLite locked by another process); never throws, never waits for a lock. */
  health(): Promise<StoreHealth>;
  /** True when the database answers a trivial query. */
  ping(): Promise<boolean>;
};

/** Binds every repository to `db` (a client opened by `connect`). */
export function bindStore(db: Db): Store {
  const info = connectionInfo(db);
  // SQLite: the store runs its transactions itself on the writer connection (direct.ts); PostgreSQL: Prisma's.
  const direct = directTransactions(db);
  let gate: Gate | undefined;
  if (info?.kind === 'sqlite') {
    gate = gates.get(db) ?? new Gate();
    gates.set(db, gate);
  }
  // SQLite: one transaction at a time, on the one writer connection, so every transaction gets the same bound store
  // (built on first use); a Proxy pair and fresh bindings per turn cost more than some of the turn's statements.
  let directStore: Store | undefined;
  const call: Call = (fn, args) => {
    if (inTransaction.getStore()) throw new Error('The outer store was called inside a transaction: use the store given to the transaction work');
    return gate ? gate.run(async () => fn(db, ...args)) : fn(db, ...args);
  };
  async function health(): Promise<StoreHealth> {
    try {
      // Not through the gate: a read never waits for our own transaction (WAL), and health must answer at once.
      await db.$queryRawUnsafe('SELECT 1');
    } catch (err) {
      return { reachable: err instanceof StoreBusyError, busy: err instanceof StoreBusyError };
    }
    return { reachable: true, busy: info !== undefined && Date.now() - info.lastBusyAt < BUSY_MEMORY_MS };
  }
  return {
    ...repositories(call),
    transaction<T>(work: (store: Store) => Promise<T>): Promise<T> {
      const open = direct
        ? () => direct.transaction(() => inTransaction.run(true, () => work((directStore ??= directTransactionStore(db, direct.writer, health)))))
        : () => committedOrUnknown<T>((done) => db.$transaction((tx) => inTransaction.run(true, () => work(transactionStore(tx as unknown as Db, db, health)).then(done)), TRANSACTION_OPTIONS));
      return withTransactionRetry(() => (gate ? gate.run(open) : open()));
    },
    health,
    ping: async () => (await health()).reachable,
  };
}

/**
 * Runs a PostgreSQL transaction whose work calls `done` with its result when it has finished. A lost connection
 * after that point was lost during the COMMIT, whose outcome nobody knows: it is reported as such, so the turn
 * does not tell its user that nothing was kept. (SQLite commits in this process: it knows.)
 */
async function committedOrUnknown<T>(run: (done: (result: T) => T) => Promise<T>): Promise<T> {
  let workDone = false;
  try {
    return await run((result) => ((workDone = true), result));
  } catch (err) {
    if (workDone && err instanceof StoreUnavailableError && !(err instanceof CommitOutcomeUnknownError)) throw new CommitOutcomeUnknownError(err);
    throw err;
  }
}

/**
 * `base` as a client whose `$transaction` runs its work in place: a repository that opens its own transaction
 * inside a turn's joins the turn's (a transaction client has no `$transaction`; the direct SQLite one must not nest).
 */
function joinedClient(base: Db): Db {
  const joined: Db = new Proxy(base, {
    get(target, prop, receiver) {
      if (prop !== '$transaction') return Reflect.get(target, prop, receiver);
      return async (arg: unknown) => {
        if (typeof arg === 'function') return (arg as (t: Db) => unknown)(joined);
        const results: unknown[] = [];
        for (const op of arg as Promise<unknown>[]) results.push(await op);
        return results;
      };
    },
  });
  return joined;
}

/**
 * The store bound to the store's own SQLite transaction (direct.ts): the repositories' SQL runs on the writer
 * connection, inside it; an ORM call goes through the root client, on that same connection, so inside it too
 * (one opening a transaction of its own gets a savepoint, client.ts). Reference reads keep the read driver.
 */
function directTransactionStore(root: Db, writer: SqliteWriter, health: () => Promise<StoreHealth>): Store {
  const joined = joinedClient(root);
  inheritConnectionInfo(joined, root);
  registerWriter(joined, writer);
  const committed: Db = new Proxy(joined, {});
  inheritConnectionInfo(committed, root);
  shareReadDriver(root, committed);
  return scopedStore(joined, committed, health);
}

function scopedStore(joined: Db, committed: Db, health: () => Promise<StoreHealth>): Store {
  const call: Call = (fn, args) => fn(joined, ...args);
  const reference: Call = (fn, args) => fn(committed, ...args);
  const store: Store = Object.assign(lazyRepositories(call, reference), {
    transaction: <T>(work: (s: Store) => Promise<T>) => work(store),
    health,
    ping: async () => (await health()).reachable,
  });
  return store;
}

/**
 * The store bound to an open transaction. Repositories that open their own transaction (`db.$transaction`) join
 * this one: a transaction client has no `$transaction`, so it is given one that runs the work in place.
 */
function transactionStore(tx: Db, parent: Db, health: () => Promise<StoreHealth>): Store {
  const joined = joinedClient(tx);
  inheritConnectionInfo(joined, parent);
  // Reads of reference data keep the root's read driver (committed data is what they need, at 0.1 ms instead of
  // 0.3 ms through the transaction); a Prisma call from those repositories still runs in the transaction.
  const committed: Db = new Proxy(joined, {});
  inheritConnectionInfo(committed, parent);
  shareReadDriver(parent, committed);
  return scopedStore(joined, committed, health);
}

export type { MissionCard, MissionDetails, MissionPage, MissionSearch, WiderSearchCounts } from './repos/missions.js';
export type { YouthIdentity, NameMatch } from './repos/youth.js';
export type { CaseloadRow, CaseloadOverview, CaseloadWindows, EndWindow, YouthFile } from './repos/caseload.js';
export { CASELOAD_LIST_LIMIT } from './repos/caseload.js';
export type { ApplicationView, EligibilityFacts, RecordedApplication } from './repos/activity.js';
export type { FaqView, MeasureView } from './repos/content.js';
export type { CodeRedemption } from './repos/link-codes.js';
export type { AuditEventInput } from './repos/audit.js';
export type { CounsellorView } from './repos/counsellors.js';
export type { NotificationInput, PendingNotification } from './repos/notifications.js';
export type { AlertSlot, SavedSearchInput, SavedSearchView } from './repos/alerts.js';
export type { ProgrammeStats } from './repos/stats.js';
export type { CaseloadScope, Sector, Topic, ChannelName } from './schemas.js';
export {
  StoreError,
  StoreUnavailableError,
  StoreBusyError,
  CommitOutcomeUnknownError,
  TransactionConflictError,
  ConflictError,
  InvalidInputError,
  isUnavailable,
} from './errors.js';
