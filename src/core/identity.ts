import type { CaseloadScope, CounsellorView, Store } from '../store/index.js';
import type { Actor } from './context.js';
import type { InboundEvent } from './types.js';

/**
 * Decides who is talking, from the channel identity only:
 * - Telegram: a youth when their Telegram account is linked to a file, otherwise anonymous;
 * - Teams: a counsellor when the AAD object id is known and still active, otherwise an unknown staff member who
 *   gets nothing (a counsellor deactivated by the counsellor import loses access at once);
 * - terminal: "youth:<id>", "counsellor:<email>" or anything else (anonymous), for local try-outs and scripts.
 */
export async function resolveActor(store: Store, event: InboundEvent): Promise<Actor> {
  const { channel, channelUserId } = event;
  if (channel === 'teams') return counsellorActor(await store.counsellors.findCounsellorByAadObjectId(channelUserId), channelUserId);
  if (channel === 'terminal') {
    const [kind, ref] = splitOnce(channelUserId);
    if (kind === 'counsellor' && ref) return counsellorActor(await store.counsellors.findCounsellorByEmail(ref), channelUserId);
    if (kind === 'youth' && ref && /^\d{1,9}$/.test(ref)) {
      const youth = await store.youth.findYouthById(Number(ref));
      if (youth && !youth.anonymizedAt) return { kind: 'youth', youth, channelUserId };
    }
    return { kind: 'anonymous', channel, channelUserId };
  }
  if (/^\d{1,20}$/.test(channelUserId)) {
    const youth = await store.youth.findYouthByTelegramUser(channelUserId);
    if (youth && !youth.anonymizedAt) return { kind: 'youth', youth, channelUserId };
  }
  return { kind: 'anonymous', channel, channelUserId };
}

function counsellorActor(counsellor: CounsellorView | null, channelUserId: string): Actor {
  if (!counsellor || !counsellor.active) return { kind: 'unknown_staff', channelUserId };
  return { kind: 'counsellor', counsellor, scope: scopeOf(counsellor) };
}

/** What a counsellor sees: their own caseload; a manager, their whole Mission locale (turns and the daily digest alike). */
export function scopeOf(counsellor: Pick<CounsellorView, 'id' | 'role' | 'missionLocaleId'>): CaseloadScope {
  return counsellor.role === 'manager' ? { missionLocaleId: counsellor.missionLocaleId } : { counsellorId: counsellor.id };
}

function splitOnce(s: string): [string, string | undefined] {
  const i = s.indexOf(':');
  return i < 0 ? [s, undefined] : [s.slice(0, i), s.slice(i + 1)];
}
