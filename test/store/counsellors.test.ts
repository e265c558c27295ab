import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { databaseFactories, type TestDatabase } from '../helpers/db.js';
import { demoPeople, expectInvalid, type DemoPeople } from './fixtures.js';
import { loadDemoDefinition } from '../../src/store/seed/definition.js';

describe.each(databaseFactories)('counsellors store on %s', (_kind, open) => {
  let db: TestDatabase;
  let people: DemoPeople;
  const def = loadDemoDefinition();

  beforeAll(async () => {
    db = await open();
    people = await demoPeople(db);
  });
  afterAll(async () => {
    await db?.close();
  });

  it('finds each demo counsellor by AAD object id, email (any case) and id', async () => {
    for (const area of def.areas) {
      for (const c of area.counsellors) {
        const byAad = await db.store.counsellors.findCounsellorByAadObjectId(c.aadObjectId);
        expect(byAad).toMatchObject({ firstName: c.firstName, lastName: c.lastName, email: c.email, role: c.role });
        expect(byAad!.missionLocale.name).toBe(area.missionLocale.name);
        expect(byAad!.missionLocale.phone).toBe(area.missionLocale.phone);
        expect(byAad!.missionLocale.openingHours).toBe(area.missionLocale.openingHours);
        expect(byAad).not.toHaveProperty('aadObjectId');
        expect(await db.store.counsellors.findCounsellorByEmail(c.email.toUpperCase())).toEqual(byAad);
        expect(await db.store.counsellors.findCounsellorById(byAad!.id)).toEqual(byAad);
      }
    }
    expect(await db.store.counsellors.findCounsellorByAadObjectId('00000000-0000-4000-8000-00000000ffff')).toBeNull();
    expect(await db.store.counsellors.findCounsellorByEmail('nobody@ml.demo.invalid')).toBeNull();
    expect(await db.store.counsellors.findCounsellorById(999_999)).toBeNull();
    await expectInvalid(db.store.counsellors.findCounsellorByAadObjectId(''), /AAD object id/);
    await expectInvalid(db.store.counsellors.findCounsellorByEmail('a'), /email/);
    await expectInvalid(db.store.counsellors.findCounsellorById(0), /counsellor id/);
  });

  it('findCounsellorOfYouth returns the youth’s own counsellor', async () => {
    expect((await db.store.counsellors.findCounsellorOfYouth(people.named.lea))?.id).toBe(people.counsellors.sophie);
    expect((await db.store.counsellors.findCounsellorOfYouth(people.named.chloe))?.id).toBe(people.counsellors.marc);
    expect((await db.store.counsellors.findCounsellorOfYouth(people.named.yanis))?.id).toBe(people.counsellors.nadia);
    expect((await db.store.counsellors.findCounsellorOfYouth(people.named.ines))?.missionLocale.id).toBe(people.missionLocales.lille);
    expect(await db.store.counsellors.findCounsellorOfYouth(999_999)).toBeNull();
    await expectInvalid(db.store.counsellors.findCounsellorOfYouth(-1), /youth id/);
  });

  it('listMissionLocales lists the three demo Missions locales in id order', async () => {
    const list = await db.store.counsellors.listMissionLocales();
    expect(list.map((m) => m.name)).toEqual(def.areas.map((a) => a.missionLocale.name));
    expect(list.map((m) => m.communeName)).toEqual(['Lyon', 'Marseille', 'Lille']);
    expect(list.map((m) => m.id)).toEqual([people.missionLocales.lyon, people.missionLocales.marseille, people.missionLocales.lille]);
  });

  it('ping answers true on a live database', async () => {
    expect(await db.store.ping()).toBe(true);
  });
});
