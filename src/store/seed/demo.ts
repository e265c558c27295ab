import type { Db } from '../client.js';
import { fold } from '../../shared/text.js';
import { Random } from './random.js';
import { SECTORS, TOPICS } from '../../shared/domain.js';
import { seedExtraYouth } from './bulk.js';
import { loadDemoDefinition } from './definition.js';
import { BATCH, DAY, day, mustCommune } from './util.js';
import { insertMissionRows } from '../repos/imports.js';

type SectorCode = (typeof SECTORS)[number];

export interface SeedOptions {
  /** Dates are relative to this instant, so the demo never goes stale. */
  now?: Date;
  seed?: number;
  /** Open missions to generate (demo default 420; benchmarks use 100,000 or 1,000,000). */
  missions?: number;
  /** Youth beyond the 66 of the six demo counsellors; spread over generated counsellors of ~100 youth each. */
  extraYouth?: number;
}

export interface SeedSummary {
  missionLocales: number;
  counsellors: number;
  agencies: number;
  youth: number;
  openMissions: number;
  placements: number;
  millis: number;
}


/**
 * The situation of each of the 11 youth of a demo counsellor, so every caseload query has answers:
 * placement end relative to now (days; positive = still in mission), days since last contact, status.
 */
const SLOTS: { placementEnd: number | null; lastContact: number; status: 'active' | 'in_mission' | 'paused' | 'exited' }[] = [
  { placementEnd: 2, lastContact: 5, status: 'in_mission' },
  { placementEnd: 6, lastContact: 25, status: 'in_mission' },
  { placementEnd: 20, lastContact: 60, status: 'in_mission' },
  { placementEnd: -10, lastContact: 5, status: 'active' },
  { placementEnd: -45, lastContact: 25, status: 'active' },
  { placementEnd: -90, lastContact: 60, status: 'active' },
  { placementEnd: null, lastContact: 25, status: 'active' },
  { placementEnd: null, lastContact: 60, status: 'active' },
  { placementEnd: 0, lastContact: 5, status: 'in_mission' },
  { placementEnd: -45, lastContact: 60, status: 'paused' },
  { placementEnd: -120, lastContact: 100, status: 'exited' },
];


async function insertMany<T>(rows: T[], insert: (batch: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < rows.length; i += BATCH) await insert(rows.slice(i, i + BATCH));
}

/**
 * Fills an empty database with the demo: 3 Missions locales, 6 counsellors, 12 agencies with conventions,
 * 66 youth in every situation (plus `extraYouth`), open missions over the 10 sectors in 30 communes,
 * past placements, interactions, applications, requests and appointments. Deterministic for a given seed and `now`.
 */
export async function seedDemo(db: Db, options: SeedOptions = {}): Promise<SeedSummary> {
  const started = Date.now();
  const now = options.now ?? new Date();
  const rnd = new Random(options.seed ?? 2014);
  const def = loadDemoDefinition();
  const missionCount = options.missions ?? 420;

  const areaIds: { mlId: number; counsellorIds: number[]; agencyIds: number[]; communes: string[]; mlDep: string }[] = [];
  for (const area of def.areas) {
    const commune = mustCommune(area.missionLocale.communeCode);
    const ml = await db.missionLocale.create({
      data: { ...area.missionLocale, communeName: commune.name, departementCode: commune.departement },
    });
    const counsellorIds: number[] = [];
    for (const c of area.counsellors) {
      counsellorIds.push((await db.counsellor.create({ data: { ...c, missionLocaleId: ml.id } })).id);
    }
    const agencyIds: number[] = [];
    for (const [i, a] of area.agencies.entries()) {
      const ac = mustCommune(a.communeCode);
      const agency = await db.agency.create({
        data: {
          ...a,
          communeName: ac.name,
          phone: `0${3 + (areaIds.length % 2)} 00 00 1${areaIds.length} ${10 + i}`,
          email: `agence${areaIds.length}${i}@interim.demo.invalid`,
        },
      });
      agencyIds.push(agency.id);
    }
    areaIds.push({ mlId: ml.id, counsellorIds, agencyIds, communes: area.communes, mlDep: commune.departement });
  }
  // Every Mission locale has conventions with every agency of its area, and one with a national agency of another area.
  for (const [ai, area] of areaIds.entries()) {
    const partners = [...area.agencyIds, areaIds[(ai + 1) % areaIds.length]!.agencyIds[0]!];
    for (const [i, agencyId] of partners.entries()) {
      await db.agencyConvention.create({
        data: { agencyId, missionLocaleId: area.mlId, signedAt: day(now, -400 - 30 * i - 90 * ai) },
      });
    }
  }

  // Open missions.
  const missionRows = [];
  for (let i = 0; i < missionCount; i++) {
    const area = areaIds[i % areaIds.length]!;
    // j walks the area's communes; the sector shifts by one commune round each time, so every commune gets every sector.
    const j = Math.floor(i / areaIds.length);
    const communeCode = area.communes[j % area.communes.length]!;
    const commune = mustCommune(communeCode);
    const sector = SECTORS[(j + Math.floor(j / area.communes.length)) % SECTORS.length]!;
    const templates = def.missionTemplates[sector] ?? [];
    const t = templates[Math.floor(j / SECTORS.length) % templates.length]!;
    const start = day(now, rnd.int(1, 28), 7 + rnd.int(0, 3));
    missionRows.push({
      title: t.title,
      sector,
      romeCode: t.romeCode,
      description: t.description,
      communeCode,
      communeName: commune.name,
      postcode: commune.postcodes[0] ?? '',
      departementCode: commune.departement,
      epciCode: commune.epci,
      startDate: start,
      endDate: new Date(start.getTime() + rnd.int(5, 90) * DAY),
      weeklyHours: t.hours,
      hourlyGrossPay: Math.round((t.pay[0] + rnd.next() * (t.pay[1] - t.pay[0])) * 100) / 100,
      requirements: t.requirements,
      places: rnd.int(1, 3),
      agencyId: area.agencyIds[Math.floor(i / areaIds.length) % area.agencyIds.length]!,
      reference: `DEMO-${String(i + 1).padStart(7, '0')}`,
      // Spread over the last 30 days so "newest first" means something.
      createdAt: new Date(now.getTime() - (i % 30) * DAY - rnd.int(0, 23) * 3_600_000),
    });
  }
  // One statement per batch, as the mission import writes them (createMany: about 15 minutes for a million on PostgreSQL).
  await insertMany(missionRows, (batch) => insertMissionRows(db, batch.map((m) => ({ ...m, status: 'open', publishedAt: null, updatedAt: now }))));
  const openMissionIds = (await db.mission.findMany({ select: { id: true }, where: { status: 'open' }, orderBy: { id: 'asc' }, take: 2_000 })).map((m) => m.id);

  // Youth of the six demo counsellors.
  const named = new Map(def.namedYouth.map((y) => [`${y.area}:${y.counsellor}:${y.slot}`, y]));
  let youthCount = 0;
  let placementCount = 0;
  let youthIndex = 0;
  for (const [ai, area] of def.areas.entries()) {
    const ids = areaIds[ai]!;
    for (const [ci, counsellorId] of ids.counsellorIds.entries()) {
      for (const [slotIndex, slot] of SLOTS.entries()) {
        const given = named.get(`${area.key}:${ci}:${slotIndex}`);
        const firstName = given?.firstName ?? def.firstNames[(youthIndex * 7) % def.firstNames.length]!;
        const lastName = given?.lastName ?? def.lastNames[(youthIndex * 11) % def.lastNames.length]!;
        const communeCode = ids.communes[youthIndex % ids.communes.length]!;
        const commune = mustCommune(communeCode);
        const entryDays = 60 + rnd.int(0, 500);
        const youth = await db.youth.create({
          data: {
            firstName,
            lastName,
            searchName: fold(`${firstName} ${lastName}`),
            birthDate: day(now, -365.25 * rnd.int(17, 25) - rnd.int(0, 360), 0),
            phone: `06 00 ${String(10 + (youthIndex % 90)).padStart(2, '0')} ${String(youthIndex % 100).padStart(2, '0')} 00`,
            email: `${fold(firstName).replace(/ /g, '')}.${fold(lastName).replace(/ /g, '')}@exemple.demo.invalid`,
            communeCode,
            postcode: commune.postcodes[0] ?? '',
            missionLocaleId: ids.mlId,
            counsellorId,
            entryDate: day(now, slot.placementEnd === null ? -20 : -entryDays),
            status: slot.status,
            exitDate: slot.status === 'exited' ? day(now, -100) : null,
            contactPrefs: { channel: youthIndex % 3 === 0 ? 'telegram' : 'phone' },
            consentAt: day(now, -entryDays + 1),
          },
        });
        youthCount++;
        placementCount += await seedHistory(db, rnd, now, youth.id, counsellorId, ids.agencyIds, slot, youthIndex, openMissionIds);
        youthIndex++;
      }
    }
  }

  if (options.extraYouth) {
    await seedExtraYouth(db, rnd, now, areaIds, def, options.extraYouth);
    youthCount += options.extraYouth;
  }

  return {
    missionLocales: areaIds.length,
    counsellors: await db.counsellor.count(),
    agencies: await db.agency.count(),
    youth: youthCount,
    openMissions: missionCount,
    placements: placementCount,
    millis: Date.now() - started,
  };
}

/** Past placements, interactions, barriers, applications, requests and appointments of one youth. */
async function seedHistory(
  db: Db,
  rnd: Random,
  now: Date,
  youthId: number,
  counsellorId: number,
  agencyIds: number[],
  slot: (typeof SLOTS)[number],
  index: number,
  openMissionIds: number[],
): Promise<number> {
  let placements = 0;
  if (slot.placementEnd !== null) {
    // The last placement (current one when it ends in the future or today), then one or two older ones.
    const ends = [slot.placementEnd, slot.placementEnd - rnd.int(40, 80), slot.placementEnd - rnd.int(120, 200)].slice(0, 1 + (index % 3));
    for (const [k, endOffset] of ends.entries()) {
      const lengthDays = rnd.int(10, 40);
      const sector = SECTORS[(index + k) % SECTORS.length]!;
      const start = day(now, endOffset - lengthDays, 0);
      const end = day(now, endOffset, 0);
      const mission = await db.mission.create({
        data: {
          title: pastTitle(sector),
          sector,
          description: 'Mission passée (données de démonstration).',
          communeCode: '69123',
          communeName: 'Lyon',
          postcode: '69001',
          departementCode: '69',
          startDate: start,
          endDate: end,
          weeklyHours: 35,
          hourlyGrossPay: 12.02,
          requirements: [],
          places: 1,
          status: 'filled',
          agencyId: agencyIds[(index + k) % agencyIds.length]!,
        },
      });
      const hours = Math.max(7, Math.round(((Math.min(end.getTime(), now.getTime()) - start.getTime()) / DAY) * 5));
      await db.placement.create({ data: { youthId, missionId: mission.id, startDate: start, endDate: end, hours } });
      placements++;
    }
  }

  const contacts = 1 + (index % 3);
  for (let k = 0; k < contacts; k++) {
    await db.interaction.create({
      data: {
        youthId,
        counsellorId,
        at: day(now, -slot.lastContact - k * rnd.int(15, 40), 10 + k),
        channel: (['phone', 'meeting', 'message'] as const)[(index + k) % 3]!,
        note: ['Point sur les missions en cours.', 'Entretien de suivi, CV mis à jour.', 'Appel : disponible dès lundi.'][(index + k) % 3],
      },
    });
  }

  // Every topic appears open somewhere in each caseload; some barriers are already resolved.
  const topic = TOPICS[index % TOPICS.length]!;
  if (index % 11 !== 10) {
    await db.barrier.create({
      data: {
        youthId,
        topic,
        openKey: `${youthId}:${topic}`,
        status: index % 4 === 0 ? 'in_progress' : 'open',
        note: 'Frein identifié en entretien (démo).',
        openedAt: day(now, -rnd.int(5, 90)),
      },
    });
  }
  if (index % 2 === 0) {
    await db.barrier.create({
      data: {
        youthId,
        topic: TOPICS[(index + 3) % TOPICS.length]!,
        status: 'resolved',
        note: 'Résolu avec une aide mobilisée (démo).',
        openedAt: day(now, -rnd.int(100, 200)),
        resolvedAt: day(now, -rnd.int(10, 90)),
      },
    });
  }

  if (index % 3 !== 2 && slot.status !== 'exited') {
    const statuses = ['sent', 'seen', 'accepted', 'refused'] as const;
    const missionId = openMissionIds[(index * 37) % openMissionIds.length]!;
    await db.application.create({
      data: {
        youthId,
        missionId,
        status: statuses[index % statuses.length]!,
        source: index % 2 === 0 ? 'youth' : 'counsellor_proposal',
        createdAt: day(now, -rnd.int(1, 12)),
      },
    });
  }
  if (index % 5 === 1) {
    await db.youthRequest.create({
      data: { youthId, kind: 'contact', message: 'Demande de rappel envoyée depuis le bot.', createdAt: day(now, -1), openKey: `${youthId}:contact` },
    });
  }

  await db.appointment.create({
    data: { youthId, counsellorId, at: day(now, -slot.lastContact, 14), place: 'Mission locale', purpose: 'Entretien de suivi', status: 'done' },
  });
  if (slot.status !== 'exited' && index % 2 === 1) {
    await db.appointment.create({
      data: { youthId, counsellorId, at: day(now, rnd.int(2, 20), 10), place: 'Mission locale', purpose: 'Point mission et CV', status: 'planned' },
    });
  }
  return placements;
}

function pastTitle(sector: SectorCode): string {
  return {
    logistique: 'Préparateur de commandes',
    btp: 'Manœuvre BTP',
    industrie: 'Opérateur de production',
    hotellerie_restauration: 'Commis de cuisine',
    commerce: 'Employé libre-service',
    proprete: 'Agent de propreté',
    transport: 'Agent de quai',
    agriculture: 'Ouvrier agricole',
    tertiaire: 'Agent d’accueil',
    services_personne: 'Aide à domicile',
  }[sector];
}

