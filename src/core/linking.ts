import { createHash, randomInt } from 'node:crypto';
import type { TurnContext } from './context.js';

/** No 0/O, 1/I/L: a code read over the phone or copied by hand must not be ambiguous. */
export const CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
export const CODE_LENGTH = 8;

/** A random one-time code from the unambiguous alphabet (crypto-grade randomness, ~39 bits). */
export function generateLinkCode(): string {
  let code = '';
  for (let i = 0; i < CODE_LENGTH; i++) code += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return code;
}

/** Canonical form of what a user typed: upper case, no spaces or dashes. */
export function normaliseCode(input: string): string {
  return input.toUpperCase().replace(/[\s-]/g, '');
}

/** Codes are stored as sha256 only; the clear code is shown once to the counsellor. */
export function hashLinkCode(code: string): string {
  return createHash('sha256').update(`mission-jeunes-link:${normaliseCode(code)}`).digest('hex');
}

export interface IssuedCode {
  code: string;
  expiresAt: Date;
  /** Telegram deep link (t.me/<bot>?start=<code>) when the bot's username is configured. */
  deepLink?: string;
}

/**
 * Issues a new code for a youth the caller may act on (the caller checks the scope first);
 * the previous codes of that youth stop working. Audited.
 */
export async function issueLinkCode(ctx: TurnContext, youthId: number): Promise<IssuedCode> {
  if (ctx.actor.kind !== 'counsellor') throw new Error('only counsellors issue link codes');
  const code = generateLinkCode();
  const expiresAt = new Date(ctx.now.getTime() + ctx.config.linkCodeTtlHours * 3_600_000);
  await ctx.store.linkCodes.createLinkCode({ youthId, issuedById: ctx.actor.counsellor.id, codeHash: hashLinkCode(code), expiresAt });
  await ctx.audit('create_link_code', youthId);
  const bot = ctx.config.telegramBotUsername;
  return { code, expiresAt, ...(bot ? { deepLink: `https://t.me/${bot}?start=${code}` } : {}) };
}

export type RedeemOutcome =
  | { ok: true; youthId: number }
  | { ok: false; reason: 'malformed' | 'unknown' | 'expired' | 'used' | 'revoked' | 'rate_limited' };

/**
 * Failed attempts over the whole code space in the last minute from which the service considers itself flooded
 * (someone guessing at scale). A flood does not stop anyone: it lowers every account's allowance to one failed
 * attempt per cool-down, so guessers slow down five-fold while a young person with a valid code still links.
 */
export const FLOOD_FAILURES_PER_MINUTE = 100;
/** Failed attempts an account may make per cool-down while the service is flooded. */
export const FLOOD_ATTEMPTS_PER_ACCOUNT = 1;

/**
 * Tries a code typed by a Telegram user and, when it is valid, links the account in the same transaction.
 * Wrong attempts are limited per account (N tries, then a cool-down; one try during a flood); the check and the
 * record are atomic per account (the turn's transaction, serialised per account). Every attempt is audited.
 */
export async function redeemLinkCode(ctx: TurnContext, typed: string): Promise<RedeemOutcome> {
  const actorId = `${ctx.event.channel}:${ctx.event.channelUserId}`.slice(0, 80);
  await ctx.store.linkCodes.serializeLinkAttempts(actorId);
  const since = new Date(ctx.now.getTime() - ctx.config.linkCooldownMinutes * 60_000);
  const [mine, everyone] = await Promise.all([
    ctx.store.audit.countAuditSince('anonymous', actorId, 'link_attempt_failed', since),
    ctx.store.audit.countActionSince('link_attempt_failed', new Date(ctx.now.getTime() - 60_000)),
  ]);
  const flooded = everyone >= FLOOD_FAILURES_PER_MINUTE;
  const allowance = flooded ? Math.min(FLOOD_ATTEMPTS_PER_ACCOUNT, ctx.config.linkMaxAttempts) : ctx.config.linkMaxAttempts;
  if (mine >= allowance) {
    await ctx.store.audit.recordAudit({ actorType: 'anonymous', actorId, action: 'link_attempt_blocked', channel: ctx.event.channel, at: ctx.now, detail: { flooded } });
    return { ok: false, reason: 'rate_limited' };
  }
  const code = normaliseCode(typed);
  const wellFormed = code.length === CODE_LENGTH && [...code].every((c) => CODE_ALPHABET.includes(c));
  const telegram = { userId: ctx.event.channelUserId, chatId: ctx.event.channelConversationId };
  const result = wellFormed
    ? await ctx.store.linkCodes.redeemLinkCodeAndLinkTelegram(hashLinkCode(code), telegram, ctx.now)
    : ({ ok: false, reason: 'malformed' } as const);
  if (!result.ok) {
    await ctx.store.audit.recordAudit({ actorType: 'anonymous', actorId, action: 'link_attempt_failed', channel: ctx.event.channel, at: ctx.now, detail: { reason: result.reason } });
    return result;
  }
  return result;
}
