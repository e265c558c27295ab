import type { Api } from 'grammy';
import { isNotModified, toDeliveryFailure } from './errors.js';
import type { TelegramMessage } from './render.js';

function options(message: TelegramMessage) {
  return {
    parse_mode: 'HTML' as const,
    // Source links would otherwise unfold into large previews that push the answer off screen.
    link_preview_options: { is_disabled: true },
    ...(message.keyboard.length > 0 ? { reply_markup: { inline_keyboard: message.keyboard } } : {}),
  };
}

/**
 * Sends rendered messages to a chat, in order, from the `skip`-th on. A failure is thrown as a classified
 * `DeliveryFailure` that counts the messages sent before it, so a later attempt sends only the rest.
 */
export async function sendMessages(api: Api, chatId: number | string, messages: TelegramMessage[], skip = 0): Promise<void> {
  let sent = skip;
  try {
    for (const m of messages.slice(skip)) {
      await api.sendMessage(chatId, m.html, options(m));
      sent++;
    }
  } catch (err) {
    throw toDeliveryFailure(err).after(sent);
  }
}

/**
 * Replaces the message that carried a pressed button (paging a list) with the first rendered message and
 * sends the rest. When Telegram cannot edit that message (too old, deleted), everything is sent anew; when
 * it refuses for a passing reason (429, 5xx, network), the failure is thrown like a failed send.
 */
export async function editThenSend(api: Api, chatId: number | string, messageId: number, messages: TelegramMessage[]): Promise<void> {
  const [first] = messages;
  if (!first) return;
  let edited = false;
  try {
    await api.editMessageText(chatId, messageId, first.html, options(first));
    edited = true;
  } catch (err) {
    if (isNotModified(err)) edited = true;
    else {
      const failure = toDeliveryFailure(err);
      if (failure.failureClass !== 'rejected') throw failure.after(0);
    }
  }
  await sendMessages(api, chatId, messages, edited ? 1 : 0);
}
