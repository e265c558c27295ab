import type { Store } from '../store/index.js';
import type { OutgoingNotification } from '../store/repos/notifications.js';
import type { Reply } from './types.js';
import { renderCounsellorNotification } from './counsellor/notifications.js';
import { renderMissionProposal } from './youth/notifications.js';
import { renderAppointmentReminder } from './reminders.js';
import { isReachableCounsellor } from './recipients.js';
import { renderCounsellorDigest } from './counsellor/digest.js';
import { asking, isAnswerable } from './pending.js';
import { parseState } from './state.js';
import { endOfQuietHours, inQuietHours, renderMissionAlert } from './youth/alerts.js';

/**
 * What a proactive message says and where it goes, decided at delivery time from the store (payloads hold ids
 * only), so a message never carries stale or invented facts. The delivery engine (`src/delivery/engine.ts`)
 * asks for this before each attempt; the channel adapter only sends what it gets.
 */
export interface Delivery {
  notificationId: number;
  channel: 'telegram' | 'teams';
  /** Telegram: the chat id (string). Teams: the counsellor's stored conversation reference (opaque JSON). */
  address: unknown;
  /** The key of the address in the store's channel addresses (to mark it unreachable). */
  addressKey: string;
  reply: Reply;
  /** Messages of the rendered reply already sent by an earlier attempt: send the rest only. */
  skipParts: number;
}

/** A message ready to go, one that waits for its address, or one that has nobody to go to any more. */
export type PreparedDelivery =
  /** `sent`: what the core does once the message is out (never before: a failed send must leave no trace in the conversation). */
  | { state: 'ready'; delivery: Delivery; sent?: () => Promise<void> }
  | { state: 'waiting'; why: 'no_address' }
  /** An alert found in quiet hours: it goes at `until` (08:00 Paris), never dropped. */
  | { state: 'waiting'; why: 'quiet_hours'; until: Date }
  | { state: 'drop'; why: 'recipient_gone' | 'address_unreachable' | 'nothing_to_say' };

export interface Outbox {
  /** `now`: the delivery engine's clock (what is open, whether it is quiet hours). */
  prepare(n: OutgoingNotification, now?: Date): Promise<PreparedDelivery>;
}

/**
 * The one check of every message the bot sends a young person on its own (proposals, reminders, alerts…),
 * made at delivery: the chat to send to, or null when they unlinked, deleted their data, withdrew their consent
 * ("stop") or their file was anonymised since it was queued. Nothing queued before reaches them after that.
 */
export async function youthReachable(store: Store, youthId: number): Promise<string | null> {
  return store.consent.findReachableTelegramChat(youthId);
}

/** Teams conversation references are stored per counsellor id when the counsellor talks to the bot. */
export function teamsAddressKey(counsellorId: number): string {
  return `counsellor:${counsellorId}`;
}

/**
 * Builds the outbox's renderer over the store. `clock` is the core's clock, the one turns read pending questions
 * with; `prepare`'s `now` is the delivery engine's (what is open, quiet hours), the core's clock by default.
 */
export function createOutbox(store: Store, clock: () => Date = () => new Date()): Outbox {
  async function unreachable(channel: 'telegram' | 'teams', key: string) {
    return store.notifications.isAddressUnreachable(channel, key);
  }

  return {
    async prepare(n, now = clock()) {
      const p = n.payload;
      const base = { notificationId: n.id, channel: n.channel, skipParts: n.partsSent };
      if (p.kind === 'deferred_reply') {
        if (await unreachable(p.channel, p.address)) return { state: 'drop', why: 'address_unreachable' };
        return { state: 'ready', delivery: { ...base, address: p.address, addressKey: p.address, reply: { blocks: p.reply.blocks as Reply['blocks'] } } };
      }
      if (p.kind === 'mission_proposal' || p.kind === 'appointment_reminder' || p.kind === 'mission_alert') {
        const chatId = await youthReachable(store, p.youthId);
        // Unlinked, deleted or "stop" since: the message has nobody to go to (and must not reach a new owner of the chat).
        if (!chatId) return { state: 'drop', why: 'recipient_gone' };
        if (await unreachable('telegram', chatId)) return { state: 'drop', why: 'address_unreachable' };
        if (p.kind === 'mission_alert' && inQuietHours(now)) return { state: 'waiting', why: 'quiet_hours', until: endOfQuietHours(now) };
        const reply =
          p.kind === 'mission_proposal'
            ? await renderMissionProposal(store, p)
            : p.kind === 'appointment_reminder'
              ? await renderAppointmentReminder(store, p)
              : await renderMissionAlert(store, n.id, p, now);
        if (!reply) return { state: 'drop', why: 'nothing_to_say' };
        const delivery = { ...base, address: chatId, addressKey: chatId, reply };
        if (p.kind === 'mission_proposal') return { state: 'ready', delivery, sent: () => awaitProposalAnswer(store, p.youthId, p.missionId, clock()) };
        return { state: 'ready', delivery };
      }
      const counsellor = await store.counsellors.findCounsellorById(p.counsellorId);
      // Deleted, or deactivated by the counsellor import since the message was queued: nobody to tell.
      if (!isReachableCounsellor(counsellor)) return { state: 'drop', why: 'recipient_gone' };
      const key = teamsAddressKey(p.counsellorId);
      const address = await store.conversation.findChannelAddress('teams', key);
      // A counsellor who never opened the bot has no conversation reference yet: the alert waits for it.
      if (!address) return { state: 'waiting', why: 'no_address' };
      if (await unreachable('teams', key)) return { state: 'drop', why: 'address_unreachable' };
      if (p.kind === 'counsellor_digest') {
        const digest = await renderCounsellorDigest(store, p);
        if (!digest) return { state: 'drop', why: 'recipient_gone' };
        if (!digest.reply) return { state: 'drop', why: 'nothing_to_say' };
        // The digest names youth of the caseload: audited as one read of the listed files.
        await store.audit.recordAudit({ actorType: 'system', actorId: 'outbox', action: 'notify_counsellor', youthId: null, channel: 'teams', detail: { kind: p.kind, counsellorId: p.counsellorId, lines: digest.lines } });
        return { state: 'ready', delivery: { ...base, address, addressKey: key, reply: digest.reply } };
      }
      const reply = await renderCounsellorNotification(store, p);
      if (!reply) return { state: 'drop', why: 'nothing_to_say' };
      // The alert shows the youth's name to the counsellor: a read of the file, audited like one.
      await store.audit.recordAudit({ actorType: 'system', actorId: 'outbox', action: 'notify_counsellor', youthId: p.youthId, channel: 'teams', detail: { kind: p.kind, counsellorId: p.counsellorId } });
      return { state: 'ready', delivery: { ...base, address, addressKey: key, reply } };
    },
  };
}

/**
 * A delivered proposal (once sent: a "oui" must not answer a proposal that has not reached the chat) becomes the young person's pending question, so a typed "non merci" or "oui" in the next
 * minutes answers it (`youth/answers.ts`), and "ça m'intéresse" means this mission. A question already waiting
 * for an answer (a deletion to confirm) is left alone: the proposal's buttons still answer it at any time.
 */
async function awaitProposalAnswer(store: Store, youthId: number, missionId: number, now: Date): Promise<void> {
  const userId = await store.youth.findTelegramUserId(youthId);
  if (!userId) return;
  const state = parseState(await store.conversation.loadConversationState('telegram', userId));
  if (state.pending && isAnswerable(state.pending, now)) return;
  const next = asking({ ...state, focusMissionId: missionId, lastList: { kind: 'missions', ids: [missionId], offset: 0 } }, { kind: 'proposal', missionId }, now);
  await store.conversation.saveConversationState('telegram', userId, next);
}
