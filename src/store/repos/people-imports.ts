import { z } from 'zod';
import type { Db, Prisma } from '../client.js';
import { communeCodeSchema, idSchema, parseInput, topicSchema, type Topic } from '../schemas.js';
import { fold } from '../../shared/text.js';

/**
 * Writes of the caseload and counsellor imports (src/import): the people as they stand, and one call per import
 * that applies a planned change. Only the file's fields are ever written: never the Telegram link, consent,
 * contact preferences or dialogue state the young person gave the bot.
 */

const BATCH = 200;
function chunks<T>(list: readonly T[], size = BATCH): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

const refSchema = z.string().trim().min(1).max(200);

/** Missions locales whose id is `ref` (digits) or whose name is exactly `ref`. */
export async function findMissionLocalesByIdOrName(db: Db, ref: string): Promise<{ id: number; name: string }[]> {
  const r = parseInput(refSchema, ref, 'Mission locale');
  const where: Prisma.MissionLocaleWhereInput = /^\d{1,9}$/.test(r) ? { OR: [{ id: Number(r) }, { name: r }] } : { name: r };
  return db.missionLocale.findMany({ where, select: { id: true, name: true }, orderBy: { id: 'asc' } });
}

/** Every Mission locale (id and name), to resolve the counsellor file's `mission_locale` column. */
export async function listMissionLocaleRefs(db: Db): Promise<{ id: number; name: string }[]> {
  return db.missionLocale.findMany({ select: { id: true, name: true }, orderBy: { id: 'asc' } });
}

// ---- Counsellors ----

export const counsellorWriteSchema = z
  .object({
    firstName: z.string().min(1).max(100),
    lastName: z.string().min(1).max(100),
    email: z.string().min(3).max(200),
    aadObjectId: z.string().max(100).nullable(),
    role: z.enum(['counsellor', 'manager']),
    missionLocaleId: idSchema,
  })
  .strict();
export type CounsellorWrite = z.infer<typeof counsellorWriteSchema>;
export interface CounsellorSnapshot extends CounsellorWrite {
  id: number;
  active: boolean;
}

/** Every counsellor, with the fields the counsellor file sets. */
export async function counsellorSnapshots(db: Db): Promise<CounsellorSnapshot[]> {
  return db.counsellor.findMany({
    select: { id: true, firstName: true, lastName: true, email: true, aadObjectId: true, role: true, missionLocaleId: true, active: true },
    orderBy: { id: 'asc' },
  });
}

/** How many youth (any status) each of these counsellors follows. */
export async function youthCountsOfCounsellors(db: Db, counsellorIds: number[]): Promise<Map<number, number>> {
  const ids = counsellorIds.map((id) => parseInput(idSchema, id, 'counsellor id'));
  const out = new Map<number, number>();
  for (const batch of chunks(ids, 500)) {
    const rows = await db.youth.groupBy({ by: ['counsellorId'], where: { counsellorId: { in: batch } }, _count: { _all: true } });
    for (const r of rows) out.set(r.counsellorId, r._count._all);
  }
  return out;
}

/** Youth still followed (not exited, not anonymised) by these counsellors, by counsellor: what must be reassigned. */
export async function youthToReassign(db: Db, counsellorIds: number[]): Promise<Map<number, number[]>> {
  const ids = counsellorIds.map((id) => parseInput(idSchema, id, 'counsellor id'));
  const out = new Map<number, number[]>();
  if (ids.length === 0) return out;
  const rows = await db.youth.findMany({
    where: { counsellorId: { in: ids }, status: { not: 'exited' }, anonymizedAt: null },
    select: { id: true, counsellorId: true },
    orderBy: { id: 'asc' },
  });
  for (const r of rows) out.set(r.counsellorId, [...(out.get(r.counsellorId) ?? []), r.id]);
  return out;
}

export interface CounsellorImportChanges {
  creates: CounsellorWrite[];
  updates: { id: number; data: CounsellorWrite; reactivate: boolean }[];
  deactivateIds: number[];
}

/** Applies a planned counsellor import in one transaction: a file is the staff list as a whole. */
export async function writeCounsellorImport(db: Db, changes: CounsellorImportChanges, now: Date): Promise<void> {
  await db.$transaction(async (tx) => {
    // Deactivate first: an AAD id may move from a departing record to a new one.
    if (changes.deactivateIds.length) {
      await tx.counsellor.updateMany({
        where: { id: { in: changes.deactivateIds.map((id) => parseInput(idSchema, id, 'counsellor id')) }, active: true },
        data: { active: false, deactivatedAt: now },
      });
    }
    for (const u of changes.updates) {
      await tx.counsellor.update({
        where: { id: parseInput(idSchema, u.id, 'counsellor id') },
        data: { ...parseInput(counsellorWriteSchema, u.data, 'counsellor'), ...(u.reactivate ? { active: true, deactivatedAt: null } : {}) },
        select: { id: true },
      });
    }
    if (changes.creates.length) await tx.counsellor.createMany({ data: changes.creates.map((c) => parseInput(counsellorWriteSchema, c, 'counsellor')) });
  });
}

// ---- Youth ----

export const youthStatusSchema = z.enum(['active', 'in_mission', 'paused', 'exited']);
export type YouthStatusValue = z.infer<typeof youthStatusSchema>;
export const barrierStatusSchema = z.enum(['open', 'in_progress', 'resolved']);

export const youthWriteSchema = z
  .object({
    firstName: z.string().min(1).max(100),
    lastName: z.string().min(1).max(100),
    birthDate: z.date(),
    phone: z.string().max(30).nullable(),
    email: z.string().max(200).nullable(),
    communeCode: communeCodeSchema,
    postcode: z.string().max(10),
    counsellorId: idSchema,
    entryDate: z.date(),
    status: youthStatusSchema,
    exitDate: z.date().nullable(),
  })
  .strict();
export type YouthWrite = z.infer<typeof youthWriteSchema>;

export interface YouthSnapshot extends YouthWrite {
  id: number;
  externalId: string;
  anonymized: boolean;
  /** Barriers not resolved yet, by topic. */
  activeBarriers: Partial<Record<Topic, { id: number; status: 'open' | 'in_progress' }>>;
}

/** Youth of the Mission locale that came from a file (they have an external id). */
export async function youthSnapshotsOfMissionLocale(db: Db, missionLocaleId: number): Promise<YouthSnapshot[]> {
  const rows = await db.youth.findMany({
    where: { missionLocaleId: parseInput(idSchema, missionLocaleId, 'Mission locale id'), externalId: { not: null } },
    select: {
      id: true,
      externalId: true,
      firstName: true,
      lastName: true,
      birthDate: true,
      phone: true,
      email: true,
      communeCode: true,
      postcode: true,
      counsellorId: true,
      entryDate: true,
      status: true,
      exitDate: true,
      anonymizedAt: true,
      barriers: { where: { status: { not: 'resolved' } }, select: { id: true, topic: true, status: true } },
    },
  });
  return rows.map(({ barriers, anonymizedAt, externalId, birthDate, ...y }) => ({
    ...y,
    externalId: externalId!,
    birthDate: birthDate ?? new Date(0),
    anonymized: anonymizedAt !== null,
    activeBarriers: Object.fromEntries(barriers.map((b) => [b.topic, { id: b.id, status: b.status as 'open' | 'in_progress' }])),
  }));
}

/** A barrier change: create (open or in progress), or set the status of an unresolved barrier. */
export type BarrierChange = { topic: Topic; status: z.infer<typeof barrierStatusSchema>; barrierId?: number };

export interface YouthImportChanges {
  creates: { externalId: string; data: YouthWrite; barriers: BarrierChange[] }[];
  updates: { id: number; data: YouthWrite; barriers: BarrierChange[] }[];
}

async function applyBarriers(tx: Prisma.TransactionClient, youthId: number, changes: BarrierChange[], now: Date): Promise<void> {
  for (const c of changes) {
    const topic = parseInput(topicSchema, c.topic, 'topic');
    const status = parseInput(barrierStatusSchema, c.status, 'barrier status');
    if (c.barrierId === undefined) {
      await tx.barrier.create({ data: { youthId, topic, status, openedAt: now, openKey: `${youthId}:${topic}` }, select: { id: true } });
    } else {
      await tx.barrier.update({
        where: { id: parseInput(idSchema, c.barrierId, 'barrier id'), youthId },
        data: status === 'resolved' ? { status, resolvedAt: now, openKey: null } : { status },
        select: { id: true },
      });
    }
  }
}

/** Applies a planned caseload import, in atomic batches. The folded search name follows the names. */
export async function writeYouthImport(db: Db, missionLocaleId: number, changes: YouthImportChanges, now: Date): Promise<void> {
  const ml = parseInput(idSchema, missionLocaleId, 'Mission locale id');
  const extId = z.string().min(1).max(50);
  for (const batch of chunks(changes.creates)) {
    await db.$transaction(async (tx) => {
      for (const c of batch) {
        const data = parseInput(youthWriteSchema, c.data, 'youth');
        const { id } = await tx.youth.create({
          data: { ...data, externalId: parseInput(extId, c.externalId, 'external id'), missionLocaleId: ml, searchName: fold(`${data.firstName} ${data.lastName}`), createdAt: now },
          select: { id: true },
        });
        await applyBarriers(tx, id, c.barriers, now);
      }
    });
  }
  for (const batch of chunks(changes.updates)) {
    await db.$transaction(async (tx) => {
      for (const u of batch) {
        const data = parseInput(youthWriteSchema, u.data, 'youth');
        const id = parseInput(idSchema, u.id, 'youth id');
        await tx.youth.update({ where: { id, missionLocaleId: ml }, data: { ...data, searchName: fold(`${data.firstName} ${data.lastName}`) }, select: { id: true } });
        await applyBarriers(tx, id, u.barriers, now);
      }
    });
  }
}
