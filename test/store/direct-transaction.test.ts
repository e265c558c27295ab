import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqliteTestDatabase, type TestDatabase } from '../helpers/db.js';
import { sqliteWriter } from '../../src/store/direct.js';
import { driverCalls } from '../../src/store/sql.js';

/**
 * On SQLite the store runs a turn's transaction itself on the writer connection (src/store/direct.ts). What it
 * must keep of a real transaction: an ORM call inside it is inside it; an ORM transaction inside it is a
 * savepoint (its failure undoes only itself); a Prisma transaction opened outside waits for it instead of
 * joining it.
 */
describe('the store’s own SQLite transaction', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await sqliteTestDatabase();
  });
  afterAll(async () => db.close());

  const state = (user: string) => db.store.conversation.loadConversationState('telegram', user);
  const stateRow = (user: string) => ({ channel: 'telegram' as const, channelUserId: user, state: { via: 'orm' } });

  it('runs BEGIN, the statements and COMMIT on the driver, and an ORM write inside it rolls back with it', async () => {
    const before = { ...driverCalls };
    await db.store.transaction(async (store) => {
      await store.conversation.saveConversationState('telegram', 'direct-1', { step: 1 });
      expect(await store.conversation.loadConversationState('telegram', 'direct-1')).toEqual({ step: 1 });
    });
    expect(driverCalls.prisma - before.prisma).toBe(0);
    expect(driverCalls.writes - before.writes).toBeGreaterThanOrEqual(4);
    expect(await state('direct-1')).toEqual({ step: 1 });

    await expect(
      db.store.transaction(async (store) => {
        await store.conversation.saveConversationState('telegram', 'direct-2', { step: 1 });
        // An ORM call on the root client, inside the transaction: same connection, so inside it.
        await db.connection.db.conversationState.create({ data: stateRow('direct-3') });
        throw new Error('work failed');
      }),
    ).rejects.toThrow('work failed');
    expect(await state('direct-2')).toBeNull();
    expect(await state('direct-3')).toBeNull();
  });

  it('an ORM transaction inside it is a savepoint: its failure undoes only itself', async () => {
    await db.store.transaction(async (store) => {
      await store.conversation.saveConversationState('telegram', 'direct-4', { kept: true });
      // A batch transaction whose second write breaks the unique key: Prisma rolls it back, to the savepoint.
      await expect(
        db.connection.db.$transaction([db.connection.db.conversationState.create({ data: stateRow('direct-5') }), db.connection.db.conversationState.create({ data: stateRow('direct-5') })]),
      ).rejects.toThrow();
      await db.connection.db.$transaction([db.connection.db.conversationState.create({ data: stateRow('direct-6') })]);
    });
    expect(await state('direct-4')).toEqual({ kept: true });
    expect(await state('direct-5')).toBeNull();
    expect(await state('direct-6')).toEqual({ via: 'orm' });
  });

  it('a Prisma transaction opened outside waits for it, and is not undone by its rollback', async () => {
    // Another request: its work is set up outside the transaction's async context, and let go from inside it.
    let go!: () => void;
    const released = new Promise<void>((r) => (go = r));
    const outside = released.then(() => db.connection.db.$transaction(async (tx) => tx.conversationState.create({ data: stateRow('direct-8') })));
    await expect(
      db.store.transaction(async (store) => {
        await store.conversation.saveConversationState('telegram', 'direct-7', { step: 1 });
        go();
        await new Promise((r) => setTimeout(r, 50));
        throw new Error('work failed');
      }),
    ).rejects.toThrow('work failed');
    await outside;
    expect(await state('direct-7')).toBeNull();
    expect(await state('direct-8')).toEqual({ via: 'orm' });
  });
});

/**
 * The one write that does not wait for the disk (a claimed reply, sql.ts `writeRows` with `synced: false`): on its
 * own it runs at synchronous = NORMAL and puts the connection's level back; inside a transaction it changes nothing
 * (the COMMIT is synced). A real SQLite file; the connection's `pragma` calls are recorded as they pass.
 */
describe('an unsynced write on the SQLite writer', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'mj-unsynced-'));
  const conn = new Database(path.join(dir, 'w.db'));
  conn.pragma('journal_mode = WAL');
  conn.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)');
  const levels: string[] = [];
  const pragma = conn.pragma.bind(conn);
  conn.pragma = ((source: string, options?: Database.PragmaOptions) => {
    if (source.startsWith('synchronous =')) levels.push(source);
    return pragma(source, options);
  }) as typeof conn.pragma;
  const writer = sqliteWriter(() => conn, (err) => err, () => undefined);
  afterAll(() => {
    conn.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lowers synchronous for that statement only, and writes the row', () => {
    const level = pragma('synchronous', { simple: true });
    expect(writer.runUnsynced('INSERT INTO t (v) VALUES (?)', ['a'])).toBe(1);
    expect(levels).toEqual(['synchronous = NORMAL', `synchronous = ${level}`]);
    expect(pragma('synchronous', { simple: true })).toBe(level);
    expect(conn.prepare('SELECT v FROM t').all()).toEqual([{ v: 'a' }]);
  });

  it('inside a transaction, leaves the level alone and rolls back with it', async () => {
    levels.length = 0;
    await expect(
      writer.transaction(async () => {
        writer.runUnsynced('INSERT INTO t (v) VALUES (?)', ['b']);
        throw new Error('turn failed');
      }),
    ).rejects.toThrow('turn failed');
    expect(levels).toEqual([]);
    expect(conn.prepare('SELECT v FROM t ORDER BY id').all()).toEqual([{ v: 'a' }]);
  });
});
