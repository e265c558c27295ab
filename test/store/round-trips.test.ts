/**
 * Pins the database work of each kind of turn (bench/round-trips.ts prints the same figures): no more statements
 * than counted when this was written, the reference reads (missions, content) on the read driver. Each turn runs
 * in one transaction (atomic turns), so its own reads and writes go through Prisma's raw path on that transaction,
 * with its BEGIN and COMMIT.
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
    const budget = { search: 8, details: 7, buttonPress: 7, faq: 6, counsellorList: 8 };
    for (const [turn, max] of Object.entries(budget)) {
      expect(after[turn], turn).toBeDefined();
      expect(after[turn]!.total, `${turn}: statements`).toBeLessThanOrEqual(max);
      expect(after[turn]!.total, `${turn}: statements`).toBeGreaterThanOrEqual(2);
    }
    for (const turn of ['search', 'details', 'faq']) expect(after[turn]!.driver, `${turn}: reads on the driver`).toBeGreaterThanOrEqual(1);
  });

  it('the ORM versions of the same turns send their reference reads through Prisma', async () => {
    const before = await countTurns(ormStore(db.connection.db), db.now);
    const after = await countTurns(db.store, db.now);
    expect(before.search!.prisma).toBeGreaterThan(after.search!.prisma);
  });
});
