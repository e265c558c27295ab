import type { Update } from 'grammy/types';
import { z } from 'zod';

/**
 * The shape of the Telegram updates the bot handles, checked at the edge before grammY or the mapping reads them.
 * Only the fields we read are constrained (types and lengths, with room above Telegram's own limits); the rest
 * passes through. An update that does not fit was not written by Telegram, or is of a kind we never serve.
 */
const userSchema = z.looseObject({
  id: z.number().int().safe(),
  is_bot: z.boolean().optional(),
  first_name: z.string().max(256),
  language_code: z.string().max(35).optional(),
  username: z.string().max(64).optional(),
});
const chatSchema = z.looseObject({
  id: z.number().int().safe(),
  type: z.enum(['private', 'group', 'supergroup', 'channel']),
});
/** Telegram caps a text at 4,096 characters; the core answers a long one politely, so the edge only refuses absurd sizes. */
const messageSchema = z.looseObject({
  message_id: z.number().int(),
  chat: chatSchema,
  from: userSchema.optional(),
  text: z.string().max(16_384).optional(),
});
const callbackQuerySchema = z.looseObject({
  id: z.string().min(1).max(256),
  from: userSchema,
  /** Telegram's limit is 64 bytes; ours are shorter (MAX_ACTION_LENGTH). */
  data: z.string().max(256).optional(),
  message: z.looseObject({ message_id: z.number().int(), chat: chatSchema }).optional(),
});
/** The bot's own membership changed (blocked, unblocked): the handler reads the new status. */
const chatMemberSchema = z.looseObject({ status: z.string().min(1).max(32) });
const memberSchema = z.looseObject({ chat: chatSchema, from: userSchema, new_chat_member: chatMemberSchema, old_chat_member: chatMemberSchema.optional() });

const handledUpdateSchema = z.looseObject({
  update_id: z.number().int().nonnegative().safe(),
  message: messageSchema.optional(),
  callback_query: callbackQuerySchema.optional(),
  channel_post: messageSchema.optional(),
  my_chat_member: memberSchema.optional(),
});

/** The update kinds the bot serves (also what it asks Telegram for, `allowed_updates`). */
export const HANDLED_UPDATE_KINDS = ['message', 'callback_query', 'my_chat_member', 'channel_post'] as const;

export type UpdateCheck =
  /** Not a Telegram update at all (no numeric update_id, not an object): 400. */
  | { kind: 'not_an_update' }
  /** An update the bot will never handle: answered 200 (so Telegram stops sending it) and logged once. */
  | { kind: 'ignored'; updateId: number; reason: string }
  | { kind: 'ok'; update: Update };

/**
 * The bodies that passed, so one update is parsed once: the webhook checks the body, then grammY hands that same
 * object to the bot's middleware, whose check (there for polling) then costs a lookup (the schema was ~2% of a
 * webhook turn's CPU, twice). Updates are not changed after the edge, and a new body is a new object.
 */
const passed = new WeakSet<object>();

/** Checks a webhook body or a fetched update; never throws. */
export function checkUpdate(body: unknown): UpdateCheck {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return { kind: 'not_an_update' };
  if (passed.has(body)) return { kind: 'ok', update: body as Update };
  const updateId = (body as { update_id?: unknown }).update_id;
  if (typeof updateId !== 'number' || !Number.isSafeInteger(updateId) || updateId < 0) return { kind: 'not_an_update' };
  const parsed = handledUpdateSchema.safeParse(body);
  if (!parsed.success) return { kind: 'ignored', updateId, reason: `invalid ${parsed.error.issues[0]?.path.join('.') ?? 'update'}` };
  const present = HANDLED_UPDATE_KINDS.filter((k) => parsed.data[k] !== undefined);
  if (present.length !== 1) return { kind: 'ignored', updateId, reason: present.length === 0 ? 'unhandled update kind' : 'several update kinds' };
  passed.add(body);
  return { kind: 'ok', update: parsed.data as unknown as Update };
}
