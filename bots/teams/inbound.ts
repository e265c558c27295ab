import { createHash, randomUUID } from 'node:crypto';
import { TurnContext, type Activity } from 'botbuilder';
import type { InboundEvent } from '../../src/core/types.js';

const str = (v: unknown, max: number): v is string => typeof v === 'string' && v.length > 0 && v.length <= max;
const idOf = (v: unknown): unknown => (v && typeof v === 'object' ? (v as { id?: unknown }).id : undefined);

/**
 * Checks that a POSTed body is an activity the adapter can process without throwing: Bot Framework's
 * `process` and the turn state both assume these fields, and an unguarded throw there would take the process down.
 * Returns what is wrong, or null.
 */
export function activityProblem(body: unknown): string | null {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return 'body is not an activity object';
  const a = body as Record<string, unknown>;
  if (!str(a.type, 64)) return 'missing type';
  if (!str(a.channelId, 64)) return 'missing channelId';
  if (!str(a.serviceUrl, 500) || !/^https?:\/\//i.test(a.serviceUrl)) return 'missing or invalid serviceUrl';
  if (!str(idOf(a.conversation), 500)) return 'missing conversation.id';
  if (!str(idOf(a.from), 200)) return 'missing from.id';
  if (!str(idOf(a.recipient), 200)) return 'missing recipient.id';
  if (a.value !== undefined && (a.value === null || typeof a.value !== 'object' || Array.isArray(a.value))) {
    if (a.type === 'message') return 'value must be an object';
  }
  return null;
}

/** True for the loopback addresses the anonymous local mode accepts. */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || h === '::ffff:127.0.0.1' || /^127\.\d+\.\d+\.\d+$/.test(h) || /^::ffff:127\./.test(h);
}

/**
 * True when the activity comes from Teams with a signed-in AAD user. Other Bot Framework channels (Web Chat,
 * Direct Line) let the client choose `from.id`, so they could impersonate a counsellor: they are refused.
 */
export function isTeamsUser(activity: Activity): boolean {
  return activity.channelId === 'msteams' && typeof activity.from?.aadObjectId === 'string' && activity.from.aadObjectId.length > 0;
}

/**
 * Teams activity ids are unique per conversation only: the conversation id is part of the delivery id
 * (hashed when long). Without an id a redelivery cannot be recognised; a random id lets the turn run once.
 */
function eventIdOf(activity: Activity): string {
  if (!activity.id) return `noid-${randomUUID()}`;
  const raw = `${activity.conversation.id}:${activity.id}`;
  return raw.length <= 200 ? raw : `h:${createHash('sha256').update(raw).digest('hex')}`;
}

/**
 * Maps a Teams message (typed text or an Adaptive Card Action.Submit) to the core's event.
 * The user is the AAD object id (stable across chats); the conversation reference is kept for alerts.
 */
export function toInboundEvent(activity: Activity, receivedAt: Date): InboundEvent {
  const value = activity.value && typeof activity.value === 'object' && !Array.isArray(activity.value) ? (activity.value as Record<string, unknown>) : undefined;
  const action = typeof value?.action === 'string' ? value.action : undefined;
  const formData = value ? Object.fromEntries(Object.entries(value).filter(([k]) => k !== 'action' && k !== 'label')) : undefined;
  const text = typeof activity.text === 'string' ? activity.text.trim() : undefined;
  return {
    channel: 'teams',
    channelUserId: activity.from.aadObjectId!,
    channelConversationId: activity.conversation.id,
    ...(action !== undefined ? { action } : text !== undefined ? { text } : {}),
    ...(formData && Object.keys(formData).length > 0 ? { formData } : {}),
    ...(activity.locale ? { locale: activity.locale.slice(0, 20) } : {}),
    receivedAt,
    eventId: eventIdOf(activity),
    address: TurnContext.getConversationReference(activity),
    ...(activity.from.name ? { displayName: activity.from.name.slice(0, 200) } : {}),
  };
}

/** Longest label accepted as the trace of a pressed button (`label` in the submit data, written by cards.ts). */
const MAX_LABEL = 80;

/** The label of the button pressed, when the activity is a card submit that carries one (untrusted: shown as plain text only). */
export function pressedLabel(activity: Activity): string | undefined {
  const value = activity.value && typeof activity.value === 'object' ? (activity.value as Record<string, unknown>) : undefined;
  const label = typeof value?.action === 'string' ? value.label : undefined;
  return typeof label === 'string' && label.trim().length > 0 ? label.trim().slice(0, MAX_LABEL) : undefined;
}

/**
 * The core event for a welcome (`conversationUpdate` with `membersAdded`: the bot installed, or the chat opened):
 * the help action, so the card says what the bot can do, and the conversation reference is stored by the core as
 * on any turn of a known counsellor. The event id is the activity's, so a redelivered update welcomes once.
 */
export function welcomeEvent(activity: Activity, receivedAt: Date, helpAction: string): InboundEvent | null {
  if (!isTeamsUser(activity) || !activity.membersAdded?.length) return null;
  return { ...toInboundEvent({ ...activity, value: undefined, text: undefined } as unknown as Activity, receivedAt), action: helpAction };
}
