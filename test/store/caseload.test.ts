import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { databaseFactories, type TestDatabase } from '../helpers/db.js';
import { DAY, demoPeople, expectInvalid, startOfDay, type DemoPeople } from './fixtures.js';
import type { CaseloadRow, CaseloadScope, Topic } from '../../src/store/index.js';
import { endingWithin, noContactSince, noMissionSince, overviewWindows } from '../../src/core/counsellor/definitions.js';

const TOPICS: Topic[] = ['housing', 'mobility', 'childcare', 'health', 'money', 'training'];

/** Raw rows of every youth with what the caseload lists look at, read without any filter. */
async function loadRaw(db: TestDatabase) {
  return db.connection.db.youth.findMany({
    select: {
      id: true,
      firstName: true,
      lastName: true,
      status: true,
      counsellorId: true,
      missionLocaleId: true,
      anonymizedAt: true,
      placements: { select: { startDate: true, endDate: true, hours: true } },
      interactions: { select: { at: true } },
      appointments: { select: { at: true, status: true } },
      barriers: { select: { topic: true, status: true, openedAt: true } },
      applications: { select: { status: true, source: true } },
      requests: { select: { status: true } },
    },
  });
}
type RawYouth = Awaited<ReturnType<typeof loadRaw>>[number];

const max = (ds: Date[]) => (ds.length ? new Date(Math.max(...ds.map((d) => d.getTime()))) : null);
const min = (ds: Date[]) => (ds.length ? new Date(Math.min(...ds.map((d) => d.getTime()))) : null);
const t = (d: Date | null | undefined) => d?.getTime() ?? 0;
const isOpenBarrier = (b: { status: string }) => b.status === 'open' || b.status === 'in_progress';

/** The expected lists, computed in plain JS from the raw rows and the documented meaning of each list. */
class Expect {
  constructor(
    private readonly rows: RawYouth[],
    private readonly now: Date,
  ) {}

  inScope(scope: CaseloadScope): RawYouth[] {
    return this.rows.filter((y) => ('counsellorId' in scope ? y.counsellorId === scope.counsellorId : y.missionLocaleId === scope.missionLocaleId));
  }
  followed(scope: CaseloadScope): RawYouth[] {
    return this.inScope(scope).filter((y) => y.status !== 'exited' && y.anonymizedAt === null);
  }
  row(y: RawYouth): CaseloadRow {
    return {
      id: y.id,
      firstName: y.firstName,
      lastName: y.lastName,
      status: y.status,
      lastContactAt: max(y.interactions.map((i) => i.at)),
      lastMissionEnd: max(y.placements.map((p) => p.endDate)),
      neverPlaced: y.placements.length === 0,
      nextAppointmentAt: min(y.appointments.filter((a) => a.status === 'planned' && a.at >= this.now).map((a) => a.at)),
    };
  }
  /** A placement runs today when it started and its end date is today or later (end dates are days). */
  runningNow(y: RawYouth): boolean {
    return y.placements.some((p) => p.startDate <= this.now && p.endDate >= startOfDay(this.now));
  }
  withoutMission(scope: CaseloadScope, days: number): CaseloadRow[] {
    const cutoff = new Date(this.now.getTime() - days * DAY);
    return this.followed(scope)
      .filter((y) => !y.placements.some((p) => p.endDate >= cutoff) && !this.runningNow(y))
      .map((y) => this.row(y))
      .sort((a, b) => t(a.lastMissionEnd) - t(b.lastMissionEnd) || a.id - b.id);
  }
  withoutContact(scope: CaseloadScope, days: number): CaseloadRow[] {
    const cutoff = new Date(this.now.getTime() - days * DAY);
    return this.followed(scope)
      .filter((y) => !y.interactions.some((i) => i.at >= cutoff))
      .map((y) => this.row(y))
      .sort((a, b) => t(a.lastContactAt) - t(b.lastContactAt) || a.id - b.id);
  }
  endingSoon(scope: CaseloadScope, days: number): CaseloadRow[] {
    const from = startOfDay(this.now);
    const to = new Date(this.now.getTime() + days * DAY);
    return this.followed(scope)
      .map((y) => ({ y, ends: y.placements.filter((p) => p.startDate <= this.now && p.endDate >= from && p.endDate <= to).map((p) => p.endDate) }))
      .filter(({ ends }) => ends.length > 0)
      .map(({ y, ends }) => ({ ...this.row(y), currentMissionEnd: min(ends) }))
      .sort((a, b) => t(a.currentMissionEnd) - t(b.currentMissionEnd) || a.id - b.id);
  }
  withBarrier(scope: CaseloadScope, topic?: Topic): CaseloadRow[] {
    return this.followed(scope)
      .map((y) => ({ y, barriers: y.barriers.filter((b) => isOpenBarrier(b) && (!topic || b.topic === topic)).sort((a, b) => t(a.openedAt) - t(b.openedAt)) }))
      .filter(({ barriers }) => barriers.length > 0)
      .sort((a, b) => t(a.barriers[0]!.openedAt) - t(b.barriers[0]!.openedAt) || a.y.id - b.y.id)
      .map(({ y, barriers }) => ({ ...this.row(y), barrierTopics: barriers.map((b) => b.topic) }));
  }
}

describe.each(databaseFactories)('caseload store on %s', (_kind, open) => {
  let db: TestDatabase;
  let people: DemoPeople;
  let raw: RawYouth[];
  let ex: Expect;
  let scopes: { name: string; scope: CaseloadScope }[];

  beforeAll(async () => {
    db = await open();
    people = await demoPeople(db);
    raw = await loadRaw(db);
    ex = new Expect(raw, db.now);
    scopes = [
      ...Object.entries(people.counsellors).map(([name, id]) => ({ name, scope: { counsellorId: id } as CaseloadScope })),
      ...Object.entries(people.missionLocales).map(([name, id]) => ({ name: `ML ${name}`, scope: { missionLocaleId: id } as CaseloadScope })),
    ];
  });
  afterAll(async () => {
    await db?.close();
  });

  const c = () => db.store.caseload;
  const idsOf = (rows: { id: number }[]) => rows.map((r) => r.id);

  it('the demo gives each counsellor 11 youth, one exited', () => {
    for (const id of Object.values(people.counsellors)) {
      const mine = raw.filter((y) => y.counsellorId === id);
      expect(mine).toHaveLength(11);
      expect(mine.filter((y) => y.status === 'exited')).toHaveLength(1);
    }
    expect(raw).toHaveLength(66);
  });

  it('youthWithoutMission matches an independent computation in every scope and for several windows', async () => {
    for (const { name, scope } of scopes) {
      for (const days of [1, 7, 30, 60, 365]) {
        const got = await c().youthWithoutMission(scope, noMissionSince(db.now, days), db.now);
        expect(got, `${name}, ${days} days`).toEqual(ex.withoutMission(scope, days));
      }
    }
    // The demo puts five youth of each counsellor without a mission for 30 days (two of them never placed).
    const sophie = await c().youthWithoutMission({ counsellorId: people.counsellors.sophie }, noMissionSince(db.now, 30), db.now);
    expect(sophie).toHaveLength(5);
    expect(sophie.filter((r) => r.neverPlaced)).toHaveLength(2);
  });

  it('youthWithoutMission lists a never-placed youth first and flags it', async () => {
    const { yanis } = people.named;
    const yanisRaw = raw.find((y) => y.id === yanis)!;
    expect(yanisRaw.placements).toHaveLength(0);
    for (const days of [0, 30, 3650]) {
      const rows = await c().youthWithoutMission({ counsellorId: people.counsellors.nadia }, noMissionSince(db.now, days), db.now);
      const row = rows.find((r) => r.id === yanis);
      expect(row, `${days} days`).toBeDefined();
      expect(row!.neverPlaced).toBe(true);
      expect(row!.lastMissionEnd).toBeNull();
      const firstPlaced = rows.findIndex((r) => !r.neverPlaced);
      if (firstPlaced >= 0) expect(rows.indexOf(row!)).toBeLessThan(firstPlaced);
      expect(rows.filter((r) => !r.neverPlaced).every((r) => r.lastMissionEnd !== null)).toBe(true);
    }
    // Léa Martin's mission ended 10 days ago: without a mission for 7 days, not for 30.
    const { lea } = people.named;
    expect(idsOf(await c().youthWithoutMission({ counsellorId: people.counsellors.sophie }, noMissionSince(db.now, 7), db.now))).toContain(lea);
    expect(idsOf(await c().youthWithoutMission({ counsellorId: people.counsellors.sophie }, noMissionSince(db.now, 30), db.now))).not.toContain(lea);
  });

  function endingToday(counsellorId: number): RawYouth {
    const today = startOfDay(db.now).getTime();
    const found = raw.filter((y) => y.counsellorId === counsellorId && y.placements.some((p) => p.endDate.getTime() === today));
    expect(found).toHaveLength(1);
    return found[0]!;
  }

  it('a placement ending today counts in missionsEndingSoon(0) and (7), and not in youthWithoutMission(1) or (30)', async () => {
    const y = endingToday(people.counsellors.sophie);
    const scope = { counsellorId: people.counsellors.sophie };
    const ending0 = await c().missionsEndingSoon(scope, endingWithin(db.now, 0), db.now);
    expect(idsOf(ending0)).toEqual([y.id]);
    expect(ending0[0]!.currentMissionEnd).toEqual(startOfDay(db.now));
    expect(idsOf(await c().missionsEndingSoon(scope, endingWithin(db.now, 7), db.now))).toContain(y.id);
    expect(idsOf(await c().youthWithoutMission(scope, noMissionSince(db.now, 1), db.now))).not.toContain(y.id);
    expect(idsOf(await c().youthWithoutMission(scope, noMissionSince(db.now, 30), db.now))).not.toContain(y.id);
    const overview = await c().caseloadOverview(scope, overviewWindows(db.now), db.now);
    expect(overview.inMissionNow).toBe(ex.followed(scope).filter((r) => ex.runningNow(r)).length);
    expect(ex.runningNow(y)).toBe(true);
  });

  it('a placement ending today does not put the youth in youthWithoutMission(0) (still in mission today)', async () => {
    const y = endingToday(people.counsellors.sophie);
    const scope = { counsellorId: people.counsellors.sophie };
    // caseloadOverview counts this youth as in mission now and missionsEndingSoon(0) lists them; a list
    // "without a mission" must not list them at the same time.
    const rows = await c().youthWithoutMission(scope, noMissionSince(db.now, 0), db.now);
    expect(idsOf(rows)).not.toContain(y.id);
    expect(rows).toEqual(ex.withoutMission(scope, 0));
  });

  it('a new youth with no placement and no contact ever heads without-mission (neverPlaced) and without-contact', async () => {
    const raw0 = db.connection.db;
    const sophie = people.counsellors.sophie;
    const created = await raw0.youth.create({
      data: {
        firstName: 'Nouveau',
        lastName: 'Venu',
        searchName: 'nouveau venu',
        communeCode: '69123',
        postcode: '69001',
        missionLocaleId: people.missionLocales.lyon,
        counsellorId: sophie,
        entryDate: db.now,
      },
    });
    try {
      const fresh = new Expect(await loadRaw(db), db.now);
      const scope = { counsellorId: sophie };
      const wm = await c().youthWithoutMission(scope, noMissionSince(db.now, 30), db.now);
      expect(wm).toEqual(fresh.withoutMission(scope, 30));
      const row = wm.find((r) => r.id === created.id)!;
      expect(row).toEqual({ id: created.id, firstName: 'Nouveau', lastName: 'Venu', status: 'active', lastContactAt: null, lastMissionEnd: null, neverPlaced: true, nextAppointmentAt: null });
      expect(wm.findIndex((r) => !r.neverPlaced)).toBeGreaterThan(wm.indexOf(row));
      const wc = await c().youthWithoutContact(scope, noContactSince(db.now, 30), db.now);
      expect(wc).toEqual(fresh.withoutContact(scope, 30));
      expect(wc[0]!.id).toBe(created.id);
      expect(idsOf(await c().youthWithoutContact({ counsellorId: people.counsellors.marc }, noContactSince(db.now, 30), db.now))).not.toContain(created.id);
      expect((await c().caseloadOverview(scope, overviewWindows(db.now), db.now)).followed).toBe(11);
    } finally {
      await raw0.youth.delete({ where: { id: created.id } });
    }
  });

  it('youthWithoutContact matches an independent computation in every scope', async () => {
    for (const { name, scope } of scopes) {
      for (const days of [0, 10, 30, 90, 365]) {
        const got = await c().youthWithoutContact(scope, noContactSince(db.now, days), db.now);
        expect(got, `${name}, ${days} days`).toEqual(ex.withoutContact(scope, days));
      }
    }
    // 0 days: every followed youth (contacts are all in the past); exited ones are not followed.
    const all = await c().youthWithoutContact({ counsellorId: people.counsellors.julien }, noContactSince(db.now, 0), db.now);
    expect(all).toHaveLength(10);
  });

  it('missionsEndingSoon matches an independent computation, soonest first', async () => {
    for (const { name, scope } of scopes) {
      for (const days of [0, 3, 7, 30]) {
        const got = await c().missionsEndingSoon(scope, endingWithin(db.now, days), db.now);
        expect(got, `${name}, ${days} days`).toEqual(ex.endingSoon(scope, days));
      }
    }
    const sophie7 = await c().missionsEndingSoon({ counsellorId: people.counsellors.sophie }, endingWithin(db.now, 7), db.now);
    expect(sophie7).toHaveLength(3);
    const ends = sophie7.map((r) => r.currentMissionEnd!.getTime());
    expect(ends).toEqual([...ends].sort((a, b) => a - b));
  });

  it('youthWithBarrier matches an independent computation, for any topic and for each topic', async () => {
    for (const { name, scope } of scopes) {
      expect(await c().youthWithBarrier(scope, undefined, db.now), name).toEqual(ex.withBarrier(scope));
      for (const topic of TOPICS) {
        const got = await c().youthWithBarrier(scope, topic, db.now);
        expect(got, `${name}, ${topic}`).toEqual(ex.withBarrier(scope, topic));
        expect(got.every((r) => r.barrierTopics!.every((x) => x === topic))).toBe(true);
      }
    }
    expect((await c().youthWithBarrier({ missionLocaleId: people.missionLocales.lyon }, 'housing', db.now)).length).toBeGreaterThan(0);
  });

  it('caseloadOverview matches independent counts and its list functions', async () => {
    for (const { name, scope } of scopes) {
      const o = await c().caseloadOverview(scope, overviewWindows(db.now), db.now);
      const followed = ex.followed(scope);
      const visible = ex.inScope(scope).filter((y) => y.anonymizedAt === null);
      const byStatus: Record<string, number> = {};
      for (const y of visible) byStatus[y.status] = (byStatus[y.status] ?? 0) + 1;
      const barriers: Record<string, number> = {};
      for (const y of followed) for (const b of y.barriers.filter(isOpenBarrier)) barriers[b.topic] = (barriers[b.topic] ?? 0) + 1;
      expect(o, name).toEqual({
        followed: followed.length,
        byStatus,
        inMissionNow: followed.filter((y) => ex.runningNow(y)).length,
        withoutMission: ex.withoutMission(scope, 30).length,
        withoutContact: ex.withoutContact(scope, 30).length,
        endingSoon: ex.endingSoon(scope, 7).length,
        openBarriersByTopic: barriers,
        pendingApplications: followed.reduce((n, y) => n + y.applications.filter((a) => a.status === 'sent' && a.source === 'youth').length, 0),
        openRequests: followed.reduce((n, y) => n + y.requests.filter((r) => r.status === 'open').length, 0),
      });
      expect(o.withoutMission).toBe((await c().youthWithoutMission(scope, noMissionSince(db.now, 30), db.now)).length);
      expect(o.withoutContact).toBe((await c().youthWithoutContact(scope, noContactSince(db.now, 30), db.now)).length);
      expect(o.endingSoon).toBe((await c().missionsEndingSoon(scope, endingWithin(db.now, 7), db.now)).length);
    }
    const sophie = await c().caseloadOverview({ counsellorId: people.counsellors.sophie }, overviewWindows(db.now), db.now);
    expect(sophie.followed).toBe(10);
    expect(sophie.byStatus.exited).toBe(1);
  });

  it('exited youth are in no list', async () => {
    const exited = new Set(raw.filter((y) => y.status === 'exited').map((y) => y.id));
    expect(exited.size).toBe(6);
    for (const { scope } of scopes) {
      const lists = [
        await c().youthWithoutMission(scope, noMissionSince(db.now, 0), db.now),
        await c().youthWithoutMission(scope, noMissionSince(db.now, 3650), db.now),
        await c().youthWithoutContact(scope, noContactSince(db.now, 0), db.now),
        await c().missionsEndingSoon(scope, endingWithin(db.now, 3650), db.now),
        await c().youthWithBarrier(scope, undefined, db.now),
      ];
      for (const list of lists) expect(idsOf(list).filter((id) => exited.has(id))).toEqual([]);
    }
  });

  it('an anonymised youth leaves every list and the counts', async () => {
    const scope = { counsellorId: people.counsellors.marc };
    const target = ex.withBarrier(scope)[0]!;
    const before = await c().caseloadOverview(scope, overviewWindows(db.now), db.now);
    expect(idsOf(await c().youthWithoutContact(scope, noContactSince(db.now, 0), db.now))).toContain(target.id);
    await db.connection.db.youth.update({ where: { id: target.id }, data: { anonymizedAt: db.now } });
    try {
      for (const list of [
        await c().youthWithoutMission(scope, noMissionSince(db.now, 3650), db.now),
        await c().youthWithoutContact(scope, noContactSince(db.now, 0), db.now),
        await c().missionsEndingSoon(scope, endingWithin(db.now, 3650), db.now),
        await c().youthWithBarrier(scope, undefined, db.now),
        await c().youthWithoutContact({ missionLocaleId: people.missionLocales.lyon }, noContactSince(db.now, 0), db.now),
      ]) {
        expect(idsOf(list)).not.toContain(target.id);
      }
      const after = await c().caseloadOverview(scope, overviewWindows(db.now), db.now);
      expect(after.followed).toBe(before.followed - 1);
      expect(after.withoutContact + after.withoutMission + after.endingSoon).toBeLessThanOrEqual(
        before.withoutContact + before.withoutMission + before.endingSoon,
      );
    } finally {
      await db.connection.db.youth.update({ where: { id: target.id }, data: { anonymizedAt: null } });
    }
    expect((await c().caseloadOverview(scope, overviewWindows(db.now), db.now)).followed).toBe(before.followed);
  });

  it('a counsellor scope never returns another counsellor’s youth', async () => {
    const counsellorOf = new Map(raw.map((y) => [y.id, y.counsellorId]));
    for (const [name, counsellorId] of Object.entries(people.counsellors)) {
      const scope = { counsellorId };
      const all = [
        ...(await c().youthWithoutMission(scope, noMissionSince(db.now, 0), db.now)),
        ...(await c().youthWithoutContact(scope, noContactSince(db.now, 0), db.now)),
        ...(await c().missionsEndingSoon(scope, endingWithin(db.now, 3650), db.now)),
        ...(await c().youthWithBarrier(scope, undefined, db.now)),
      ];
      expect(all.length, name).toBeGreaterThan(0);
      expect(all.filter((r) => counsellorOf.get(r.id) !== counsellorId), name).toEqual([]);
    }
  });

  it('a manager scope returns the whole Mission locale: the union of its counsellors’ lists', async () => {
    for (const [mlName, mlId] of Object.entries(people.missionLocales)) {
      const counsellorIds = [...people.mlOfCounsellor].filter(([, ml]) => ml === mlId).map(([id]) => id);
      expect(counsellorIds, mlName).toHaveLength(2);
      const fns = [
        (s: CaseloadScope) => c().youthWithoutMission(s, noMissionSince(db.now, 30), db.now),
        (s: CaseloadScope) => c().youthWithoutContact(s, noContactSince(db.now, 30), db.now),
        (s: CaseloadScope) => c().missionsEndingSoon(s, endingWithin(db.now, 30), db.now),
        (s: CaseloadScope) => c().youthWithBarrier(s, undefined, db.now),
      ];
      for (const fn of fns) {
        const whole = idsOf(await fn({ missionLocaleId: mlId })).sort((a, b) => a - b);
        const union = (await Promise.all(counsellorIds.map((id) => fn({ counsellorId: id })))).flat().map((r) => r.id).sort((a, b) => a - b);
        expect(whole, mlName).toEqual(union);
        expect(whole.length).toBeGreaterThan(0);
      }
      const o = await c().caseloadOverview({ missionLocaleId: mlId }, overviewWindows(db.now), db.now);
      const parts = await Promise.all(counsellorIds.map((id) => c().caseloadOverview({ counsellorId: id }, overviewWindows(db.now), db.now)));
      expect(o.followed).toBe(parts.reduce((n, p) => n + p.followed, 0));
      expect(o.followed).toBe(20);
    }
  });

  it('youthFile gives the counsellor view of a youth', async () => {
    const { lea } = people.named;
    const file = await c().youthFile(lea, db.now);
    const r = await db.connection.db.youth.findUniqueOrThrow({
      where: { id: lea },
      include: { placements: { include: { mission: true } }, applications: true, barriers: true, interactions: true, appointments: true, requests: true },
    });
    expect(file).not.toBeNull();
    expect(file!.id).toBe(lea);
    expect(file!.firstName).toBe('Léa');
    expect(file!.phone).toBe(r.phone);
    expect(file!.email).toBe(r.email);
    expect(file!.birthDate).toEqual(r.birthDate);
    expect(file!.counsellor).toEqual({ id: people.counsellors.sophie, firstName: 'Sophie', lastName: 'Durand' });
    expect(file!.missionLocale.id).toBe(people.missionLocales.lyon);
    expect(file!.linkedToTelegram).toBe(false);
    expect(file).not.toHaveProperty('telegramUserId');
    expect(file!.placementCount).toBe(r.placements.length);
    expect(file!.placementHours).toBe(r.placements.reduce((n, p) => n + p.hours, 0));
    const latest = [...r.placements].sort((a, b) => b.endDate.getTime() - a.endDate.getTime())[0]!;
    expect(file!.lastPlacement).toEqual({ startDate: latest.startDate, endDate: latest.endDate, hours: latest.hours, mission: { title: latest.mission.title } });
    expect(file!.barriers).toHaveLength(r.barriers.filter(isOpenBarrier).length);
    expect(file!.interactions.map((i) => i.at)).toEqual(
      [...r.interactions].sort((a, b) => b.at.getTime() - a.at.getTime()).slice(0, 3).map((i) => i.at),
    );
    expect(file!.applications).toHaveLength(Math.min(5, r.applications.length));
    expect(file!.appointments).toHaveLength(r.appointments.filter((a) => a.status === 'planned' && a.at >= db.now).length > 0 ? 1 : 0);
    expect(file!.requests).toHaveLength(r.requests.filter((q) => q.status === 'open').length);

    const yanis = await c().youthFile(people.named.yanis, db.now);
    expect(yanis!.placementCount).toBe(0);
    expect(yanis!.placementHours).toBe(0);
    expect(yanis!.lastPlacement).toBeNull();
    expect(await c().youthFile(999_999, db.now)).toBeNull();
  });

  it('rejects invalid cut-offs, scopes and topics with an InvalidInputError naming the field', async () => {
    const scope = { counsellorId: people.counsellors.sophie };
    // The windows are the core's (src/core/counsellor/definitions.ts): the store checks the instants it receives.
    await expectInvalid(c().youthWithoutMission(scope, new Date(Number.NaN), db.now), /cut-off/);
    await expectInvalid(c().youthWithoutContact(scope, new Date(Number.NaN), db.now), /cut-off/);
    await expectInvalid(c().missionsEndingSoon(scope, { from: db.now, to: new Date(db.now.getTime() - 1) }, db.now), /end window/);
    await expectInvalid(c().missionsEndingSoon(scope, { from: new Date(Number.NaN), to: db.now }, db.now), /end window/);
    await expectInvalid(c().caseloadOverview(scope, { ...overviewWindows(db.now), noContactSince: new Date(Number.NaN) }, db.now), /caseload windows/);
    const both = { counsellorId: people.counsellors.sophie, missionLocaleId: people.missionLocales.lyon } as unknown as CaseloadScope;
    await expectInvalid(c().youthWithoutMission(both, noMissionSince(db.now, 30), db.now), /caseload scope/);
    await expectInvalid(c().youthWithoutContact(both, noContactSince(db.now, 30), db.now), /caseload scope/);
    await expectInvalid(c().missionsEndingSoon(both, endingWithin(db.now, 7), db.now), /caseload scope/);
    await expectInvalid(c().youthWithBarrier(both, undefined, db.now), /caseload scope/);
    await expectInvalid(c().caseloadOverview(both, overviewWindows(db.now), db.now), /caseload scope/);
    await expectInvalid(c().caseloadOverview({ counsellorId: -3 }, overviewWindows(db.now), db.now), /caseload scope/);
    await expectInvalid(c().youthWithBarrier(scope, 'food' as Topic, db.now), /topic/);
    await expectInvalid(c().youthFile(0, db.now), /youth id/);
  });
});
