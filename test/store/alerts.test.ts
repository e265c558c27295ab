import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseFactories, type TestDatabase } from '../helpers/db.js';

/**
 * The alert store on both databases: the set-based match of new missions against saved searches (place kinds,
 * sector, start window, consent), and the grouped messages: one per young person and Paris day, a mission never twice.
 */
describe.each(databaseFactories)('saved searches and alerts on %s', (_kind, open) => {
  let db: TestDatabase;
  let a: number;
  let b: number;
  let mission: { commune: number; otherSector: number; dep: number; late: number };
  const HOUR = 3_600_000;

  beforeAll(async () => {
    db = await open();
    const youth = await db.connection.db.youth.findMany({ where: { telegramChatId: null, status: 'active' }, orderBy: { id: 'asc' }, take: 2 });
    [a, b] = youth.map((y) => y.id) as [number, number];
    for (const [i, y] of youth.entries()) await db.connection.db.youth.update({ where: { id: y.id }, data: { telegramChatId: `66600${i}`, telegramUserId: `66600${i}`, consentAt: db.now } });
    const agency = await db.connection.db.agency.findFirstOrThrow();
    const base = { description: 'd', postcode: '69003', weeklyHours: 35, hourlyGrossPay: 12.5, requirements: [], agencyId: agency.id, status: 'open' as const };
    const published = new Date(db.now.getTime() + HOUR);
    const make = async (ref: string, over: Record<string, unknown>) =>
      (
        await db.connection.db.mission.create({
          data: { ...base, title: ref, reference: ref, sector: 'logistique', communeCode: '69123', communeName: 'Lyon', departementCode: '69', epciCode: '200046977', startDate: new Date(db.now.getTime() + 5 * 24 * HOUR), endDate: new Date(db.now.getTime() + 40 * 24 * HOUR), publishedAt: published, ...over },
        })
      ).id;
    mission = {
      commune: await make('ST-1', {}),
      otherSector: await make('ST-2', { sector: 'btp' }),
      dep: await make('ST-3', { communeCode: '69266', communeName: 'Villeurbanne', postcode: '69100' }),
      late: await make('ST-4', { startDate: new Date(db.now.getTime() + 30 * 24 * HOUR) }),
    };
    await db.store.alerts.saveSearch(a, { communeCode: '69123', communeName: 'Lyon', sector: 'logistique', startWithinDays: 10 }, db.now);
    await db.store.alerts.saveSearch(b, { departementCode: '69', sector: 'logistique' }, db.now);
  });

  afterAll(async () => {
    await db?.close();
  });

  it('matches by place kind, sector and start window, for young people with consent only', async () => {
    const now = new Date(db.now.getTime() + 2 * HOUR);
    const m = await db.store.alerts.matchNewMissions(db.now, now);
    expect(m.get(a)).toEqual([mission.commune]);
    expect(m.get(b)?.sort()).toEqual([mission.commune, mission.dep, mission.late].sort());
    await db.store.consent.setMessagesConsent(b, null);
    expect((await db.store.alerts.matchNewMissions(db.now, now)).has(b)).toBe(false);
    await db.store.consent.setMessagesConsent(b, db.now);
    // Published after `now`: not yet.
    expect((await db.store.alerts.matchNewMissions(db.now, new Date(db.now.getTime() + HOUR / 2))).size).toBe(0);
  });

  it('queues one message per young person and day; more matches join it; a mission is never queued twice', async () => {
    const now = new Date(db.now.getTime() + 2 * HOUR);
    const slots = [
      { day: '2030-01-01', notBefore: now },
      { day: '2030-01-02', notBefore: new Date(now.getTime() + 24 * HOUR) },
    ];
    const first = await db.store.transaction((tx) => tx.alerts.queueMissionAlerts(new Map([[a, [mission.commune]], [b, [mission.dep]]]), slots, now));
    expect(first).toEqual({ messages: 2, missions: 2, appended: 0 });
    const more = await db.store.transaction((tx) => tx.alerts.queueMissionAlerts(new Map([[b, [mission.late]]]), slots, now));
    expect(more).toEqual({ messages: 0, missions: 1, appended: 1 });
    const rows = await db.connection.db.notification.findMany({ where: { kind: 'mission_alert', youthId: { in: [a, b] } }, orderBy: { youthId: 'asc' } });
    expect(rows.map((r) => [r.youthId, r.dedupeKey, r.status])).toEqual([
      [a, `mission_alert:${a}:2030-01-01`, 'pending'],
      [b, `mission_alert:${b}:2030-01-01`, 'pending'],
    ]);
    expect((rows[1]!.payload as { missionIds: number[] }).missionIds).toEqual([mission.dep, mission.late]);
    expect(await db.store.alerts.findAlertMissionIds(rows[1]!.id, b)).toEqual([mission.dep, mission.late]);
    expect(await db.store.alerts.findAlertMissionIds(rows[1]!.id, a)).toBeNull();
    // Recorded: the match leaves them out from now on.
    const m = await db.store.alerts.matchNewMissions(db.now, now);
    expect(m.get(b)).toEqual([mission.commune]);
    expect(m.has(a)).toBe(false);
    // The day's message sent: new matches go to the next day's.
    await db.connection.db.notification.update({ where: { id: rows[1]!.id }, data: { status: 'sent' } });
    const next = await db.store.transaction((tx) => tx.alerts.queueMissionAlerts(new Map([[b, [mission.commune]]]), slots, now));
    expect(next).toEqual({ messages: 1, missions: 1, appended: 0 });
    const tomorrow = await db.connection.db.notification.findUniqueOrThrow({ where: { dedupeKey: `mission_alert:${b}:2030-01-02` } });
    expect(tomorrow.nextAttemptAt.toISOString()).toBe(slots[1]!.notBefore.toISOString());
    expect(await db.connection.db.alertedMission.count({ where: { youthId: { in: [a, b] } } })).toBe(4);
  });

  it('saving the same search twice keeps one; stopping is per person', async () => {
    const again = await db.store.alerts.saveSearch(a, { communeCode: '69123', communeName: 'Lyon', sector: 'logistique', startWithinDays: 10 }, db.now);
    expect(again).toMatchObject({ created: false });
    const [saved] = await db.store.alerts.listSavedSearches(a);
    expect(await db.store.alerts.deleteSavedSearch(b, saved!.id)).toBe(false);
    expect(await db.store.alerts.deleteSavedSearch(a, saved!.id)).toBe(true);
    expect(await db.store.alerts.listSavedSearches(a)).toEqual([]);
  });
});
