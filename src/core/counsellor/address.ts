import { teamsAddressKey } from '../outbox.js';
import type { CounsellorContext } from './context.js';

/**
 * Keeps the counsellor's Teams conversation reference so alerts can be pushed later (the outbox reads it by
 * counsellor id). Written only when it changed: most turns just compare.
 */
export async function rememberTeamsAddress(ctx: CounsellorContext): Promise<void> {
  const { event } = ctx;
  if (event.channel !== 'teams' || !isConversationReference(event.address)) return;
  const key = teamsAddressKey(ctx.actor.counsellor.id);
  const stored = await ctx.store.conversation.findChannelAddress('teams', key);
  if (sameJson(stored, event.address)) return;
  await ctx.store.conversation.saveChannelAddress('teams', key, event.address);
}

/** Equal as JSON whatever the order of keys (PostgreSQL's jsonb hands them back in its own order). */
function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)).map(([k, x]) => [k, canonical(x)]));
  return v;
}

/** The minimum a Bot Framework conversation reference needs to be usable for a proactive message. */
function isConversationReference(a: unknown): boolean {
  if (!a || typeof a !== 'object') return false;
  const r = a as { serviceUrl?: unknown; conversation?: { id?: unknown } };
  return typeof r.serviceUrl === 'string' && /^https?:\/\//.test(r.serviceUrl) && typeof r.conversation?.id === 'string' && JSON.stringify(a).length < 4_000;
}
