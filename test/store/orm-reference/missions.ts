import { z } from 'zod';
import type { Db, Prisma } from '../../../src/store/client.js';
import { communeCodeSchema, departementCodeSchema, idSchema, parseInput, sectorSchema } from '../../../src/store/schemas.js';

/** What a mission card shows; nothing else leaves the store for a mission. */
export const missionCardSelect = {
  id: true,
  title: true,
  sector: true,
  communeCode: true,
  communeName: true,
  postcode: true,
  startDate: true,
  endDate: true,
  weeklyHours: true,
  hourlyGrossPay: true,
  requirements: true,
  places: true,
  status: true,
  createdAt: true,
  agency: { select: { id: true, name: true, phone: true, email: true } },
} satisfies Prisma.MissionSelect;

type MissionCardRow = Prisma.MissionGetPayload<{ select: typeof missionCardSelect }>;
export type MissionCard = Omit<MissionCardRow, 'requirements'> & { requirements: string[] };
export type MissionDetails = MissionCard & { description: string; romeCode: string | null };

export const missionSearchSchema = z
  .object({
    /** Missions in this commune come first ("nearest first"). */
    communeCode: communeCodeSchema.optional(),
    /** Widen to this EPCI ("autour de Lyon"). */
    epciCode: z.string().regex(/^\d{9}$/).optional(),
    /** Widen to this département. */
    departementCode: departementCodeSchema.optional(),
    sector: sectorSchema.optional(),
    startFrom: z.date().optional(),
    startTo: z.date().optional(),
    /** Only missions not yet ended on this date (an "open" mission past its end date is stale data). */
    activeOn: z.date().optional(),
    page: z.number().int().min(0).max(10_000).default(0),
    pageSize: z.number().int().min(1).max(20).default(5),
  })
  .strict();
export type MissionSearch = z.input<typeof missionSearchSchema>;

export interface MissionPage {
  items: MissionCard[];
  /** Matching missions, counted up to MISSION_COUNT_CAP. */
  total: number;
  /** True when there are more than MISSION_COUNT_CAP ("plus de 1 000 missions"). */
  totalCapped: boolean;
  page: number;
  pageSize: number;
}

/**
 * Counting every match of a wide search ("autour de Lyon" over a million missions) costs hundreds of milliseconds
 * and tells a young person nothing more than "more than a thousand": counts stop there.
 */
export const MISSION_COUNT_CAP = 1_000;

function countCapped(db: Db, where: Prisma.MissionWhereInput): Promise<number> {
  // A capped count is a LIMITed subquery; Prisma orders it by id unless told otherwise, which makes the database
  // sort every match. Ordering by createdAt lets the (status, place, [sector,] createdAt) indexes stop at the cap.
  return db.mission.count({ where, take: MISSION_COUNT_CAP + 1, orderBy: { createdAt: 'desc' } });
}

function page(items: MissionCardRow[], counted: number, s: { page: number; pageSize: number }): MissionPage {
  return { items: items.map(toCard), total: Math.min(counted, MISSION_COUNT_CAP), totalCapped: counted > MISSION_COUNT_CAP, page: s.page, pageSize: s.pageSize };
}

const newestFirst = [{ createdAt: 'desc' }, { id: 'desc' }] satisfies Prisma.MissionOrderByWithRelationInput[];

function toCard<T extends { requirements: unknown }>(row: T): Omit<T, 'requirements'> & { requirements: string[] } {
  const req = Array.isArray(row.requirements) ? row.requirements.filter((r): r is string => typeof r === 'string') : [];
  return { ...row, requirements: req };
}

function baseWhere(s: z.output<typeof missionSearchSchema>): Prisma.MissionWhereInput {
  return {
    status: 'open',
    ...(s.sector ? { sector: s.sector } : {}),
    ...(s.startFrom || s.startTo ? { startDate: { ...(s.startFrom ? { gte: s.startFrom } : {}), ...(s.startTo ? { lte: s.startTo } : {}) } } : {}),
    ...(s.activeOn ? { endDate: { gte: s.activeOn } } : {}),
  };
}

function areaWhere(s: z.output<typeof missionSearchSchema>): Prisma.MissionWhereInput | undefined {
  if (s.epciCode) return { epciCode: s.epciCode };
  if (s.departementCode) return { departementCode: s.departementCode };
  return undefined;
}

/**
 * Open missions matching the filters, newest first; when both a commune and a wider area are given,
 * the commune's missions come first, then the rest of the area (administrative nearness: the commune
 * list carries no coordinates).
 */
export async function searchOpenMissions(db: Db, search: MissionSearch): Promise<MissionPage> {
  const s = parseInput(missionSearchSchema, search, 'mission search');
  const base = baseWhere(s);
  const area = areaWhere(s);
  const offset = s.page * s.pageSize;

  if (!s.communeCode || !area) {
    const where = { ...base, ...(s.communeCode ? { communeCode: s.communeCode } : {}), ...(area ?? {}) };
    const [total, rows] = await Promise.all([
      countCapped(db, where),
      db.mission.findMany({ where, select: missionCardSelect, orderBy: newestFirst, skip: offset, take: s.pageSize }),
    ]);
    return page(rows, total, s);
  }

  const exactWhere = { ...base, communeCode: s.communeCode };
  const restWhere = { ...base, ...area, NOT: { communeCode: s.communeCode } };
  const [exactTotal, restTotal] = await Promise.all([countCapped(db, exactWhere), countCapped(db, restWhere)]);
  const items: MissionCardRow[] = [];
  if (offset < exactTotal) {
    items.push(...(await db.mission.findMany({ where: exactWhere, select: missionCardSelect, orderBy: newestFirst, skip: offset, take: s.pageSize })));
  }
  const remaining = s.pageSize - items.length;
  if (remaining > 0) {
    items.push(
      ...(await db.mission.findMany({
        where: restWhere,
        select: missionCardSelect,
        orderBy: newestFirst,
        skip: Math.max(0, offset - exactTotal),
        take: remaining,
      })),
    );
  }
  return page(items, exactTotal + restTotal, s);
}

/** One mission with its description, whatever its status (a filled mission still shows, marked as such). */
export async function findMissionById(db: Db, id: number): Promise<MissionDetails | null> {
  const missionId = parseInput(idSchema, id, 'mission id');
  const row = await db.mission.findUnique({ where: { id: missionId }, select: { ...missionCardSelect, description: true, romeCode: true } });
  return row ? toCard(row) : null;
}

export interface WiderSearchCounts {
  /** Open missions in the same EPCI (any commune), same sector filter. */
  sameEpci: number;
  /** Open missions in the same département, same sector filter. */
  sameDepartement: number;
  /** Open missions in the searched place whatever the sector (only when a sector was asked). */
  otherSectors: number;
}

/** Counts that let an empty search suggest how to widen it (nearby communes, other sectors). */
export async function countWiderSearches(
  db: Db,
  where: { communeCode?: string; epciCode?: string | null; departementCode?: string; sector?: string; startFrom?: Date; startTo?: Date; activeOn?: Date },
): Promise<WiderSearchCounts> {
  const sector = where.sector ? parseInput(sectorSchema, where.sector, 'sector') : undefined;
  // The same date filters as the search, so "Autour de X (14)" leads to 14 results.
  const dates = baseWhere(parseInput(missionSearchSchema, { startFrom: where.startFrom, startTo: where.startTo, activeOn: where.activeOn }, 'mission search'));
  const open = { ...dates, ...(sector ? { sector } : {}) };
  const [sameEpci, sameDepartement, otherSectors] = await Promise.all([
    where.epciCode ? countCapped(db, { ...open, epciCode: where.epciCode }) : Promise.resolve(0),
    where.departementCode ? countCapped(db, { ...open, departementCode: where.departementCode }) : Promise.resolve(0),
    sector && (where.communeCode || where.departementCode)
      ? countCapped(db, {
          ...dates,
          ...(where.communeCode ? { communeCode: where.communeCode } : { departementCode: where.departementCode }),
        })
      : Promise.resolve(0),
  ]);
  return { sameEpci, sameDepartement, otherSectors };
}
