import type { Store, PendingNotification } from '../store/index.js';
import type { Reply } from './types.js';
import { renderCounsellorNotification } from './counsellor/notifications.js';
import { renderMissionProposal } from './youth/notifications.js';

/**
 * Proactive messages. Handlers enqueue notifications (ids only) in the store; each channel's delivery loop
 * asks the outbox for what it can deliver, sends it, and acknowledges. The text is rendered from the store
 * at delivery time, so a message never carries stale or invented facts.
 */
export interface Delivery {
  notificationId: number;
  /** Telegram: the youth's chat id. Teams: the counsellor's stored conversation reference (opaque JSON). */
  address: unknown;
  reply: Reply;
}

export interface Outbox {
  /** Pending deliveries for a channel; items without an address yet stay pending (or fail after retries). */
  pending(channel: 'telegram' | 'teams', take?: number): Promise<Delivery[]>;
  delivered(notificationId: number): Promise<void>;
  failed(notificationId: number, reason: string): Promise<void>;
}

const MAX_SCAN_ROUNDS = 25;

export function createOutbox(store: Store): Outbox {
  async function render(channel: 'telegram' | 'teams', n: PendingNotification): Promise<Delivery | 'skip' | 'drop'> {
    const p = n.payload;
    if (channel === 'telegram') {
      if (p.kind !== 'mission_proposal') return 'skip';
      const chatId = await store.youth.findTelegramChat(p.youthId);
      if (!chatId) return 'drop';
      const reply = await renderMissionProposal(store, p);
      return reply ? { notificationId: n.id, address: chatId, reply } : 'drop';
    }
    if (p.kind === 'mission_proposal') return 'skip';
    const counsellor = await store.counsellors.findCounsellorById(p.counsellorId);
    if (!counsellor) return 'drop';
    const address = await findTeamsAddress(store, p.counsellorId);
    if (!address) return 'skip';
    const reply = await renderCounsellorNotification(store, p);
    if (!reply) return 'drop';
    // The alert shows the youth's name to the counsellor: a read of the file, audited like one.
    await store.audit.recordAudit({ actorType: 'system', actorId: 'outbox', action: 'notify_counsellor', youthId: p.youthId, channel: 'teams', detail: { kind: p.kind, counsellorId: p.counsellorId } });
    return { notificationId: n.id, address, reply };
  }

  return {
    async pending(channel, take = 20) {
      const kinds = channel === 'telegram' ? (['mission_proposal'] as const) : (['youth_interested', 'youth_request'] as const);
      const out: Delivery[] = [];
      // Items waiting for an address (a counsellor who never opened the bot) are paged past, so they never block
      // the others; the scan is bounded per round.
      let cursor = 0;
      for (let round = 0; round < MAX_SCAN_ROUNDS && out.length < take; round++) {
        const rows = await store.notifications.listPendingNotifications([...kinds], take, cursor);
        if (rows.length === 0) break;
        for (const n of rows) {
          cursor = n.id;
          const d = await render(channel, n);
          if (d === 'drop') await store.notifications.markNotificationFailed(n.id, 'recipient unreachable', 1);
          else if (d !== 'skip' && out.length < take) out.push(d);
        }
      }
      return out;
    },
    delivered: (id) => store.notifications.markNotificationSent(id),
    failed: (id, reason) => store.notifications.markNotificationFailed(id, reason),
  };
}

/** Teams conversation references are stored per counsellor id when the counsellor talks to the bot. */
export function teamsAddressKey(counsellorId: number): string {
  return `counsellor:${counsellorId}`;
}

async function findTeamsAddress(store: Store, counsellorId: number): Promise<unknown> {
  return store.conversation.findChannelAddress('teams', teamsAddressKey(counsellorId));
}
