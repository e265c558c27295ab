import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { databaseFactories, type TestDatabase } from '../helpers/db.js';
import { DAY, expectInvalid } from './fixtures.js';

const LYON = '69123';
const VILLEURBANNE = '69266';
const SAINT_ETIENNE = '42218';
const METROPOLE_DE_LYON = '200046977';

interface RawMission {
  id: number;
  title: string;
  status: string;
  sector: string;
  communeCode: string;
  epciCode: string | null;
  departementCode: string;
  startDate: Date;
  createdAt: Date;
}

const newestFirst = (a: RawMission, b: RawMission) => b.createdAt.getTime() - a.createdAt.getTime() || b.id - a.id;

describe.each(databaseFactories)('missions store on %s', (_kind, open) => {
  let db: TestDatabase;
  let all: RawMission[];
  let openMissions: RawMission[];

  beforeAll(async () => {
    db = await open();
    all = await db.connection.db.mission.findMany({
      select: { id: true, title: true, status: true, sector: true, communeCode: true, epciCode: true, departementCode: true, startDate: true, createdAt: true },
    });
    openMissions = all.filter((m) => m.status === 'open');
  });
  afterAll(async () => {
    await db?.close();
  });

  /** Every page of a search, concatenated, checking that each page reports the same total. */
  async function allPages(search: Parameters<TestDatabase['store']['missions']['searchOpenMissions']>[0], pageSize: number) {
    const out: number[] = [];
    let total = -1;
    for (let page = 0; page < 100; page++) {
      const res = await db.store.missions.searchOpenMissions({ ...search, page, pageSize });
      if (total === -1) total = res.total;
      expect(res.total, `total on page ${page}`).toBe(total);
      expect(res.page).toBe(page);
      expect(res.pageSize).toBe(pageSize);
      if (res.items.length === 0) break;
      expect(res.items.length).toBeLessThanOrEqual(pageSize);
      out.push(...res.items.map((m) => m.id));
    }
    return { ids: out, total };
  }

  it('the demo has 420 open missions over 10 sectors in 30 communes', () => {
    expect(openMissions).toHaveLength(420);
    expect(new Set(openMissions.map((m) => m.sector)).size).toBe(10);
    expect(new Set(openMissions.map((m) => m.communeCode)).size).toBe(30);
    expect(all.some((m) => m.status === 'filled')).toBe(true);
  });

  it('without filters returns the newest open missions first, 5 by default', async () => {
    const res = await db.store.missions.searchOpenMissions({});
    const expected = [...openMissions].sort(newestFirst).slice(0, 5);
    expect(res.total).toBe(420);
    expect(res.page).toBe(0);
    expect(res.pageSize).toBe(5);
    expect(res.items.map((m) => m.id)).toEqual(expected.map((m) => m.id));
    for (let i = 1; i < res.items.length; i++) {
      expect(res.items[i - 1]!.createdAt.getTime()).toBeGreaterThanOrEqual(res.items[i]!.createdAt.getTime());
    }
  });

  it('a card carries the card fields, the agency and the requirements as strings, not the description', async () => {
    const res = await db.store.missions.searchOpenMissions({ communeCode: LYON, pageSize: 20 });
    expect(res.items.length).toBeGreaterThan(0);
    for (const card of res.items) {
      expect(card.status).toBe('open');
      expect(card.communeCode).toBe(LYON);
      expect(card.communeName).toBe('Lyon');
      expect(Array.isArray(card.requirements)).toBe(true);
      expect(card.requirements.every((r) => typeof r === 'string')).toBe(true);
      expect(card.agency.name.length).toBeGreaterThan(0);
      expect(card.agency.email).toMatch(/@/);
      expect(card).not.toHaveProperty('description');
      expect(card).not.toHaveProperty('epciCode');
    }
    const raw = await db.connection.db.mission.findMany({ where: { id: { in: res.items.map((m) => m.id) } }, select: { id: true, requirements: true } });
    for (const card of res.items) expect(card.requirements).toEqual(raw.find((r) => r.id === card.id)!.requirements);
    expect(res.items.some((m) => m.requirements.length > 0)).toBe(true);
  });

  it('filters by commune: only open missions of that commune (past filled missions of Lyon excluded)', async () => {
    const expected = openMissions.filter((m) => m.communeCode === LYON).sort(newestFirst);
    expect(all.filter((m) => m.communeCode === LYON && m.status !== 'open').length).toBeGreaterThan(0);
    const { ids, total } = await allPages({ communeCode: LYON }, 5);
    expect(total).toBe(expected.length);
    expect(ids).toEqual(expected.map((m) => m.id));
  });

  it('filters by EPCI: Saint-Étienne is not in the Métropole de Lyon', async () => {
    const expected = openMissions.filter((m) => m.epciCode === METROPOLE_DE_LYON).sort(newestFirst);
    const { ids, total } = await allPages({ epciCode: METROPOLE_DE_LYON }, 20);
    expect(total).toBe(expected.length);
    expect(ids).toEqual(expected.map((m) => m.id));
    const stEtienne = new Set(openMissions.filter((m) => m.communeCode === SAINT_ETIENNE).map((m) => m.id));
    expect(stEtienne.size).toBeGreaterThan(0);
    expect(ids.some((id) => stEtienne.has(id))).toBe(false);
  });

  it('filters by département', async () => {
    for (const dep of ['42', '62', '13']) {
      const expected = openMissions.filter((m) => m.departementCode === dep).sort(newestFirst);
      expect(expected.length).toBeGreaterThan(0);
      const { ids, total } = await allPages({ departementCode: dep }, 20);
      expect(total).toBe(expected.length);
      expect(ids).toEqual(expected.map((m) => m.id));
    }
  });

  it('filters by sector, alone and with a commune', async () => {
    const expected = openMissions.filter((m) => m.sector === 'logistique').sort(newestFirst);
    const { ids, total } = await allPages({ sector: 'logistique' }, 20);
    expect(total).toBe(expected.length);
    expect(ids).toEqual(expected.map((m) => m.id));

    const lyonLogistique = openMissions.filter((m) => m.sector === 'logistique' && m.communeCode === LYON).sort(newestFirst);
    const res = await db.store.missions.searchOpenMissions({ communeCode: LYON, sector: 'logistique', pageSize: 20 });
    expect(res.total).toBe(lyonLogistique.length);
    expect(res.items.map((m) => m.id)).toEqual(lyonLogistique.map((m) => m.id));
    expect(res.items.every((m) => m.sector === 'logistique')).toBe(true);
  });

  it('an empty search returns no items and a zero total', async () => {
    // Demo missions start within 28 days: none of Lyon's BTP missions starts in two months.
    const later = new Date(db.now.getTime() + 60 * DAY);
    expect(openMissions.filter((m) => m.sector === 'btp' && m.communeCode === LYON).length).toBeGreaterThan(0);
    expect(openMissions.filter((m) => m.startDate >= later)).toHaveLength(0);
    const res = await db.store.missions.searchOpenMissions({ communeCode: LYON, sector: 'btp', startFrom: later });
    expect(res).toEqual({ items: [], total: 0, totalCapped: false, page: 0, pageSize: 5 });
    const none = await db.store.missions.searchOpenMissions({ communeCode: LYON, epciCode: METROPOLE_DE_LYON, startFrom: later, page: 1 });
    expect(none).toEqual({ items: [], total: 0, totalCapped: false, page: 1, pageSize: 5 });
    const nowhere = await db.store.missions.searchOpenMissions({ communeCode: '75056' });
    expect(nowhere.total).toBe(0);
    expect(nowhere.items).toEqual([]);
  });

  it('filters by start window, bounds included', async () => {
    const from = new Date(db.now.getTime() + 5 * DAY);
    const to = new Date(db.now.getTime() + 10 * DAY);
    const expected = openMissions.filter((m) => m.startDate >= from && m.startDate <= to).sort(newestFirst);
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(420);
    const { ids, total } = await allPages({ startFrom: from, startTo: to }, 20);
    expect(total).toBe(expected.length);
    expect(ids).toEqual(expected.map((m) => m.id));

    const onlyFrom = openMissions.filter((m) => m.startDate >= from).length;
    expect((await db.store.missions.searchOpenMissions({ startFrom: from })).total).toBe(onlyFrom);
    const onlyTo = openMissions.filter((m) => m.startDate <= to).length;
    expect((await db.store.missions.searchOpenMissions({ startTo: to })).total).toBe(onlyTo);

    // A window of one instant that is exactly a mission's start date finds it.
    const pick = openMissions[17]!;
    const exact = await db.store.missions.searchOpenMissions({ startFrom: pick.startDate, startTo: pick.startDate, pageSize: 20 });
    expect(exact.items.map((m) => m.id)).toContain(pick.id);
    expect(exact.total).toBe(openMissions.filter((m) => m.startDate.getTime() === pick.startDate.getTime()).length);
  });

  it('pages: 0, 1, last, beyond the end is empty, the total never changes and no mission repeats', async () => {
    const dep69 = openMissions.filter((m) => m.departementCode === '69').sort(newestFirst);
    const pageSize = 7;
    const lastPage = Math.ceil(dep69.length / pageSize) - 1;
    expect(dep69.length % pageSize).not.toBe(0);
    const p0 = await db.store.missions.searchOpenMissions({ departementCode: '69', page: 0, pageSize });
    const p1 = await db.store.missions.searchOpenMissions({ departementCode: '69', page: 1, pageSize });
    const last = await db.store.missions.searchOpenMissions({ departementCode: '69', page: lastPage, pageSize });
    const beyond = await db.store.missions.searchOpenMissions({ departementCode: '69', page: lastPage + 1, pageSize });
    const far = await db.store.missions.searchOpenMissions({ departementCode: '69', page: 10_000, pageSize });
    for (const r of [p0, p1, last, beyond, far]) expect(r.total).toBe(dep69.length);
    expect(p0.items.map((m) => m.id)).toEqual(dep69.slice(0, 7).map((m) => m.id));
    expect(p1.items.map((m) => m.id)).toEqual(dep69.slice(7, 14).map((m) => m.id));
    expect(last.items.map((m) => m.id)).toEqual(dep69.slice(lastPage * pageSize).map((m) => m.id));
    expect(last.items.length).toBe(dep69.length % pageSize);
    expect(beyond.items).toEqual([]);
    expect(far.items).toEqual([]);
    const { ids } = await allPages({ departementCode: '69' }, pageSize);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(dep69.map((m) => m.id));
  });

  it('nearest first: the commune before the rest of its EPCI, across page boundaries', async () => {
    const inCommune = openMissions.filter((m) => m.communeCode === VILLEURBANNE).sort(newestFirst);
    const rest = openMissions.filter((m) => m.epciCode === METROPOLE_DE_LYON && m.communeCode !== VILLEURBANNE).sort(newestFirst);
    expect(inCommune.length).toBeGreaterThan(5);
    expect(inCommune.length % 5).not.toBe(0);
    const expected = [...inCommune, ...rest].map((m) => m.id);
    for (const pageSize of [5, 20]) {
      const { ids, total } = await allPages({ communeCode: VILLEURBANNE, epciCode: METROPOLE_DE_LYON }, pageSize);
      expect(total).toBe(inCommune.length + rest.length);
      expect(ids).toEqual(expected);
    }
    const beyond = await db.store.missions.searchOpenMissions({ communeCode: VILLEURBANNE, epciCode: METROPOLE_DE_LYON, page: 500, pageSize: 20 });
    expect(beyond).toEqual({ items: [], total: inCommune.length + rest.length, totalCapped: false, page: 500, pageSize: 20 });
    // The page straddling the boundary mixes the last commune missions and the first of the rest.
    const straddle = Math.floor(inCommune.length / 5);
    const res = await db.store.missions.searchOpenMissions({ communeCode: VILLEURBANNE, epciCode: METROPOLE_DE_LYON, page: straddle, pageSize: 5 });
    const communes = res.items.map((m) => m.communeCode);
    expect(communes[0]).toBe(VILLEURBANNE);
    expect(communes[communes.length - 1]).not.toBe(VILLEURBANNE);
  });

  it('nearest first also works with a département and a sector', async () => {
    const inCommune = openMissions.filter((m) => m.communeCode === LYON && m.sector === 'industrie').sort(newestFirst);
    const rest = openMissions.filter((m) => m.departementCode === '69' && m.communeCode !== LYON && m.sector === 'industrie').sort(newestFirst);
    expect(inCommune.length).toBeGreaterThan(0);
    const { ids, total } = await allPages({ communeCode: LYON, departementCode: '69', sector: 'industrie' }, 3);
    expect(total).toBe(inCommune.length + rest.length);
    expect(ids).toEqual([...inCommune, ...rest].map((m) => m.id));
  });

  it('a mission no longer open leaves the search', async () => {
    const before = await db.store.missions.searchOpenMissions({ communeCode: SAINT_ETIENNE, pageSize: 20 });
    const target = before.items[0]!;
    await db.connection.db.mission.update({ where: { id: target.id }, data: { status: 'closed' } });
    try {
      const after = await db.store.missions.searchOpenMissions({ communeCode: SAINT_ETIENNE, pageSize: 20 });
      expect(after.total).toBe(before.total - 1);
      expect(after.items.map((m) => m.id)).not.toContain(target.id);
    } finally {
      await db.connection.db.mission.update({ where: { id: target.id }, data: { status: 'open' } });
    }
  });

  it('findMissionById returns the details of any mission, open or filled, and null for an unknown id', async () => {
    const openOne = openMissions[3]!;
    const details = await db.store.missions.findMissionById(openOne.id);
    const raw = await db.connection.db.mission.findUniqueOrThrow({ where: { id: openOne.id } });
    expect(details).not.toBeNull();
    expect(details!.id).toBe(openOne.id);
    expect(details!.title).toBe(raw.title);
    expect(details!.description).toBe(raw.description);
    expect(details!.romeCode).toBe(raw.romeCode);
    expect(details!.requirements).toEqual(raw.requirements);
    expect(details!.agency.id).toBe(raw.agencyId);

    const filled = all.find((m) => m.status === 'filled')!;
    const f = await db.store.missions.findMissionById(filled.id);
    expect(f?.status).toBe('filled');
    expect(f?.requirements).toEqual([]);

    const maxId = Math.max(...all.map((m) => m.id));
    expect(await db.store.missions.findMissionById(maxId + 1000)).toBeNull();
    await expectInvalid(db.store.missions.findMissionById(0), /mission id/);
    await expectInvalid(db.store.missions.findMissionById(1.5), /mission id/);
  });

  it('countWiderSearches counts the same sector in the EPCI and the département, and other sectors in the place', async () => {
    const counts = await db.store.missions.countWiderSearches({ communeCode: LYON, epciCode: METROPOLE_DE_LYON, departementCode: '69', sector: 'btp' });
    expect(counts).toEqual({
      sameEpci: openMissions.filter((m) => m.epciCode === METROPOLE_DE_LYON && m.sector === 'btp').length,
      sameDepartement: openMissions.filter((m) => m.departementCode === '69' && m.sector === 'btp').length,
      otherSectors: openMissions.filter((m) => m.communeCode === LYON).length,
    });
    expect(counts.sameEpci).toBeGreaterThan(0);
    expect(counts.otherSectors).toBeGreaterThan(0);

    // Without a sector: no "other sectors" suggestion.
    const noSector = await db.store.missions.countWiderSearches({ communeCode: LYON, epciCode: METROPOLE_DE_LYON, departementCode: '69' });
    expect(noSector).toEqual({
      sameEpci: openMissions.filter((m) => m.epciCode === METROPOLE_DE_LYON).length,
      sameDepartement: openMissions.filter((m) => m.departementCode === '69').length,
      otherSectors: 0,
    });

    // A département-only search: other sectors are counted in the département.
    const depOnly = await db.store.missions.countWiderSearches({ departementCode: '42', sector: 'agriculture' });
    expect(depOnly).toEqual({
      sameEpci: 0,
      sameDepartement: openMissions.filter((m) => m.departementCode === '42' && m.sector === 'agriculture').length,
      otherSectors: openMissions.filter((m) => m.departementCode === '42').length,
    });

    expect(await db.store.missions.countWiderSearches({ epciCode: null })).toEqual({ sameEpci: 0, sameDepartement: 0, otherSectors: 0 });
  });

  it('rejects invalid searches with an InvalidInputError naming the field', async () => {
    const s = db.store.missions;
    await expectInvalid(s.searchOpenMissions({ page: -1 }), /\(page\)/);
    await expectInvalid(s.searchOpenMissions({ page: 0.5 }), /\(page\)/);
    await expectInvalid(s.searchOpenMissions({ pageSize: 1000 }), /\(pageSize\)/);
    await expectInvalid(s.searchOpenMissions({ pageSize: 0 }), /\(pageSize\)/);
    await expectInvalid(s.searchOpenMissions({ communeCode: '6912' }), /\(communeCode\)/);
    await expectInvalid(s.searchOpenMissions({ communeCode: "69123' OR 1=1" }), /\(communeCode\)/);
    await expectInvalid(s.searchOpenMissions({ epciCode: 'lyon' }), /\(epciCode\)/);
    await expectInvalid(s.searchOpenMissions({ departementCode: '6' }), /\(departementCode\)/);
    await expectInvalid(s.searchOpenMissions({ sector: 'cuisine' as never }), /\(sector\)/);
    await expectInvalid(s.searchOpenMissions({ startFrom: '2026-01-01' as never }), /\(startFrom\)/);
    await expectInvalid(s.searchOpenMissions({ town: 'Lyon' } as never), /mission search/);
    await expectInvalid(s.countWiderSearches({ communeCode: LYON, sector: 'cuisine' }), /sector/);
  });
});
