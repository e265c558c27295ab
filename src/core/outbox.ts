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
    return reply ? { notificationId: n.id, address, reply } : 'drop';
  }

  return {
    async pending(channel, take = 20) {
      const kinds = channel === 'telegram' ? (['mission_proposal'] as const) : (['youth_interested', 'youth_request'] as const);
      const rows = await store.notifications.listPendingNotifications([...kinds], take);
      const out: Delivery[] = [];
      for (const n of rows) {
        const d = await render(channel, n);
        if (d === 'drop') await store.notifications.markNotificationFailed(n.id, 'recipient unreachable', 1);
        else if (d !== 'skip') out.push(d);
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
