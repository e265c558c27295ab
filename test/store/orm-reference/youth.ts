import { z } from 'zod';
import type { Db, Prisma } from '../../../src/store/client.js';
import { caseloadScopeSchema, idSchema, parseInput, type CaseloadScope } from '../../../src/store/schemas.js';
import { editDistance, fold } from '../../../src/shared/text.js';

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

export async function findYouthById(db: Db, id: number): Promise<YouthIdentity | null> {
  return db.youth.findUnique({ where: { id: parseInput(idSchema, id, 'youth id') }, select: youthIdentitySelect });
}

/** The youth linked to this Telegram user, if any. */
export async function findYouthByTelegramUser(db: Db, telegramUserId: string): Promise<YouthIdentity | null> {
  const tid = parseInput(telegramIdSchema, telegramUserId, 'Telegram user id');
  return db.youth.findUnique({ where: { telegramUserId: tid }, select: youthIdentitySelect });
}

/** The youth of `id` only if inside `scope`: the one read path counsellors use, so a forged id finds nothing. */
export async function findYouthInScope(db: Db, scope: CaseloadScope, id: number): Promise<YouthIdentity | null> {
  return db.youth.findFirst({
    where: { id: parseInput(idSchema, id, 'youth id'), anonymizedAt: null, ...scopeWhere(scope) },
    select: youthIdentitySelect,
  });
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
  const query = fold(parseInput(z.string().min(2).max(120), name, 'person name'));
  const tokens = query.split(' ').filter((t) => t.length >= 2);
  if (tokens.length === 0) return [];
  const where = { ...scopeWhere(scope), anonymizedAt: null };
  const direct = await db.youth.findMany({
    where: { ...where, AND: tokens.map((t) => ({ searchName: { contains: t } })) },
    select: { ...youthIdentitySelect, searchName: true },
    take: 20,
  });
  if (direct.length > 0) {
    return direct
      .map(({ searchName, ...youth }) => ({ youth, distance: searchName === query ? 0 : 1 }))
      .sort((a, b) => a.distance - b.distance);
  }
  // Typos: compare against the scope's names. Caseloads are hundreds of rows, bounded for managers.
  const candidates = await db.youth.findMany({ where, select: { ...youthIdentitySelect, searchName: true }, take: 20_000 });
  const matches: NameMatch[] = [];
  for (const { searchName, ...youth } of candidates) {
    const d = nameDistance(tokens, searchName.split(' '));
    if (d <= 2 * tokens.length && d <= 3) matches.push({ youth, distance: d + 1 });
  }
  return matches.sort((a, b) => a.distance - b.distance).slice(0, 10);
}

function nameDistance(query: string[], name: string[]): number {
  let total = 0;
  for (const q of query) {
    let best = 99;
    for (const n of name) best = Math.min(best, editDistance(q, n, 3));
    total += best;
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
