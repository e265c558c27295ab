import type { Db } from '../client.js';
import { fold } from '../../shared/text.js';
import { TOPICS } from '../../shared/domain.js';
import type { Random } from './random.js';
import type { DemoDefinition } from './definition.js';
import { BATCH, day, mustCommune } from './util.js';

/** Bulk youth for benchmarks: generated counsellors of 100 youth each, a placement and an interaction per youth. */
export async function seedExtraYouth(
  db: Db,
  rnd: Random,
  now: Date,
  areas: { mlId: number; agencyIds: number[]; communes: string[] }[],
  def: DemoDefinition,
  count: number,
): Promise<void> {
  const counsellors = Math.ceil(count / 100);
  const counsellorIds: number[] = [];
  for (let c = 0; c < counsellors; c++) {
    const area = areas[c % areas.length]!;
    const created = await db.counsellor.create({
      data: { firstName: 'Conseiller', lastName: `Bench ${c + 1}`, email: `bench${c + 1}@ml.demo.invalid`, missionLocaleId: area.mlId },
    });
    counsellorIds.push(created.id);
  }
  const pastMission = await db.mission.create({
    data: {
      title: 'Mission passée (bench)',
      sector: 'logistique',
      description: 'Mission passée générée pour les benchmarks.',
      communeCode: '69123',
      communeName: 'Lyon',
      postcode: '69001',
      departementCode: '69',
      startDate: day(now, -200),
      endDate: day(now, -150),
      weeklyHours: 35,
      hourlyGrossPay: 12.02,
      requirements: [],
      status: 'filled',
      agencyId: areas[0]!.agencyIds[0]!,
    },
  });
  for (let start = 0; start < count; start += BATCH) {
    const rows = [];
    for (let i = start; i < Math.min(count, start + BATCH); i++) {
      const counsellorIndex = Math.floor(i / 100);
      const area = areas[counsellorIndex % areas.length]!;
      const firstName = def.firstNames[i % def.firstNames.length]!;
      const lastName = `${def.lastNames[(i * 7) % def.lastNames.length]!}-${i}`;
      const communeCode = area.communes[i % area.communes.length]!;
      rows.push({
        firstName,
        lastName,
        searchName: fold(`${firstName} ${lastName}`),
        communeCode,
        postcode: mustCommune(communeCode).postcodes[0] ?? '',
        missionLocaleId: area.mlId,
        counsellorId: counsellorIds[counsellorIndex]!,
        entryDate: day(now, -rnd.int(30, 700)),
        status: 'active' as const,
      });
    }
    const created = await db.youth.createManyAndReturn({ data: rows, select: { id: true, counsellorId: true } });
    await db.placement.createMany({
      data: created
        .filter((_, k) => k % 3 !== 0)
        .map((y, k) => ({ youthId: y.id, missionId: pastMission.id, startDate: day(now, -k % 200 - 30), endDate: day(now, -(k % 200)), hours: 140 })),
    });
    await db.interaction.createMany({
      data: created.map((y, k) => ({ youthId: y.id, counsellorId: y.counsellorId, at: day(now, -(k % 90)), channel: 'phone' as const })),
    });
    await db.barrier.createMany({
      data: created
        .filter((_, k) => k % 4 === 0)
        .map((y, k) => ({ youthId: y.id, topic: TOPICS[k % TOPICS.length]!, openKey: `${y.id}:${TOPICS[k % TOPICS.length]!}`, openedAt: day(now, -20) })),
    });
  }
}

