/**
 * Pins the database work of each kind of turn (bench/round-trips.ts prints the same figures): no more statements
 * than counted when this was written, the reference reads (missions, content) on the read driver. Each turn runs
 * in one transaction (atomic turns): on SQLite the store's own, on the writer connection (src/store/direct.ts), so
 * its BEGIN, its own reads and writes and its COMMIT are driver statements too, none through Prisma's engine.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { sqliteTestDatabase, type TestDatabase } from '../helpers/db.js';
import { countTurns, ormStore } from '../../bench/round-trips.js';

describe('round trips per turn (SQLite demo)', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await sqliteTestDatabase();
  });
  afterAll(async () => {
    await db?.close();
  });

  it('search, details, button press, FAQ and counsellor list stay within their statement budget, reference reads on the driver', async () => {
    const after = await countTurns(db.store, db.now);
    // FAQ 6 → 5: the FAQ is read once per process. Then +2 each: the reply kept with the processed-update mark (in
    // the transaction) and claimed after the commit, so a COMMIT whose acknowledgement is lost still gets its reply out.
    const budget = { search: 10, details: 9, buttonPress: 9, faq: 7, counsellorList: 10 };
    for (const [turn, max] of Object.entries(budget)) {
      expect(after[turn], turn).toBeDefined();
      expect(after[turn]!.total, `${turn}: statements`).toBeLessThanOrEqual(max);
      expect(after[turn]!.total, `${turn}: statements`).toBeGreaterThanOrEqual(2);
      // The turn's transaction is the store's own on SQLite: BEGIN, its statements and COMMIT on the driver.
      expect(after[turn]!.prisma, `${turn}: statements through Prisma's engine`).toBe(0);
    }
    for (const turn of ['search', 'details', 'faq']) expect(after[turn]!.driver, `${turn}: reads on the driver`).toBeGreaterThanOrEqual(1);
  });

  it('the ORM versions of the same turns send their reference reads through Prisma', async () => {
    const before = await countTurns(ormStore(db.connection.db), db.now);
    const after = await countTurns(db.store, db.now);
    expect(before.search!.prisma).toBeGreaterThan(after.search!.prisma);
  });
});
