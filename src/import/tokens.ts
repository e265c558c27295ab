import { createHash, randomBytes } from 'node:crypto';

/** Agency tokens look like `mjag_` + 43 base64url characters (256 random bits): easy to spot in a leaked config. */
const TOKEN_PATTERN = /^mjag_[A-Za-z0-9_-]{43}$/;

/** sha256 hex of a token: what the store keeps and looks up. */
export function hashAgencyToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** A new random token and its hash; the clear token is shown once and never stored. */
export function newAgencyToken(): { token: string; hash: string } {
  const token = `mjag_${randomBytes(32).toString('base64url')}`;
  return { token, hash: hashAgencyToken(token) };
}

/** True when `s` has the shape of an agency token (checked before any database look-up). */
export function looksLikeAgencyToken(s: string): boolean {
  return TOKEN_PATTERN.test(s);
}
