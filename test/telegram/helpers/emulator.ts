import net from 'node:net';
import type { Transformer } from 'grammy';
import { TelegramServer, type StoredBotUpdate } from 'telegram-test-api/lib/telegramServer.js';
import type { TelegramClient } from 'telegram-test-api/lib/modules/telegramClient.js';
import type { InlineKeyboardButton } from 'grammy/types';

/** A free TCP port on localhost (the emulator turns port 0 into 9000, so it needs an explicit one). */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

/**
 * What the emulator lacks, answered locally: chat actions, the command menu and the profile texts. Empty getUpdates answers are
 * delayed because the emulator ignores the long-polling timeout (the runner would spin otherwise).
 */
export const emulatorShim: Transformer = async (prev, method, payload, signal) => {
  if (['sendChatAction', 'setMyCommands', 'setMyDescription', 'setMyShortDescription', 'sendPhoto'].includes(method)) return { ok: true, result: true } as never;
  const res = await prev(method, payload, signal);
  if (method === 'getUpdates' && res.ok && Array.isArray(res.result) && res.result.length === 0) {
    await new Promise((r) => setTimeout(r, 50));
  }
  return res;
};

export interface BotMessage {
  messageId: number;
  chatId: string;
  text: string;
  keyboard: InlineKeyboardButton.CallbackButton[][];
  parseMode?: string;
}

function toBotMessage(u: StoredBotUpdate): BotMessage {
  const m = u.message as unknown as { chat_id: number | string; text: string; parse_mode?: string; reply_markup?: { inline_keyboard?: InlineKeyboardButton.CallbackButton[][] } };
  return { messageId: u.messageId, chatId: String(m.chat_id), text: m.text, keyboard: m.reply_markup?.inline_keyboard ?? [], ...(m.parse_mode ? { parseMode: m.parse_mode } : {}) };
}

/** The emulator, started on a free port of 127.0.0.1. */
export async function startEmulator(): Promise<{ server: TelegramServer; apiRoot: string; stop(): Promise<void> }> {
  const port = await freePort();
  const server = new TelegramServer({ port, host: '127.0.0.1', storeTimeout: 600 });
  await server.start();
  return {
    server,
    apiRoot: `http://127.0.0.1:${port}`,
    stop: async () => void (await server.stop()),
  };
}

/** The bot's messages to a chat as the emulator holds them now (edits applied in place). */
export function botMessages(server: TelegramServer, token: string, chatId: number): BotMessage[] {
  return server.storage.botMessages.filter((u) => u.botToken === token && String(u.message.chat_id) === String(chatId)).map(toBotMessage);
}

/**
 * A young person talking to the bot through the emulator's client. Each step sends something and waits until
 * the bot has answered (a new message or an edit) and stayed quiet for a moment.
 */
export class Youth {
  private edits = 0;
  constructor(
    readonly server: TelegramServer,
    readonly client: TelegramClient,
    readonly token: string,
    readonly chatId: number,
  ) {
    server.on('EditedMessageText', () => this.edits++);
  }

  messages(): BotMessage[] {
    return botMessages(this.server, this.token, this.chatId);
  }

  /** Sends a text message (a command when it starts with "/"); returns the new bot messages. */
  async say(text: string): Promise<BotMessage[]> {
    return this.step(async () => {
      if (text.startsWith('/')) await this.client.sendCommand(this.client.makeCommand(text));
      else await this.client.sendMessage(this.client.makeMessage(text));
    });
  }

  /** Presses the button labelled `label` (exact or a RegExp) on the latest bot message that has it. */
  async press(label: string | RegExp): Promise<{ messages: BotMessage[]; pressedOn: BotMessage; edited: BotMessage | undefined }> {
    const match = (b: InlineKeyboardButton.CallbackButton) => (typeof label === 'string' ? b.text === label : label.test(b.text));
    const carrier = [...this.messages()].reverse().find((m) => m.keyboard.flat().some(match));
    if (!carrier) throw new Error(`no button ${String(label)} in: ${JSON.stringify(this.messages().map((m) => m.keyboard.flat().map((b) => b.text)))}`);
    const button = carrier.keyboard.flat().find(match)!;
    const messages = await this.step(async () => {
      await this.client.sendCallback(this.client.makeCallbackQuery(button.callback_data, { message: { message_id: carrier.messageId } }));
    });
    return { messages, pressedOn: carrier, edited: this.messages().find((m) => m.messageId === carrier.messageId && m.text !== carrier.text) };
  }

  private async step(send: () => Promise<void>): Promise<BotMessage[]> {
    const before = this.messages().length;
    const editsBefore = this.edits;
    await send();
    const deadline = Date.now() + 15_000;
    while (this.messages().length === before && this.edits === editsBefore) {
      if (Date.now() > deadline) throw new Error('the bot did not answer');
      await new Promise((r) => setTimeout(r, 20));
    }
    // A reply may span several messages: wait until nothing new arrives for a moment.
    let count = -1;
    while (count !== this.messages().length + this.edits) {
      count = this.messages().length + this.edits;
      await new Promise((r) => setTimeout(r, 250));
    }
    return this.messages().slice(before);
  }
}
