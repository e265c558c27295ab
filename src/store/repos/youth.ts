import { z } from 'zod';
import type { Db, Prisma } from '../client.js';
import { caseloadScopeSchema, idSchema, parseInput, type CaseloadScope } from '../schemas.js';
import { editDistance, fold } from '../../shared/text.js';
import { join, raw, readRows, sql, type Sql } from '../sql.js';

/** Built once: building a schema costs more than the statement it guards. */
const personNameSchema = z.string().min(2).max(120);
const candidateRow = z.object({ id: z.coerce.number().int(), searchName: z.string() });

/** The few fields that identify a youth to the core and decide who may see them. */
export const youthIdentitySelect = {
  id: true,
  firstName: true,
  lastName: true,
  status: true,
  counsellorId: true,
  missionLocaleId: true,
  communeCode: true,
  birthDate: true,
  telegramUserId: true,
  anonymizedAt: true,
} satisfies Prisma.YouthSelect;
export type YouthIdentity = Prisma.YouthGetPayload<{ select: typeof youthIdentitySelect }>;

const telegramIdSchema = z.string().regex(/^-?\d{1,20}$/, 'a Telegram id is a number');

export function scopeWhere(scope: CaseloadScope): Prisma.YouthWhereInput {
  const s = parseInput(caseloadScopeSchema, scope, 'caseload scope');
  return 'counsellorId' in s ? { counsellorId: s.counsellorId } : { missionLocaleId: s.missionLocaleId };
}

const date = z.coerce.date();
const identityRow = z.object({
  id: z.coerce.number().int(),
  firstName: z.string(),
  lastName: z.string(),
  status: z.enum(['active', 'in_mission', 'paused', 'exited']),
  counsellorId: z.coerce.number().int(),
  missionLocaleId: z.coerce.number().int(),
  communeCode: z.string(),
  birthDate: date.nullable(),
  telegramUserId: z.string().nullable(),
  anonymizedAt: date.nullable(),
}) satisfies z.ZodType<YouthIdentity>;
const namedRow = identityRow.extend({ searchName: z.string() });

const IDENTITY_COLUMNS = raw(
  `y."id", y."firstName", y."lastName", CAST(y."status" AS TEXT) AS "status", y."counsellorId", y."missionLocaleId", y."communeCode",
   y."birthDate", y."telegramUserId", y."anonymizedAt"`,
);

/** The youth of a scope, as a condition on the alias `y`. */
function inScope(scope: CaseloadScope): Sql {
  const s = parseInput(caseloadScopeSchema, scope, 'caseload scope');
  return 'counsellorId' in s ? sql`y."counsellorId" = ${s.counsellorId}` : sql`y."missionLocaleId" = ${s.missionLocaleId}`;
}

async function oneIdentity(db: Db, where: Sql): Promise<YouthIdentity | null> {
  const [row] = await readRows(db, identityRow, () => sql`SELECT ${IDENTITY_COLUMNS} FROM "Youth" y WHERE ${where}`);
  return row ?? null;
}

export async function findYouthById(db: Db, id: number): Promise<YouthIdentity | null> {
  return oneIdentity(db, sql`y."id" = ${parseInput(idSchema, id, 'youth id')}`);
}

/** The youth linked to this Telegram user, if any (read at the start of every Telegram turn). */
export async function findYouthByTelegramUser(db: Db, telegramUserId: string): Promise<YouthIdentity | null> {
  return oneIdentity(db, sql`y."telegramUserId" = ${parseInput(telegramIdSchema, telegramUserId, 'Telegram user id')}`);
}

/** The youth of `id` only if inside `scope`: the one read path counsellors use, so a forged id finds nothing. */
export async function findYouthInScope(db: Db, scope: CaseloadScope, id: number): Promise<YouthIdentity | null> {
  return oneIdentity(db, sql`y."id" = ${parseInput(idSchema, id, 'youth id')} AND y."anonymizedAt" IS NULL AND ${inScope(scope)}`);
}

export interface NameMatch {
  youth: YouthIdentity;
  /** 0 = exact (folded) match; higher = more typos. */
  distance: number;
}

/**
 * Youth of the scope whose name matches `name`, tolerant of accents, case, word order and small typos.
 * Exact matches win; otherwise the closest within 2 edits per name. Never looks outside the scope.
 */
export async function findYouthByName(db: Db, scope: CaseloadScope, name: string): Promise<NameMatch[]> {
  const query = fold(parseInput(personNameSchema, name, 'person name'));
  const tokens = query.split(' ').filter((t) => t.length >= 2);
  if (tokens.length === 0) return [];
  const where = sql`${inScope(scope)} AND y."anonymizedAt" IS NULL`;
  // Folded tokens are [a-z0-9] only, so they hold no LIKE wildcard.
  const contains = join(tokens.map((t) => sql`y."searchName" LIKE ${`%${t}%`}`), ' AND ');
  const direct = await readRows(db, namedRow, () => sql`SELECT ${IDENTITY_COLUMNS}, y."searchName" FROM "Youth" y WHERE ${where} AND ${contains} ORDER BY y."id" LIMIT 20`);
  if (direct.length > 0) {
    return direct
      .map(({ searchName, ...youth }) => ({ youth, distance: searchName === query ? 0 : 1 }))
      .sort((a, b) => a.distance - b.distance);
  }
  // Typos: compare against the scope's names (only the names first: the identities of the few matches follow).
  const candidates = await readRows(db, candidateRow, () => sql`SELECT y."id", y."searchName" FROM "Youth" y WHERE ${where} ORDER BY y."id" LIMIT 20000`);
  const close: { id: number; distance: number }[] = [];
  const bound = Math.min(2 * tokens.length, 3);
  for (const { id, searchName } of candidates) {
    const d = nameDistance(tokens, searchName, bound);
    if (d <= bound) close.push({ id, distance: d + 1 });
  }
  const best = close.sort((a, b) => a.distance - b.distance).slice(0, 10);
  if (best.length === 0) return [];
  const ids = join(best.map((b) => sql`${b.id}`), ', ');
  const byId = new Map((await readRows(db, identityRow, () => sql`SELECT ${IDENTITY_COLUMNS} FROM "Youth" y WHERE y."id" IN (${ids})`)).map((y) => [y.id, y]));
  return best.flatMap((b) => {
    const youth = byId.get(b.id);
    return youth ? [{ youth, distance: b.distance }] : [];
  });
}

/**
 * The summed distance of each query word to its closest word of `name` (words separated by one space, as `fold`
 * leaves them); stops (above `bound`) once past it. Each word is compared in place, with the budget left: a
 * caseload's hundred names cost less than the statement that read them.
 */
function nameDistance(query: string[], name: string, bound: number): number {
  let total = 0;
  for (const q of query) {
    const budget = bound - total;
    let best = budget + 1;
    for (let from = 0; from <= name.length && best > 0; ) {
      let to = name.indexOf(' ', from);
      if (to < 0) to = name.length;
      if (to > from || name.length === 0) best = Math.min(best, editDistance(q, name, Math.min(3, best - 1), from, to));
      from = to + 1;
    }
    total += best;
    if (total > bound) return total;
  }
  return total;
}

/** Links a Telegram account to a youth; a previous account of that youth is unlinked first (one account per youth). */
export async function linkTelegram(db: Db, youthId: number, telegramUserId: string, telegramChatId: string): Promise<void> {
  const tid = parseInput(telegramIdSchema, telegramUserId, 'Telegram user id');
  const chat = parseInput(telegramIdSchema, telegramChatId, 'Telegram chat id');
  await db.youth.update({
    where: { id: parseInput(idSchema, youthId, 'youth id') },
    data: { telegramUserId: tid, telegramChatId: chat, linkedAt: new Date() },
  });
}

export async function unlinkTelegram(db: Db, youthId: number): Promise<void> {
  await db.youth.update({ where: { id: parseInput(idSchema, youthId, 'youth id') }, data: { telegramUserId: null, telegramChatId: null, linkedAt: null } });
}

/** Where to push a message to this youth on Telegram, if linked. */
export async function findTelegramChat(db: Db, youthId: number): Promise<string | null> {
  const row = await db.youth.findUnique({ where: { id: parseInput(idSchema, youthId, 'youth id') }, select: { telegramChatId: true } });
  return row?.telegramChatId ?? null;
}

/** The Telegram user id of a linked youth (the key of their dialogue state), or null. */
export async function findTelegramUserId(db: Db, youthId: number): Promise<string | null> {
  const row = await db.youth.findUnique({ where: { id: parseInput(idSchema, youthId, 'youth id') }, select: { telegramUserId: true } });
  return row?.telegramUserId ?? null;
}
