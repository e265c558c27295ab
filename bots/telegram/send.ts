import type { Api } from 'grammy';
import { isNotModified } from './errors.js';
import type { TelegramMessage } from './render.js';

function options(message: TelegramMessage) {
  return {
    parse_mode: 'HTML' as const,
    // Source links would otherwise unfold into large previews that push the answer off screen.
    link_preview_options: { is_disabled: true },
    ...(message.keyboard.length > 0 ? { reply_markup: { inline_keyboard: message.keyboard } } : {}),
  };
}

/** Sends rendered messages to a chat, in order. */
export async function sendMessages(api: Api, chatId: number | string, messages: TelegramMessage[]): Promise<void> {
  for (const m of messages) await api.sendMessage(chatId, m.html, options(m));
}

/**
 * Replaces the message that carried a pressed button (paging a list) with the first rendered message and
 * sends the rest. When Telegram cannot edit that message (too old, deleted), everything is sent anew.
 */
export async function editThenSend(api: Api, chatId: number | string, messageId: number, messages: TelegramMessage[]): Promise<void> {
  const [first, ...rest] = messages;
  if (!first) return;
  let edited = false;
  try {
    await api.editMessageText(chatId, messageId, first.html, options(first));
    edited = true;
  } catch (err) {
    if (isNotModified(err)) edited = true;
  }
  await sendMessages(api, chatId, edited ? rest : messages);
}
