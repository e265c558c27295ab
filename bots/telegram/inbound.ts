import type { Update } from 'grammy/types';
import type { InboundEvent } from '../../src/core/types.js';
import { readCommand } from '../../src/core/commands.js';

/** Where an update comes from: only private chats are served. */
export type ChatKind = 'private' | 'group' | 'none';

/** Whether an update comes from a private chat, a group or channel, or no chat at all. */
export function chatKind(update: Update): ChatKind {
  const chat =
    update.message?.chat ??
    update.edited_message?.chat ??
    update.callback_query?.message?.chat ??
    update.channel_post?.chat ??
    update.edited_channel_post?.chat ??
    update.my_chat_member?.chat;
  if (!chat) return 'none';
  return chat.type === 'private' ? 'private' : 'group';
}

/**
 * Maps a Telegram update to the core's event, or null when there is nothing for the core
 * (edits, inline queries, membership changes…).
 * - text message: its text; a slash command is read by the core's table (`readCommand`) into an action, or text;
 * - any other message (sticker, photo, voice…): empty text, which the core answers by asking for a written message;
 * - button press: the button's opaque callback data as `action`.
 */
export function toInboundEvent(update: Update, receivedAt: Date, botUsername?: string): InboundEvent | null {
  const base = { channel: 'telegram' as const, eventId: String(update.update_id), receivedAt };
  const cq = update.callback_query;
  if (cq) {
    const chat = cq.message?.chat;
    if (!chat || cq.data === undefined) return null;
    return {
      ...base,
      channelUserId: String(cq.from.id),
      channelConversationId: String(chat.id),
      action: cq.data,
      ...person(cq.from),
    };
  }
  const msg = update.message;
  if (!msg?.from) return null;
  const text = typeof msg.text === 'string' ? msg.text : '';
  const command = text.startsWith('/') ? readCommand(text, botUsername) : null;
  return {
    ...base,
    channelUserId: String(msg.from.id),
    channelConversationId: String(msg.chat.id),
    ...(command ?? { text }),
    ...person(msg.from),
  };
}

function person(from: { language_code?: string; first_name: string }): Pick<InboundEvent, 'locale' | 'displayName'> {
  return {
    ...(from.language_code ? { locale: from.language_code } : {}),
    ...(from.first_name ? { displayName: from.first_name.slice(0, 200) } : {}),
  };
}
