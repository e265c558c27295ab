import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseFactories, type TestDatabase } from '../helpers/db.js';
import { MISSION_COUNT_CAP } from '../../src/store/repos/missions.js';

describe.each(databaseFactories)('mission counts stop at the cap on %s', (_kind, open) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await open();
    const template = await db.connection.db.mission.findFirstOrThrow({ where: { status: 'open' } });
    const { id: _id, createdAt: _c, updatedAt: _u, reference: _e, ...row } = template;
    // Rillieux-la-Pape (69286) gets 1,001 more missions than the cap allows to count.
    await db.connection.db.mission.createMany({
      data: Array.from({ length: MISSION_COUNT_CAP + 1 }, () => ({ ...row, requirements: [], communeCode: '69286', communeName: 'Rillieux-la-Pape', postcode: '69140', sector: 'btp' as const })),
    });
  });
  afterAll(async () => db.close());

  it('says "more than" past the cap and still pages through the first results', async () => {
    const page = await db.store.missions.searchOpenMissions({ communeCode: '69286', sector: 'btp' });
    expect(page.totalCapped).toBe(true);
    expect(page.total).toBe(MISSION_COUNT_CAP);
    expect(page.items).toHaveLength(5);
    const exact = await db.connection.db.mission.count({ where: { status: 'open', communeCode: '69286', sector: 'btp' } });
    expect(exact).toBeGreaterThan(MISSION_COUNT_CAP);
    const small = await db.store.missions.searchOpenMissions({ communeCode: '69123', sector: 'btp' });
    expect(small.totalCapped).toBe(false);
    expect(small.total).toBe(await db.connection.db.mission.count({ where: { status: 'open', communeCode: '69123', sector: 'btp' } }));
  });
});
