import { z } from 'zod';
import type { Db, Prisma } from '../../../src/store/client.js';
import { idSchema, parseInput } from '../../../src/store/schemas.js';

export const counsellorSelect = {
  id: true,
  firstName: true,
  lastName: true,
  email: true,
  role: true,
  missionLocaleId: true,
  missionLocale: { select: { id: true, name: true, phone: true, email: true, address: true, openingHours: true } },
} satisfies Prisma.CounsellorSelect;
export type CounsellorView = Prisma.CounsellorGetPayload<{ select: typeof counsellorSelect }>;

/** The counsellor signed in to Teams with this AAD object id, or null (unknown users get nothing). */
export async function findCounsellorByAadObjectId(db: Db, aadObjectId: string): Promise<CounsellorView | null> {
  return db.counsellor.findUnique({ where: { aadObjectId: parseInput(z.string().min(1).max(100), aadObjectId, 'AAD object id') }, select: counsellorSelect });
}

export async function findCounsellorByEmail(db: Db, email: string): Promise<CounsellorView | null> {
  return db.counsellor.findUnique({ where: { email: parseInput(z.string().min(3).max(200), email.toLowerCase(), 'email') }, select: counsellorSelect });
}

export async function findCounsellorById(db: Db, id: number): Promise<CounsellorView | null> {
  return db.counsellor.findUnique({ where: { id: parseInput(idSchema, id, 'counsellor id') }, select: counsellorSelect });
}

/** A youth's counsellor and Mission locale contact details, for "contact my counsellor". */
export async function findCounsellorOfYouth(db: Db, youthId: number): Promise<CounsellorView | null> {
  const y = await db.youth.findUnique({ where: { id: parseInput(idSchema, youthId, 'youth id') }, select: { counsellor: { select: counsellorSelect } } });
  return y?.counsellor ?? null;
}

export async function listMissionLocales(db: Db) {
  return db.missionLocale.findMany({ select: { id: true, name: true, communeName: true, phone: true, openingHours: true }, orderBy: { id: 'asc' } });
}
