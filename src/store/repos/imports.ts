import { z } from 'zod';
import type { Db, Prisma } from '../client.js';
import { communeCodeSchema, departementCodeSchema, idSchema, parseInput, sectorSchema } from '../schemas.js';
import { jsonRecords, jsonRowSourceText, raw, sql, writeRows } from '../sql.js';

/**
 * Writes of the mission feeds (src/import): the agency's missions as they stand, and one call that applies a
 * planned import in batches. The import decides what changes; this file only reads and writes.
 */

/** Rows per transaction: each batch is atomic, and a re-run after a failure finishes the job (upserts by reference). */
const BATCH = 500;

/** What a feed sets on a mission (the agency and reference are the key). */
export const missionWriteSchema = z
  .object({
    title: z.string().min(1).max(200),
    sector: sectorSchema,
    romeCode: z.string().regex(/^[A-N]\d{4}$/).nullable(),
    description: z.string().max(5000),
    communeCode: communeCodeSchema,
    communeName: z.string().min(1).max(100),
    postcode: z.string().max(10),
    departementCode: departementCodeSchema,
    epciCode: z.string().max(20).nullable(),
    startDate: z.date(),
    endDate: z.date(),
    weeklyHours: z.number().int().min(1).max(48),
    hourlyGrossPay: z.number().positive(),
    requirements: z.array(z.string().max(120)).max(20),
    places: z.number().int().min(1).max(999),
  })
  .strict();
export type MissionWrite = z.infer<typeof missionWriteSchema>;

/** An agency's mission as a feed compares it. */
export interface MissionSnapshot extends MissionWrite {
  id: number;
  reference: string | null;
  status: 'open' | 'filled' | 'closed';
}

export interface MissionImportChanges {
  creates: (MissionWrite & { reference: string })[];
  /** `reopen`: a mission the feed lists again after it was closed. */
  updates: { id: number; data: MissionWrite; reopen: boolean }[];
  closeIds: number[];
}

const agencyRefSchema = z.string().trim().min(1).max(200);

/** Agencies whose id is `ref` (digits) or whose name is exactly `ref`; several means the name is ambiguous. */
export async function findAgenciesByIdOrName(db: Db, ref: string): Promise<{ id: number; name: string }[]> {
  const r = parseInput(agencyRefSchema, ref, 'agency');
  const where: Prisma.AgencyWhereInput = /^\d{1,9}$/.test(r) ? { OR: [{ id: Number(r) }, { name: r }] } : { name: r };
  return db.agency.findMany({ where, select: { id: true, name: true }, orderBy: { id: 'asc' } });
}

const snapshotRowSchema = missionWriteSchema.extend({
  id: idSchema,
  reference: z.string().nullable(),
  status: z.enum(['open', 'filled', 'closed']),
  // Raw rows: SQLite gives JSON columns parsed, PostgreSQL too; a broken value reads as "no requirements".
  requirements: z.unknown().transform((v) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [])),
  hourlyGrossPay: z.number(),
  romeCode: z.string().nullable(),
  postcode: z.string(),
  description: z.string(),
  title: z.string(),
});

/** Which SQL dialect the client speaks (the generated clients share one type). */
function dialectOf(db: Db | Prisma.TransactionClient): 'sqlite' | 'postgresql' {
  return (db as unknown as { _activeProvider?: string })._activeProvider === 'postgresql' ? 'postgresql' : 'sqlite';
}

/**
 * Every mission of the agency, with the fields a feed sets. Raw SQL: a feed of 100,000 rows compares against as
 * many missions, and the ORM's row decoding alone took seconds there.
 */
export async function missionSnapshotsOfAgency(db: Db, agencyId: number): Promise<MissionSnapshot[]> {
  const id = parseInput(idSchema, agencyId, 'agency id');
  const rows = await db.$queryRawUnsafe<unknown[]>(
    `SELECT "id", "reference", "status", "title", "sector", "romeCode", "description", "communeCode", "communeName", "postcode",
            "departementCode", "epciCode", "startDate", "endDate", "weeklyHours", "hourlyGrossPay", "requirements", "places"
       FROM "Mission" WHERE "agencyId" = ${dialectOf(db) === 'postgresql' ? '$1' : '?'}`,
    id,
  );
  return z.array(snapshotRowSchema).parse(rows.map((r) => normaliseRawRow(r as Record<string, unknown>)));
}

// SQLite hands back integers as numbers or bigints depending on size; dates may come as strings on some paths.
function normaliseRawRow(r: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(r)) {
    if (typeof v === 'bigint') out[k] = Number(v);
    else if ((k === 'startDate' || k === 'endDate') && typeof v === 'string') out[k] = new Date(v);
    else if (k === 'requirements' && typeof v === 'string') out[k] = safeJson(v);
    else out[k] = v;
  }
  return out;
}

function safeJson(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return [];
  }
}

function chunks<T>(list: readonly T[], size = BATCH): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

/** Columns written by an import, with their PostgreSQL types (SQLite takes the JSON values as they are). */
const WRITE_COLUMNS: [string, string][] = [
  ['title', 'text'],
  ['sector', '"Sector"'],
  ['romeCode', 'text'],
  ['description', 'text'],
  ['communeCode', 'text'],
  ['communeName', 'text'],
  ['postcode', 'text'],
  ['departementCode', 'text'],
  ['epciCode', 'text'],
  ['startDate', 'timestamp(3)'],
  ['endDate', 'timestamp(3)'],
  ['weeklyHours', 'integer'],
  ['hourlyGrossPay', 'double precision'],
  ['requirements', 'jsonb'],
  ['places', 'integer'],
  ['updatedAt', 'timestamp(3)'],
];
const CREATE_ONLY_COLUMNS: [string, string][] = [
  ['agencyId', 'integer'],
  ['reference', 'text'],
  ['status', '"MissionStatus"'],
  ['publishedAt', 'timestamp(3)'],
  ['createdAt', 'timestamp(3)'],
];
/** Every column a new mission row is written with. */
const MISSION_CREATE_COLUMNS: [string, string][] = [...WRITE_COLUMNS, ...CREATE_ONLY_COLUMNS];

/**
 * Inserts new mission rows (each with every `MISSION_CREATE_COLUMNS` column) in one statement, the rows as one JSON
 * parameter: the import's creates and the benchmark seed's missions (through the ORM, a bound value per cell,
 * 100,000 creates took minutes and a million seeded missions about 15 minutes on PostgreSQL).
 */
export async function insertMissionRows(db: Db, rows: Record<string, unknown>[]): Promise<void> {
  const columns = MISSION_CREATE_COLUMNS;
  await writeRows(
    db,
    (dialect) => sql`INSERT INTO "Mission" (${raw(columns.map(([c]) => `"${c}"`).join(', '))})
      SELECT ${raw(columns.map(([c]) => `j."${c}"`).join(', '))} FROM ${jsonRecords(dialect, columns, rows)}`,
  );
}

/** Prisma's SQLite format for DateTime columns ("2027-01-15T00:00:00.000+00:00"), so raw writes sort and compare like ORM ones. */
function sqliteDate(d: Date): string {
  return d.toISOString().replace('Z', '+00:00');
}

/** JSON of the rows, dates in the format each database's Prisma adapter writes. */
function jsonRows(dialect: 'sqlite' | 'postgresql', rows: Record<string, unknown>[]): string {
  return JSON.stringify(rows.map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, v instanceof Date ? (dialect === 'sqlite' ? sqliteDate(v) : v.toISOString()) : v]))));
}

/**
 * Applies a planned mission import: creates (published now), updates, closes, in transactions of BATCH rows.
 * Set-based SQL with the rows as one JSON parameter: through the ORM, 100,000 creates took minutes.
 */
export async function writeMissionImport(db: Db, agencyId: number, changes: MissionImportChanges, now: Date): Promise<void> {
  const agency = parseInput(idSchema, agencyId, 'agency id');
  const dialect = dialectOf(db);
  const p = (n: number) => (dialect === 'postgresql' ? `$${n}` : '?');
  const createSchema = missionWriteSchema.extend({ reference: z.string().min(1).max(100) });
  for (const batch of chunks(changes.creates)) {
    await insertMissionRows(db, batch.map((m) => ({ ...parseInput(createSchema, m, 'mission'), agencyId: agency, status: 'open', publishedAt: now, createdAt: now, updatedAt: now })));
  }
  const updateColumns: [string, string][] = [['id', 'integer'], ['reopen', 'integer'], ...WRITE_COLUMNS];
  const sets = [...WRITE_COLUMNS.map(([c]) => `"${c}" = j."${c}"`), `"status" = CASE WHEN j."reopen" = 1 THEN 'open' ELSE "Mission"."status" END`];
  const statusCast = dialect === 'postgresql' ? `CASE WHEN j."reopen" = 1 THEN 'open'::"MissionStatus" ELSE "Mission"."status" END` : '';
  if (statusCast) sets[sets.length - 1] = `"status" = ${statusCast}`;
  // The unary `+` keeps the agency filter off the (agencyId, reference) index: with it, SQLite's planner walked the
  // agency's missions and scanned the JSON rows for each (about 41 ms per updated row with 20,000 missions);
  // without it, each JSON row finds its mission by primary key (EXPLAIN QUERY PLAN: SCAN json_each, SEARCH Mission
  // USING INTEGER PRIMARY KEY). The filter still applies, as a check on each row found.
  const updateSql = `UPDATE "Mission" SET ${sets.join(', ')} FROM ${jsonRowSourceText(dialect, updateColumns, p(1))} WHERE "Mission"."id" = j."id" AND +"Mission"."agencyId" = ${p(2)}`;
  for (const batch of chunks(changes.updates)) {
    const rows = batch.map((u) => ({ ...parseInput(missionWriteSchema, u.data, 'mission'), id: parseInput(idSchema, u.id, 'mission id'), reopen: u.reopen ? 1 : 0, updatedAt: now }));
    await db.$executeRawUnsafe(updateSql, jsonRows(dialect, rows), agency);
  }
  for (const batch of chunks(changes.closeIds)) {
    await db.mission.updateMany({ where: { id: { in: batch.map((id) => parseInput(idSchema, id, 'mission id')) }, agencyId: agency, status: 'open' }, data: { status: 'closed' } });
  }
}
