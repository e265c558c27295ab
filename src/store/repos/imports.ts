import { z } from 'zod';
import type { Db, Prisma } from '../client.js';
import { communeCodeSchema, departementCodeSchema, idSchema, parseInput, sectorSchema } from '../schemas.js';

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

const snapshotSelect = {
  id: true,
  reference: true,
  status: true,
  title: true,
  sector: true,
  romeCode: true,
  description: true,
  communeCode: true,
  communeName: true,
  postcode: true,
  departementCode: true,
  epciCode: true,
  startDate: true,
  endDate: true,
  weeklyHours: true,
  hourlyGrossPay: true,
  requirements: true,
  places: true,
} satisfies Prisma.MissionSelect;

/** Every mission of the agency, with the fields a feed sets. */
export async function missionSnapshotsOfAgency(db: Db, agencyId: number): Promise<MissionSnapshot[]> {
  const rows = await db.mission.findMany({ where: { agencyId: parseInput(idSchema, agencyId, 'agency id') }, select: snapshotSelect });
  return rows.map((r) => ({ ...r, requirements: Array.isArray(r.requirements) ? (r.requirements as string[]) : [] }));
}

function chunks<T>(list: readonly T[], size = BATCH): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

/** Applies a planned mission import: creates (published now), updates, closes. */
export async function writeMissionImport(db: Db, agencyId: number, changes: MissionImportChanges, now: Date): Promise<void> {
  const agency = parseInput(idSchema, agencyId, 'agency id');
  const createSchema = missionWriteSchema.extend({ reference: z.string().min(1).max(100) });
  for (const batch of chunks(changes.creates)) {
    const data = batch.map((m) => ({ ...parseInput(createSchema, m, 'mission'), agencyId: agency, status: 'open' as const, publishedAt: now, createdAt: now }));
    await db.mission.createMany({ data });
  }
  for (const batch of chunks(changes.updates)) {
    await db.$transaction(
      batch.map((u) =>
        db.mission.update({
          where: { id: parseInput(idSchema, u.id, 'mission id'), agencyId: agency },
          data: { ...parseInput(missionWriteSchema, u.data, 'mission'), ...(u.reopen ? { status: 'open' as const } : {}) },
          select: { id: true },
        }),
      ),
    );
  }
  for (const batch of chunks(changes.closeIds)) {
    await db.mission.updateMany({ where: { id: { in: batch.map((id) => parseInput(idSchema, id, 'mission id')) }, agencyId: agency, status: 'open' }, data: { status: 'closed' } });
  }
}
