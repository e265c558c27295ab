import type { NotificationInput, Store } from '../store/index.js';

/** Notifications addressed to a youth's counsellor (a proposal comes from the counsellor who makes it). */
type CounsellorNotification = Extract<NotificationInput, { kind: 'youth_interested' | 'youth_request' | 'proposal_answer' }>;

/**
 * Whether a counsellor can still be told anything: one removed from their Mission locale's file is deactivated by
 * the counsellor import (`src/import/counsellors.ts`), loses access at once, and receives nothing more: nothing is
 * queued for them, and what was queued before is dropped at delivery (`outbox.ts`, why `recipient_gone`). Their
 * youth stay with the Mission locale, listed for reassignment; the youth's request itself is still on the file.
 */
export function isReachableCounsellor<C extends { active: boolean }>(counsellor: C | null): counsellor is C {
  return counsellor !== null && counsellor.active;
}

/** Queues a notification for the youth's counsellor, unless they were deactivated. Returns whether it was queued. */
export async function notifyCounsellor(store: Store, n: CounsellorNotification): Promise<boolean> {
  if (!isReachableCounsellor(await store.counsellors.findCounsellorById(n.counsellorId))) return false;
  await store.notifications.enqueueNotification(n);
  return true;
}

/** What a youth whose counsellor left is told instead of "your counsellor knows" (the reply tells the truth). */
export const COUNSELLOR_LEFT = 'Ta Mission locale va désigner une autre personne pour te suivre ; ta demande est dans ton dossier.';
