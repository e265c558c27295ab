import { z } from 'zod';
import type { Db, Prisma } from '../client.js';
import { fixedRead, jsonText, raw, join, readRows, sql, typed, type Dialect, type Sql } from '../sql.js';
import { communeCodeSchema, departementCodeSchema, idSchema, parseInput, sectorSchema } from '../schemas.js';

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

/** Row schemas of the raw reads: what the driver returns, checked and converted into the store's own types. */
const date = z.coerce.date();
const count = z.object({ n: z.coerce.number().int() });
const cardRow = z.object({
  id: z.coerce.number().int(),
  title: z.string(),
  sector: sectorSchema,
  communeCode: z.string(),
  communeName: z.string(),
  postcode: z.string(),
  startDate: date,
  endDate: date,
  weeklyHours: z.coerce.number().int(),
  hourlyGrossPay: z.coerce.number(),
  requirements: jsonText,
  places: z.coerce.number().int(),
  status: z.enum(['open', 'filled', 'closed']),
  createdAt: date,
  agencyId: z.coerce.number().int(),
  agencyName: z.string(),
  agencyPhone: z.string(),
  agencyEmail: z.string(),
});
const detailsRow = cardRow.extend({ description: z.string(), romeCode: z.string().nullable() });

const CARD_COLUMNS = raw(
  `m."id", m."title", m."sector", m."communeCode", m."communeName", m."postcode", m."startDate", m."endDate", m."weeklyHours",
   m."hourlyGrossPay", CAST(m."requirements" AS TEXT) AS "requirements", m."places", m."status", m."createdAt",
   a."id" AS "agencyId", a."name" AS "agencyName", a."phone" AS "agencyPhone", a."email" AS "agencyEmail"`,
);

/** Field by field rather than by rest and spread: three copies of a 20-field row were a fifth of a details read. */
function toCard(row: z.output<typeof cardRow>): MissionCard {
  const { requirements } = row;
  return {
    id: row.id,
    title: row.title,
    sector: row.sector,
    communeCode: row.communeCode,
    communeName: row.communeName,
    postcode: row.postcode,
    startDate: row.startDate,
    endDate: row.endDate,
    weeklyHours: row.weeklyHours,
    hourlyGrossPay: row.hourlyGrossPay,
    requirements: Array.isArray(requirements) ? requirements.filter((r): r is string => typeof r === 'string') : [],
    places: row.places,
    status: row.status,
    createdAt: row.createdAt,
    agency: { id: row.agencyId, name: row.agencyName, phone: row.agencyPhone, email: row.agencyEmail },
  };
}

/** The filters of a search, as SQL conditions on the mission alias `m`. */
interface MissionFilter {
  sector?: string | undefined;
  startFrom?: Date | undefined;
  startTo?: Date | undefined;
  activeOn?: Date | undefined;
  communeCode?: string | undefined;
  notCommuneCode?: string | undefined;
  epciCode?: string | undefined;
  departementCode?: string | undefined;
}

/**
 * Which index a statement should walk, for SQLite's planner (it has no statistics on the data): `createdAt` (the
 * search's order, the default) or `startDate` (a start window with few missions in it). The other one's column is
 * written `+col`, which SQLite cannot use in an index. PostgreSQL's planner weighs both from its statistics, and
 * the statement shapes below (ORDER BY … LIMIT) lead it the same way.
 */
type Walk = 'createdAt' | 'startDate';

function whereOpen(f: MissionFilter, dialect: Dialect = 'postgresql', walk: Walk = 'createdAt'): Sql {
  const off = (column: string, useless: boolean) => raw(dialect === 'sqlite' && useless ? `+m."${column}"` : `m."${column}"`);
  const startDate = off('startDate', walk === 'createdAt');
  const parts = [sql`m."status" = 'open'`];
  if (f.communeCode) parts.push(sql`m."communeCode" = ${f.communeCode}`);
  if (f.epciCode) parts.push(sql`m."epciCode" = ${f.epciCode}`);
  if (f.departementCode) parts.push(sql`m."departementCode" = ${f.departementCode}`);
  if (f.notCommuneCode) parts.push(sql`m."communeCode" <> ${f.notCommuneCode}`);
  // The sector is in the indexes of both walks.
  if (f.sector) parts.push(sql`m."sector" = ${typed(f.sector, '"Sector"')}`);
  if (f.startFrom) parts.push(sql`${startDate} >= ${f.startFrom}`);
  if (f.startTo) parts.push(sql`${startDate} <= ${f.startTo}`);
  if (f.activeOn) parts.push(sql`m."endDate" >= ${f.activeOn}`);
  return join(parts, ' AND ');
}

/** A start window ("dès lundi", "en mars") narrows a place's missions by their start date. */
function hasWindow(f: MissionFilter): boolean {
  return f.startFrom !== undefined || f.startTo !== undefined;
}

/**
 * A capped count is a LIMITed subquery, so an index stops at the cap instead of counting every match: the
 * (status, place, [sector,] createdAt, id) ones, or with a start window the (status, place, [sector,] startDate) ones walked
 * in start order. Walking createdAt through a window read every mission of the place before the cap when the
 * window held few (1.9 s on SQLite, 340 ms on PostgreSQL for an empty window in a département of 333,000
 * missions); walking startDate reads the window's missions only.
 */
async function countCapped(db: Db, f: MissionFilter): Promise<number> {
  const walk: Walk = hasWindow(f) ? 'startDate' : 'createdAt';
  const order = raw(walk === 'startDate' ? 'm."startDate"' : 'm."createdAt" DESC');
  const [row] = await readRows(
    db,
    count,
    (dialect) =>
      sql`SELECT COUNT(*) AS "n" FROM (SELECT 1 FROM "Mission" m${startWindowIndex(f, dialect, walk)} WHERE ${whereOpen(f, dialect, walk)} ORDER BY ${order} LIMIT ${MISSION_COUNT_CAP + 1}) capped`,
  );
  return row?.n ?? 0;
}

/**
 * SQLite only, a start window with a sector: the (status, place, sector, startDate) index, named. Without statistics
 * SQLite's planner took the (status, place, startDate) one and checked the sector row by row (a 1-day window with a
 * sector in a département at 1M missions: 32 ms, 2 ms along the sector index). PostgreSQL weighs them itself.
 */
function startWindowIndex(f: MissionFilter, dialect: Dialect, walk: Walk): Sql {
  if (dialect !== 'sqlite' || walk !== 'startDate' || !f.sector) return raw('');
  const place = f.communeCode ? 'communeCode_' : f.epciCode ? 'epciCode_' : f.departementCode ? 'departementCode_' : '';
  return raw(` INDEXED BY "Mission_status_${place}sector_startDate_idx"`);
}

/**
 * A page, newest first. `counted` is the capped count of the same filter: a start window with no more than the cap
 * in it is read through its start-date index (at most the cap, sorted), a fuller one along createdAt like a search
 * without a window (it meets a match every few rows, since the cap is reached).
 */
async function pageOf(db: Db, f: MissionFilter, offset: number, limit: number, counted?: number): Promise<MissionCard[]> {
  const few = hasWindow(f) && counted !== undefined && counted <= MISSION_COUNT_CAP;
  const rows = await readRows(db, cardRow, (dialect) =>
    few
      ? sql`SELECT ${CARD_COLUMNS} FROM (SELECT m."id" FROM "Mission" m${startWindowIndex(f, dialect, 'startDate')} WHERE ${whereOpen(f, dialect, 'startDate')} ORDER BY m."startDate" LIMIT ${MISSION_COUNT_CAP + 1}) w
          JOIN "Mission" m ON m."id" = w."id" JOIN "Agency" a ON a."id" = m."agencyId"
          ORDER BY m."createdAt" DESC, m."id" DESC LIMIT ${limit} OFFSET ${offset}`
      : sql`SELECT ${CARD_COLUMNS} FROM "Mission" m JOIN "Agency" a ON a."id" = m."agencyId"
          WHERE ${whereOpen(f, dialect)} ORDER BY m."createdAt" DESC, m."id" DESC LIMIT ${limit} OFFSET ${offset}`,
  );
  return rows.map(toCard);
}

function page(items: MissionCard[], counted: number, s: { page: number; pageSize: number }): MissionPage {
  return { items, total: Math.min(counted, MISSION_COUNT_CAP), totalCapped: counted > MISSION_COUNT_CAP, page: s.page, pageSize: s.pageSize };
}

function baseFilter(s: { sector?: string | undefined; startFrom?: Date | undefined; startTo?: Date | undefined; activeOn?: Date | undefined }): MissionFilter {
  return { sector: s.sector, startFrom: s.startFrom, startTo: s.startTo, activeOn: s.activeOn };
}

function areaFilter(s: z.output<typeof missionSearchSchema>): MissionFilter | undefined {
  if (s.epciCode) return { epciCode: s.epciCode };
  if (s.departementCode) return { departementCode: s.departementCode };
  return undefined;
}

/**
 * Open missions matching the filters, newest first; when both a commune and a wider area are given,
 * the commune's missions come first, then the rest of the area (administrative nearness: the commune
 * list carries no coordinates). Missions are never written by a turn: these reads run on the read driver.
 */
export async function searchOpenMissions(db: Db, search: MissionSearch): Promise<MissionPage> {
  const s = parseInput(missionSearchSchema, search, 'mission search');
  const base = baseFilter(s);
  const area = areaFilter(s);
  const offset = s.page * s.pageSize;

  if (!s.communeCode || !area) {
    const f = { ...base, communeCode: s.communeCode, ...area };
    if (hasWindow(f)) {
      // The page's way depends on the count (see pageOf): one more round trip, for window searches only.
      const total = await countCapped(db, f);
      return page(total === 0 ? [] : await pageOf(db, f, offset, s.pageSize, total), total, s);
    }
    const [total, items] = await Promise.all([countCapped(db, f), pageOf(db, f, offset, s.pageSize)]);
    return page(items, total, s);
  }

  const exact = { ...base, communeCode: s.communeCode };
  const rest = { ...base, ...area, notCommuneCode: s.communeCode };
  const [exactTotal, restTotal] = await Promise.all([countCapped(db, exact), countCapped(db, rest)]);
  const items: MissionCard[] = offset < exactTotal ? await pageOf(db, exact, offset, s.pageSize, exactTotal) : [];
  const remaining = s.pageSize - items.length;
  if (remaining > 0 && restTotal > 0) items.push(...(await pageOf(db, rest, Math.max(0, offset - exactTotal), remaining, restTotal)));
  return page(items, exactTotal + restTotal, s);
}

/** One mission with its description, whatever its status (a filled mission still shows, marked as such). */
export async function findMissionById(db: Db, id: number): Promise<MissionDetails | null> {
  const [row] = await missionDetailsById(db, parseInput(idSchema, id, 'mission id'));
  if (!row) return null;
  return Object.assign(toCard(row), { description: row.description, romeCode: row.romeCode });
}
/** Its statement, rendered once (a details read is ~20 µs on the driver: building the text each time showed). */
const missionDetailsById = fixedRead(
  detailsRow,
  (_dialect, missionId: number) =>
    sql`SELECT ${CARD_COLUMNS}, m."description", m."romeCode" FROM "Mission" m JOIN "Agency" a ON a."id" = m."agencyId" WHERE m."id" = ${missionId}`,
);

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
  const dates = baseFilter(parseInput(missionSearchSchema, { startFrom: where.startFrom, startTo: where.startTo, activeOn: where.activeOn }, 'mission search'));
  const open = { ...dates, sector };
  const [sameEpci, sameDepartement, otherSectors] = await Promise.all([
    where.epciCode ? countCapped(db, { ...open, epciCode: where.epciCode }) : Promise.resolve(0),
    where.departementCode ? countCapped(db, { ...open, departementCode: where.departementCode }) : Promise.resolve(0),
    sector && (where.communeCode || where.departementCode)
      ? countCapped(db, { ...dates, ...(where.communeCode ? { communeCode: where.communeCode } : { departementCode: where.departementCode }) })
      : Promise.resolve(0),
  ]);
  return { sameEpci, sameDepartement, otherSectors };
}

/**
 * Of the given missions, those still open and not over at `now`, in the given order (an alert rendered at
 * delivery leaves out what closed meanwhile). At most 200 ids.
 */
export async function findOpenMissionCards(db: Db, ids: number[], now: Date): Promise<MissionCard[]> {
  const list = parseInput(z.array(idSchema).max(200), ids, 'mission ids');
  if (list.length === 0) return [];
  const rows = await readRows(
    db,
    cardRow,
    () => sql`SELECT ${CARD_COLUMNS} FROM "Mission" m JOIN "Agency" a ON a."id" = m."agencyId"
      WHERE m."id" IN (${join(list.map((id) => sql`${id}`), ', ')}) AND m."status" = 'open' AND m."endDate" >= ${now}`,
  );
  const byId = new Map(rows.map((r) => [r.id, toCard(r)]));
  return list.flatMap((id) => byId.get(id) ?? []);
}
