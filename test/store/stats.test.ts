import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { databaseFactories, type TestDatabase } from '../helpers/db.js';
import { DAY, demoPeople, expectInvalid, type DemoPeople } from './fixtures.js';
import type { ProgrammeStats } from '../../src/store/index.js';

async function loadRaw(db: TestDatabase) {
  return db.connection.db.youth.findMany({
    select: {
      id: true,
      missionLocaleId: true,
      entryDate: true,
      exitDate: true,
      placements: { select: { startDate: true, hours: true } },
      barriers: { select: { status: true, resolvedAt: true } },
    },
  });
}
type RawYouth = Awaited<ReturnType<typeof loadRaw>>[number];

/** The programme figures, summed in plain JS over the raw rows. */
function expectedStats(rows: RawYouth[], from: Date, to: Date, missionLocaleId?: number): ProgrammeStats {
  const ys = rows.filter((y) => missionLocaleId === undefined || y.missionLocaleId === missionLocaleId);
  const inPeriod = (d: Date | null) => d !== null && d >= from && d <= to;
  const placements = ys.flatMap((y) => y.placements.filter((p) => inPeriod(p.startDate)));
  return {
    youthFollowed: ys.filter((y) => y.entryDate <= to && (y.exitDate === null || y.exitDate >= from)).length,
    placements: placements.length,
    placementHours: placements.reduce((n, p) => n + p.hours, 0),
    youthWithPlacement: ys.filter((y) => y.placements.some((p) => inPeriod(p.startDate))).length,
    barriersResolved: ys.reduce((n, y) => n + y.barriers.filter((b) => b.status === 'resolved' && inPeriod(b.resolvedAt)).length, 0),
    newEntries: ys.filter((y) => inPeriod(y.entryDate)).length,
  };
}

describe.each(databaseFactories)('stats store on %s', (_kind, open) => {
  let db: TestDatabase;
  let people: DemoPeople;
  let raw: RawYouth[];

  beforeAll(async () => {
    db = await open();
    people = await demoPeople(db);
    raw = await loadRaw(db);
  });
  afterAll(async () => {
    await db?.close();
  });

  const periods = () => [
    { name: 'last year', from: new Date(db.now.getTime() - 365 * DAY), to: db.now },
    { name: 'last 30 days', from: new Date(db.now.getTime() - 30 * DAY), to: db.now },
    { name: 'last quarter', from: new Date(db.now.getTime() - 90 * DAY), to: db.now },
    { name: 'two years', from: new Date(db.now.getTime() - 730 * DAY), to: new Date(db.now.getTime() + 30 * DAY) },
  ];

  it('overall figures match independent sums over the raw rows', async () => {
    for (const { name, from, to } of periods()) {
      const got = await db.store.stats.programmeStats({ from, to });
      expect(got, name).toEqual(expectedStats(raw, from, to));
    }
    const year = await db.store.stats.programmeStats({ from: new Date(db.now.getTime() - 365 * DAY), to: db.now });
    expect(year.placements).toBeGreaterThan(0);
    expect(year.placementHours).toBeGreaterThan(year.placements);
    expect(year.barriersResolved).toBeGreaterThan(0);
    expect(year.youthFollowed).toBeGreaterThan(60);
  });

  it('per Mission locale figures match, and add up to the overall figures', async () => {
    for (const { name, from, to } of periods()) {
      const overall = await db.store.stats.programmeStats({ from, to });
      const parts: ProgrammeStats[] = [];
      for (const mlId of Object.values(people.missionLocales)) {
        const got = await db.store.stats.programmeStats({ missionLocaleId: mlId, from, to });
        expect(got, `${name}, ML ${mlId}`).toEqual(expectedStats(raw, from, to, mlId));
        parts.push(got);
      }
      for (const key of Object.keys(overall) as (keyof ProgrammeStats)[]) {
        expect(parts.reduce((n, p) => n + p[key], 0), `${name}: ${key}`).toBe(overall[key]);
      }
    }
  });

  it('a period before the programme has all figures at zero; an unknown Mission locale too', async () => {
    const zero = { youthFollowed: 0, placements: 0, placementHours: 0, youthWithPlacement: 0, barriersResolved: 0, newEntries: 0 };
    expect(await db.store.stats.programmeStats({ from: new Date('2015-01-01T00:00:00Z'), to: new Date('2015-12-31T00:00:00Z') })).toEqual(zero);
    expect(await db.store.stats.programmeStats({ missionLocaleId: 999, from: new Date(db.now.getTime() - 365 * DAY), to: db.now })).toEqual(zero);
  });

  it('exited youth count while they were followed, not after their exit', async () => {
    const exited = raw.filter((y) => y.exitDate !== null);
    expect(exited.length).toBe(6);
    const exitDay = exited[0]!.exitDate!;
    const after = await db.store.stats.programmeStats({ from: new Date(exitDay.getTime() + DAY), to: db.now });
    const before = await db.store.stats.programmeStats({ from: new Date(exitDay.getTime() - DAY), to: db.now });
    expect(before.youthFollowed - after.youthFollowed).toBe(exited.filter((y) => y.exitDate! >= new Date(exitDay.getTime() - DAY) && y.exitDate! < new Date(exitDay.getTime() + DAY)).length);
  });

  it('rejects a reversed period and a bad Mission locale id', async () => {
    await expectInvalid(db.store.stats.programmeStats({ from: db.now, to: new Date(db.now.getTime() - DAY) }), /from must not be after to/);
    await expectInvalid(db.store.stats.programmeStats({ missionLocaleId: 0, from: new Date(0), to: db.now }), /\(missionLocaleId\)/);
    await expectInvalid(db.store.stats.programmeStats({ from: '2026-01-01' as never, to: db.now }), /\(from\)/);
    await expectInvalid(db.store.stats.programmeStats({ from: new Date(0), to: db.now, counsellorId: 1 } as never), /stats query/);
  });
});
