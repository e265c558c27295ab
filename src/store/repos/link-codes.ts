import { z } from 'zod';
import { connectionInfo, type Db } from '../client.js';
import { idSchema, parseInput } from '../schemas.js';
import { linkTelegram } from './youth.js';

const hashSchema = z.string().regex(/^[a-f0-9]{64}$/, 'a code hash is a sha256 hex digest');

/** Stores a new code for a youth and revokes the codes issued before it (only the latest code works). */
export async function createLinkCode(db: Db, input: { youthId: number; issuedById: number; codeHash: string; expiresAt: Date }) {
  const youthId = parseInput(idSchema, input.youthId, 'youth id');
  const codeHash = parseInput(hashSchema, input.codeHash, 'code hash');
  return db.$transaction(async (tx) => {
    // Touching the youth row first locks it until commit (PostgreSQL), so concurrent issuances for one youth
    // run one after the other and each revokes the previous code; SQLite transactions are serial already.
    await tx.youth.update({ where: { id: youthId }, data: { updatedAt: new Date() } });
    await tx.linkCode.updateMany({ where: { youthId, usedAt: null, revokedAt: null }, data: { revokedAt: new Date() } });
    return tx.linkCode.create({
      data: { youthId, issuedById: parseInput(idSchema, input.issuedById, 'counsellor id'), codeHash, expiresAt: input.expiresAt },
      select: { id: true, expiresAt: true },
    });
  });
}

export type CodeRedemption =
  | { ok: true; youthId: number }
  | { ok: false; reason: 'unknown' | 'expired' | 'used' | 'revoked' };

/**
 * Spends a code: succeeds once, atomically (a conditional update), so two simultaneous redemptions
 * of the same code cannot both link an account.
 */
export async function redeemLinkCode(db: Db, codeHash: string, now = new Date()): Promise<CodeRedemption> {
  const hash = parseInput(hashSchema, codeHash, 'code hash');
  const row = await db.linkCode.findUnique({ where: { codeHash: hash } });
  if (!row) return { ok: false, reason: 'unknown' };
  if (row.revokedAt) return { ok: false, reason: 'revoked' };
  if (row.usedAt) return { ok: false, reason: 'used' };
  if (row.expiresAt <= now) return { ok: false, reason: 'expired' };
  // Only the latest code of a youth works, even if two issuances raced past each other's revocation.
  if ((await db.linkCode.count({ where: { youthId: row.youthId, id: { gt: row.id } } })) > 0) return { ok: false, reason: 'revoked' };
  const spent = await db.linkCode.updateMany({
    where: { id: row.id, usedAt: null, revokedAt: null, expiresAt: { gt: now } },
    data: { usedAt: now },
  });
  return spent.count === 1 ? { ok: true, youthId: row.youthId } : { ok: false, reason: 'used' };
}

/**
 * Spends a code and links the Telegram account in one transaction: a failure between the two leaves the code
 * unspent, so the young person can simply try again.
 */
export async function redeemLinkCodeAndLinkTelegram(
  db: Db,
  codeHash: string,
  telegram: { userId: string; chatId: string },
  now = new Date(),
): Promise<CodeRedemption> {
  return db.$transaction(async (tx) => {
    const result = await redeemLinkCode(tx as unknown as Db, codeHash, now);
    if (result.ok) await linkTelegram(tx as unknown as Db, result.youthId, telegram.userId, telegram.chatId);
    return result;
  });
}

/**
 * Makes the link attempts of one account run one after the other until the caller's transaction ends, so the
 * count-then-record of the attempt limits is atomic across processes: a PostgreSQL transaction-scoped advisory
 * lock on the account key. SQLite transactions are serial already (one writer at a time).
 */
export async function serializeLinkAttempts(db: Db, accountKey: string): Promise<void> {
  const key = parseInput(z.string().min(1).max(200), accountKey, 'account key');
  if (connectionInfo(db)?.kind !== 'postgresql') return;
  await db.$queryRaw`SELECT pg_advisory_xact_lock(hashtext(${key}))::text AS locked`;
}
