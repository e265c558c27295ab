/**
 * Pins the database work of each kind of turn (bench/round-trips.ts prints the same figures before/after): the
 * hot turns send no ORM statement, and no more statements than counted when this was written.
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

  it('search, details, button press, FAQ and counsellor list run on the driver path, within their statement budget', async () => {
    const after = await countTurns(db.store, db.now);
    const budget = { search: 6, details: 5, buttonPress: 5, faq: 3, counsellorList: 6 };
    for (const [turn, max] of Object.entries(budget)) {
      expect(after[turn], turn).toBeDefined();
      expect(after[turn]!.prisma, `${turn}: ORM statements`).toBe(0);
      expect(after[turn]!.total, `${turn}: statements`).toBeLessThanOrEqual(max);
      expect(after[turn]!.total, `${turn}: statements`).toBeGreaterThanOrEqual(2);
    }
  });

  it('the ORM versions of the same turns sent more statements, all through Prisma', async () => {
    const before = await countTurns(ormStore(db.connection.db), db.now);
    expect(before.counsellorList!.prisma).toBeGreaterThan(6);
    expect(before.search!.prisma).toBeGreaterThan(6);
  });
});
