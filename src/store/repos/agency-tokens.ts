import { z } from 'zod';
import type { Db } from '../client.js';
import { idSchema, parseInput } from '../schemas.js';

/**
 * Bearer tokens of the agencies that push their feed over HTTP. Only a sha256 of each token is stored;
 * the clear token is shown once when issued (scripts/agency-token.ts).
 */

const hashSchema = z.string().regex(/^[a-f0-9]{64}$/, 'a token hash is a sha256 hex digest');

export interface AgencyTokenView {
  id: number;
  agencyId: number;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}
const tokenSelect = { id: true, agencyId: true, createdAt: true, lastUsedAt: true, revokedAt: true } as const;

export async function createAgencyToken(db: Db, agencyId: number, tokenHash: string): Promise<AgencyTokenView> {
  return db.agencyToken.create({
    data: { agencyId: parseInput(idSchema, agencyId, 'agency id'), tokenHash: parseInput(hashSchema, tokenHash, 'token hash') },
    select: tokenSelect,
  });
}

/** Revokes a token; false when there is no such token or it was revoked already. */
export async function revokeAgencyToken(db: Db, tokenId: number, now: Date): Promise<boolean> {
  const { count } = await db.agencyToken.updateMany({ where: { id: parseInput(idSchema, tokenId, 'token id'), revokedAt: null }, data: { revokedAt: now } });
  return count === 1;
}

/** The live (not revoked) token with this hash, or null; records its use. */
export async function useAgencyToken(db: Db, tokenHash: string, now: Date): Promise<{ id: number; agencyId: number } | null> {
  const row = await db.agencyToken.findUnique({ where: { tokenHash: parseInput(hashSchema, tokenHash, 'token hash') }, select: { id: true, agencyId: true, revokedAt: true } });
  if (!row || row.revokedAt) return null;
  await db.agencyToken.update({ where: { id: row.id }, data: { lastUsedAt: now }, select: { id: true } });
  return { id: row.id, agencyId: row.agencyId };
}

export async function listAgencyTokens(db: Db, agencyId: number): Promise<AgencyTokenView[]> {
  return db.agencyToken.findMany({ where: { agencyId: parseInput(idSchema, agencyId, 'agency id') }, select: tokenSelect, orderBy: { id: 'asc' } });
}
