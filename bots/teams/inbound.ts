import { createHash, randomUUID } from 'node:crypto';
import type { Activity, ConversationReference } from 'botbuilder';
import { z } from 'zod';
import type { InboundEvent } from '../../src/core/types.js';

/** A serviceUrl Bot Framework can be answered at: an absolute http(s) URL with a host. */
const serviceUrlSchema = z
  .string()
  .max(500)
  .refine((u) => {
    if (!URL.canParse(u)) return false;
    const url = new URL(u);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname.length > 0;
  }, 'an absolute http(s) URL');
const accountSchema = z.looseObject({
  id: z.string().min(1).max(200),
  role: z.string().max(32).optional(),
  name: z.string().max(256).optional(),
  aadObjectId: z.string().max(100).optional(),
});

/**
 * The fields of an activity that Bot Framework's `processActivity`, teams-ai and our mapping read, checked at the
 * edge (types, lengths, URLs): an activity that does not fit gets 400 instead of an unguarded throw further in.
 * Other fields pass through untouched.
 */
export const activitySchema = z
  .looseObject({
    type: z.string().min(1).max(64),
    id: z.string().max(500).optional(),
    channelId: z.string().min(1).max(64),
    serviceUrl: serviceUrlSchema,
    conversation: z.looseObject({
      id: z.string().min(1).max(500),
      conversationType: z.string().max(64).optional(),
      tenantId: z.string().max(100).optional(),
      isGroup: z.boolean().optional(),
      name: z.string().max(500).optional(),
    }),
    replyToId: z.string().max(500).optional(),
    from: accountSchema,
    recipient: accountSchema,
    locale: z.string().max(35).optional(),
    /** Teams caps a message near 28 KB; the core answers a long text politely, so only absurd sizes are refused. */
    text: z.string().max(100_000).optional(),
    textFormat: z.string().max(32).optional(),
    deliveryMode: z.string().max(32).optional(),
    entities: z
      .array(z.looseObject({ type: z.string().max(100), text: z.string().max(1_000).optional(), mentioned: z.looseObject({ id: z.string().max(200).optional(), name: z.string().max(256).optional() }).optional() }))
      .max(100)
      .optional(),
    attachments: z.array(z.unknown()).max(50).optional(),
    membersAdded: z.array(accountSchema).max(1_000).optional(),
    membersRemoved: z.array(accountSchema).max(1_000).optional(),
    channelData: z.looseObject({ tenant: z.looseObject({ id: z.string().max(100).optional() }).optional() }).optional(),
    value: z.unknown().optional(),
  })
  .refine((a) => a.type !== 'message' || a.value === undefined || (typeof a.value === 'object' && a.value !== null && !Array.isArray(a.value)), {
    message: 'a message value must be an object',
    path: ['value'],
  });

/** Checks a POSTed body: the activity, or what is wrong with it (a field path, no values). */
export function checkActivity(body: unknown): { ok: true; activity: Activity } | { ok: false; problem: string } {
  const parsed = activitySchema.safeParse(body);
  if (parsed.success) return { ok: true, activity: parsed.data as unknown as Activity };
  const issue = parsed.error.issues[0];
  return { ok: false, problem: issue?.path.length ? `invalid ${issue.path.join('.')}` : 'body is not an activity object' };
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
 * The conversation reference kept for proactive messages: botbuilder's, without the id of the activity it was taken
 * from. That id changes with every message, and a proactive message in a personal chat does not answer one; kept,
 * it made every turn rewrite an address that had not changed.
 */
export function proactiveAddress(reference: Partial<ConversationReference>): Partial<ConversationReference> {
  const { activityId: _activityId, ...address } = reference;
  return address;
}

/**
 * Maps a Teams message (typed text or an Adaptive Card Action.Submit) to the core's event.
 * The user is the AAD object id (stable across chats); the conversation reference (`address`, from botbuilder's
 * `TurnContext.getConversationReference`) is kept for alerts.
 */
export function toInboundEvent(activity: Activity, receivedAt: Date, address: Partial<ConversationReference>): InboundEvent {
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
    address,
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
export function welcomeEvent(activity: Activity, receivedAt: Date, helpAction: string, address: Partial<ConversationReference>): InboundEvent | null {
  if (!isTeamsUser(activity) || !activity.membersAdded?.length) return null;
  return { ...toInboundEvent({ ...activity, value: undefined, text: undefined } as unknown as Activity, receivedAt, address), action: helpAction };
}
