import { z } from 'zod';
import type { Db, Prisma } from '../client.js';
import { idSchema, parseInput } from '../schemas.js';
import { readRows, sql, type Sql } from '../sql.js';

/** Built once: building a schema costs more than the statement it guards (this one runs every Teams turn). */
const aadObjectIdSchema = z.string().min(1).max(100);
const emailSchema = z.string().min(3).max(200);

export const counsellorSelect = {
  id: true,
  firstName: true,
  lastName: true,
  email: true,
  role: true,
  missionLocaleId: true,
  /** False once removed from the counsellor file: identity resolution refuses them. */
  active: true,
  missionLocale: { select: { id: true, name: true, phone: true, email: true, address: true, openingHours: true } },
} satisfies Prisma.CounsellorSelect;
export type CounsellorView = Prisma.CounsellorGetPayload<{ select: typeof counsellorSelect }>;

const counsellorRow = z.object({
  id: z.coerce.number().int(),
  firstName: z.string(),
  lastName: z.string(),
  email: z.string(),
  role: z.enum(['counsellor', 'manager']),
  missionLocaleId: z.coerce.number().int(),
  // SQLite returns booleans as 0/1.
  active: z.union([z.boolean(), z.number()]).transform((v) => v === true || v === 1),
  mlName: z.string(),
  mlPhone: z.string(),
  mlEmail: z.string(),
  mlAddress: z.string(),
  mlOpeningHours: z.string(),
});

/** One counsellor with their Mission locale, in one statement (read at the start of every Teams turn). */
async function oneCounsellor(db: Db, where: Sql): Promise<CounsellorView | null> {
  const [r] = await readRows(
    db,
    counsellorRow,
    () => sql`SELECT c."id", c."firstName", c."lastName", c."email", CAST(c."role" AS TEXT) AS "role", c."missionLocaleId", c."active",
        ml."name" AS "mlName", ml."phone" AS "mlPhone", ml."email" AS "mlEmail", ml."address" AS "mlAddress", ml."openingHours" AS "mlOpeningHours"
      FROM "Counsellor" c JOIN "MissionLocale" ml ON ml."id" = c."missionLocaleId" WHERE ${where}`,
  );
  if (!r) return null;
  const { mlName, mlPhone, mlEmail, mlAddress, mlOpeningHours, ...c } = r;
  return { ...c, missionLocale: { id: c.missionLocaleId, name: mlName, phone: mlPhone, email: mlEmail, address: mlAddress, openingHours: mlOpeningHours } };
}

/** The counsellor signed in to Teams with this AAD object id, or null (unknown users get nothing). */
export async function findCounsellorByAadObjectId(db: Db, aadObjectId: string): Promise<CounsellorView | null> {
  return oneCounsellor(db, sql`c."aadObjectId" = ${parseInput(aadObjectIdSchema, aadObjectId, 'AAD object id')}`);
}

export async function findCounsellorByEmail(db: Db, email: string): Promise<CounsellorView | null> {
  return oneCounsellor(db, sql`c."email" = ${parseInput(emailSchema, email.toLowerCase(), 'email')}`);
}

export async function findCounsellorById(db: Db, id: number): Promise<CounsellorView | null> {
  return oneCounsellor(db, sql`c."id" = ${parseInput(idSchema, id, 'counsellor id')}`);
}

/** A youth's counsellor and Mission locale contact details, for "contact my counsellor". */
export async function findCounsellorOfYouth(db: Db, youthId: number): Promise<CounsellorView | null> {
  const y = await db.youth.findUnique({ where: { id: parseInput(idSchema, youthId, 'youth id') }, select: { counsellor: { select: counsellorSelect } } });
  return y?.counsellor ?? null;
}

export async function listMissionLocales(db: Db) {
  return db.missionLocale.findMany({ select: { id: true, name: true, communeName: true, phone: true, openingHours: true }, orderBy: { id: 'asc' } });
}
