import http from 'node:http';
import { describe, expect, it } from 'vitest';
import { COMMANDS, readCommand } from '../../src/core/commands.js';
import { encodeAction } from '../../src/core/actions.js';
import { BOT_DESCRIPTION, BOT_SHORT_DESCRIPTION } from '../../bots/telegram/commands.js';
import { createTelegramChannel } from '../../bots/telegram/index.js';
import type { Reply } from '../../src/core/types.js';
import {
  BOT_INFO,
  callbackUpdate,
  commandUpdate,
  deps,
  fakeAssistant,
  fakeDelivery,
  groupUpdate,
  memoryLogger,
  messageUpdate,
  recordingApi,
  testConfig,
  textReply,
  textUpdate,
} from './helpers/fake-api.js';

function setup(answer?: Parameters<typeof fakeAssistant>[0], env: Record<string, string> = {}, fail?: Parameters<typeof recordingApi>[0]) {
  const api = recordingApi(fail);
  const { assistant, events } = fakeAssistant(answer);
  const { log, lines } = memoryLogger();
  const channel = createTelegramChannel(deps({ assistant, log, config: testConfig(env) }), { botInfo: BOT_INFO, transformers: [api.transformer] });
  return { channel, bot: channel.bot!, api, events, logLines: lines };
}

describe('commands', () => {
  it('hands every command of the menu to the core as its action, never as French text to classify', async () => {
    const { bot, events } = setup();
    for (const [i, c] of COMMANDS.entries()) await bot.handleUpdate(textUpdate(`/${c.command}`, 500 + i));
    expect(events.map((e) => e.action)).toEqual(COMMANDS.map((c) => encodeAction(c.action)));
    expect(events.every((e) => e.text === undefined)).toBe(true);
  });

  it('turns a /start deep link into a link code, keeps meaningful arguments, and leaves other bots\' commands alone', () => {
    expect(readCommand('/start ABC-123_x')).toEqual({ text: 'code ABC-123_x' });
    expect(readCommand('/start')).toEqual({ action: 'i:greeting' });
    expect(readCommand('/start <script>')).toEqual({ action: 'i:greeting' });
    expect(readCommand('/missions à Lyon')).toEqual({ text: 'chercher une mission à Lyon' });
    expect(readCommand('/rdv demain')).toEqual({ action: 'i:appointment' });
    expect(readCommand('/cancel')).toEqual({ action: 'cx' });
    expect(readCommand('/help@MissionJeunesBot', 'MissionJeunesBot')).toEqual({ action: 'ch' });
    expect(readCommand('/help@OtherBot', 'MissionJeunesBot')).toBeNull();
    expect(readCommand('/inconnue')).toBeNull();
    expect(readCommand('/HELP')).toEqual({ action: 'ch' });
  });

  it('lists the French commands with setMyCommands at start-up (and sets the webhook with its secret)', async () => {
    const { channel, api } = setup(undefined, { TELEGRAM_MODE: 'webhook', TELEGRAM_WEBHOOK_URL: 'https://bot.example/telegram/webhook', TELEGRAM_WEBHOOK_SECRET: 's3cret_tok-en' });
    await channel.start();
    const set = api.calls.find((c) => c.method === 'setMyCommands');
    expect((set?.payload.commands as { command: string }[]).map((c) => c.command)).toEqual(['start', 'help', 'missions', 'aides', 'conseiller', 'rdv', 'mesdonnees', 'settings', 'cancel']);
    const described = api.calls.filter((c) => c.method === 'setMyDescription').map((c) => c.payload);
    expect(described).toEqual([{ description: BOT_DESCRIPTION, language_code: 'fr' }, { description: BOT_DESCRIPTION }]);
    expect(api.calls.filter((c) => c.method === 'setMyShortDescription').map((c) => c.payload.short_description)).toEqual([BOT_SHORT_DESCRIPTION, BOT_SHORT_DESCRIPTION]);
    expect(BOT_DESCRIPTION.length).toBeLessThanOrEqual(512);
    expect(BOT_SHORT_DESCRIPTION.length).toBeLessThanOrEqual(120);
    const hook = api.calls.find((c) => c.method === 'setWebhook');
    expect(hook?.payload).toMatchObject({ url: 'https://bot.example/telegram/webhook', secret_token: 's3cret_tok-en' });
    expect(channel.status()).toBe('webhook /telegram/webhook');
    await channel.stop();
  });
});

describe('update -> InboundEvent', () => {
  it('maps a text message with ids, time and locale', async () => {
    const { bot, events } = setup();
    const update = textUpdate('jcherche 1 taf a lyon', 77);
    await bot.handleUpdate(update);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      channel: 'telegram',
      channelUserId: '77',
      channelConversationId: '77',
      text: 'jcherche 1 taf a lyon',
      eventId: String(update.update_id),
      locale: 'fr',
    });
    expect(events[0]!.receivedAt).toBeInstanceOf(Date);
    expect(events[0]!.action).toBeUndefined();
  });

  it('maps commands through the table, /start payload included', async () => {
    const { bot, events } = setup();
    await bot.handleUpdate(commandUpdate('/start'));
    await bot.handleUpdate(commandUpdate('/start K7P2QX'));
    await bot.handleUpdate(commandUpdate('/mesdonnees'));
    await bot.handleUpdate(commandUpdate('/rdv'));
    expect(events.map((e) => e.action ?? e.text)).toEqual(['i:greeting', 'code K7P2QX', 'i:delete_data', 'i:appointment']);
  });

  it('sends an empty text for stickers, photos and voice messages, so the core asks for a written message', async () => {
    const { bot, events } = setup();
    await bot.handleUpdate(messageUpdate({ sticker: { file_id: 'f', file_unique_id: 'u', type: 'regular', width: 1, height: 1, is_animated: false, is_video: false } }));
    await bot.handleUpdate(messageUpdate({ photo: [{ file_id: 'f', file_unique_id: 'u', width: 1, height: 1 }], caption: 'regarde' }));
    await bot.handleUpdate(messageUpdate({ voice: { file_id: 'f', file_unique_id: 'u', duration: 3 } }));
    expect(events.map((e) => e.text)).toEqual(['', '', '']);
  });

  it('maps a button press to its action and always answers the callback query', async () => {
    const { bot, events, api } = setup();
    const update = callbackUpdate('md:12');
    await bot.handleUpdate(update);
    expect(events[0]).toMatchObject({ channel: 'telegram', channelUserId: '7', channelConversationId: '7', action: 'md:12', eventId: String(update.update_id) });
    expect(events[0]!.text).toBeUndefined();
    expect(api.calls.filter((c) => c.method === 'answerCallbackQuery').map((c) => c.payload.callback_query_id)).toEqual([update.callback_query!.id]);
  });

  it('ignores edited messages and inline queries', async () => {
    const { bot, events, api } = setup();
    await bot.handleUpdate({ update_id: 1, edited_message: { message_id: 1, date: 0, edit_date: 1, chat: { id: 7, type: 'private', first_name: 'x' }, text: 'x' } } as never);
    await bot.handleUpdate({ update_id: 2, inline_query: { id: 'q', from: { id: 7, is_bot: false, first_name: 'x' }, query: 'x', offset: '' } } as never);
    expect(events).toEqual([]);
    expect(api.sent()).toEqual([]);
  });
});

describe('replies', () => {
  const list: Reply = {
    blocks: [{ type: 'cards', cards: [{ ref: '1', title: 'Cariste', fields: [], buttons: [{ label: 'Voir', action: 'md:1' }] }], more: { label: 'Voir plus', action: 'sp:1' } }],
  };

  it('answers a quick turn at once, with no typing indicator', async () => {
    const { bot, api } = setup(async () => {
      await new Promise((r) => setTimeout(r, 20));
      return { reply: list };
    });
    await bot.handleUpdate(textUpdate('missions'));
    expect(api.calls.map((c) => c.method)).toEqual(['sendMessage']);
  });

  it('shows "typing…" only when a turn has not answered within a second, then sends HTML with the inline keyboard', async () => {
    const { bot, api } = setup(async () => {
      await new Promise((r) => setTimeout(r, 1_300));
      return { reply: list };
    });
    await bot.handleUpdate(textUpdate('missions'));
    expect(api.calls.map((c) => c.method)).toEqual(['sendChatAction', 'sendMessage']);
    expect(api.calls[0]!.payload).toMatchObject({ chat_id: 7, action: 'typing' });
    expect(api.calls[1]!.payload).toMatchObject({
      chat_id: 7,
      parse_mode: 'HTML',
      text: '<b>1. Cariste</b>',
      reply_markup: { inline_keyboard: [[{ text: 'Voir', callback_data: 'md:1' }], [{ text: 'Voir plus', callback_data: 'sp:1' }]] },
    });
  });

  it('edits the message carrying the button when the reply replaces it (paging)', async () => {
    const { bot, api } = setup(() => ({ reply: { ...list, replacesPrevious: true } }));
    await bot.handleUpdate(callbackUpdate('sp:1', 555));
    expect(api.calls.map((c) => c.method)).toContain('editMessageText');
    expect(api.sent()).toEqual([]);
    expect(api.calls.find((c) => c.method === 'editMessageText')!.payload).toMatchObject({ chat_id: 7, message_id: 555, parse_mode: 'HTML' });
  });

  it('sends a new message when the carrier can no longer be edited, and not when replacesPrevious is absent', async () => {
    const failing = setup(() => ({ reply: { ...list, replacesPrevious: true } }), {}, (c) =>
      c.method === 'editMessageText' ? { error_code: 400, description: "Bad Request: message can't be edited" } : undefined,
    );
    await failing.bot.handleUpdate(callbackUpdate('sp:1', 555));
    expect(failing.api.sent()).toHaveLength(1);

    const plain = setup(() => ({ reply: list }));
    await plain.bot.handleUpdate(callbackUpdate('md:1', 555));
    expect(plain.api.calls.map((c) => c.method)).not.toContain('editMessageText');
    expect(plain.api.sent()).toHaveLength(1);
  });

  it('sends nothing for a duplicate delivery', async () => {
    const { bot, api } = setup(() => ({ duplicate: true, reply: { blocks: [] } }));
    await bot.handleUpdate(textUpdate('encore'));
    expect(api.sent()).toEqual([]);
  });

  it('splits a reply over 4,096 characters into several messages', async () => {
    const { bot, api } = setup(() => ({ reply: textReply(...Array.from({ length: 200 }, (_, i) => `Ligne ${i} ${'x'.repeat(40)}`)) }));
    await bot.handleUpdate(textUpdate('long'));
    expect(api.sent().length).toBe(3);
    for (const c of api.sent()) expect(String(c.payload.text).length).toBeLessThanOrEqual(4096);
  });
});

describe('private chats only', () => {
  it('answers once in a group that it works in private, and never calls the core', async () => {
    const { bot, api, events } = setup();
    await bot.handleUpdate(groupUpdate('salut'));
    await bot.handleUpdate(groupUpdate('re'));
    await bot.handleUpdate(groupUpdate('autre groupe', -100999));
    expect(events).toEqual([]);
    const sent = api.sent();
    expect(sent.map((c) => c.payload.chat_id)).toEqual([-100123, -100999]);
    expect(String(sent[0]!.payload.text)).toContain('conversation privée');
    expect(String(sent[0]!.payload.text)).toContain('<a href="https://t.me/MissionJeunesBot">@MissionJeunesBot</a>');
  });
});

describe('rate limiting', () => {
  it('has no limiter of its own: every message reaches the core, whose one limiter decides (and may answer nothing)', async () => {
    const { bot, api, events } = setup((e) => (Number(e.text?.slice(-1)) >= 4 ? { reply: { blocks: [] } } : {}), { RATE_LIMIT_PER_MINUTE: '3' });
    for (let i = 0; i < 6; i++) await bot.handleUpdate(textUpdate(`message ${i}`, 9));
    expect(events.map((e) => e.channelUserId)).toEqual(['9', '9', '9', '9', '9', '9']);
    // An empty reply (the core's "already told you") sends nothing.
    expect(api.sent()).toHaveLength(4);
  });
});

describe('error boundary', () => {
  it('logs ids only when the core or Telegram fails, and keeps going', async () => {
    let n = 0;
    const { bot, logLines, events } = setup(
      () => {
        if (++n === 1) throw new Error('Léa Martin secret boom');
        return { reply: textReply('Bonjour Léa Martin') };
      },
      {},
      (c) => (c.method === 'sendMessage' ? { error_code: 400, description: "Bad Request: can't parse entities near Léa" } : undefined),
    );
    await expect(bot.handleUpdate(textUpdate('je suis Léa Martin'))).resolves.toBeUndefined();
    await expect(bot.handleUpdate(textUpdate('je suis Léa Martin'))).resolves.toBeUndefined();
    expect(events).toHaveLength(2);
    const errors = logLines.filter((l) => l.includes('telegram update failed'));
    expect(errors).toHaveLength(2);
    expect(JSON.parse(errors[1]!)).toMatchObject({ channel: 'telegram', err: { type: 'DeliveryFailure', class: 'rejected', code: 'telegram 400' } });
    for (const l of logLines) expect(l).not.toMatch(/Léa|Martin|boom|parse/);
  });

  it('a reply refused because the user blocked the bot marks the chat unreachable, and is not an error', async () => {
    const api = recordingApi((c) => (c.method === 'sendMessage' ? { error_code: 403, description: 'Forbidden: bot was blocked by the user' } : undefined));
    const { assistant } = fakeAssistant();
    const d = fakeDelivery();
    const { log, lines } = memoryLogger();
    const channel = createTelegramChannel(deps({ assistant, log, delivery: d.delivery }), { botInfo: BOT_INFO, transformers: [api.transformer] });
    await channel.bot!.handleUpdate(textUpdate('salut', 31));
    expect(d.unreachable).toEqual([{ channel: 'telegram', addressKey: '31', code: 'telegram 403' }]);
    expect(d.deferred).toEqual([]);
    expect(api.sent()).toHaveLength(1);
    expect(lines.filter((l) => l.includes('telegram update failed'))).toEqual([]);
  });

  it('sends the apology of a retryable turn in polling mode without failing the update', async () => {
    const { bot, api } = setup(() => ({ retryable: true, reply: textReply('Réessaie dans quelques minutes') }));
    await expect(bot.handleUpdate(textUpdate('x'))).resolves.toBeUndefined();
    expect(api.sent()).toHaveLength(1);
  });
});

describe('configuration', () => {
  it('is off without a token: the service still starts', async () => {
    const { assistant } = fakeAssistant();
    const channel = createTelegramChannel(deps({ assistant, config: testConfig({ TELEGRAM_BOT_TOKEN: '' }) }));
    expect(channel.status()).toMatch(/^off/);
    expect(channel.bot).toBeUndefined();
    await channel.start();
    expect(channel.canSend()).toBe(false);
    await expect(channel.sendReply('1', textReply('x'))).rejects.toThrow(/off/);
    await channel.stop();
  });

  it.each([
    [{ TELEGRAM_WEBHOOK_URL: 'https://bot.example/hook' }, /TELEGRAM_WEBHOOK_SECRET/],
    [{ TELEGRAM_WEBHOOK_URL: 'https://bot.example/hook', TELEGRAM_WEBHOOK_SECRET: 'bad secret!' }, /TELEGRAM_WEBHOOK_SECRET/],
    [{ TELEGRAM_WEBHOOK_SECRET: 'good_secret' }, /TELEGRAM_WEBHOOK_URL/],
  ])('refuses webhook mode without a valid secret and URL (%o)', (env, error) => {
    const { assistant } = fakeAssistant();
    expect(() => createTelegramChannel(deps({ assistant, config: testConfig({ TELEGRAM_MODE: 'webhook', ...env }) }))).toThrow(error);
  });
});

describe('webhook route', () => {
  async function serve(answer: Parameters<typeof fakeAssistant>[0]) {
    const env = { TELEGRAM_MODE: 'webhook', TELEGRAM_WEBHOOK_URL: 'https://bot.example/tg', TELEGRAM_WEBHOOK_PATH: '/tg', TELEGRAM_WEBHOOK_SECRET: 'the_secret' };
    const ctx = setup(answer, env);
    // The route as the server serves it ahead of express (src/app.ts): its JSON body read, then handed over.
    const [route] = ctx.channel.directRoutes?.() ?? [];
    expect(route).toMatchObject({ method: 'POST', path: '/tg' });
    const server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => void route!.handle(JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown, req, res));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    const post = (body: unknown, secret?: string) =>
      fetch(`http://127.0.0.1:${port}/tg`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(secret ? { 'x-telegram-bot-api-secret-token': secret } : {}) },
        body: JSON.stringify(body),
      });
    return { ...ctx, post, close: () => new Promise<void>((r) => server.close(() => r())) };
  }

  it('refuses a call without the right secret header (401) and handles one with it (200)', async () => {
    const s = await serve(() => ({}));
    try {
      expect((await s.post(textUpdate('a'))).status).toBe(401);
      expect((await s.post(textUpdate('b'), 'wrong_secret')).status).toBe(401);
      expect(s.events).toEqual([]);
      expect((await s.post(textUpdate('c'), 'the_secret')).status).toBe(200);
      expect(s.events.map((e) => e.text)).toEqual(['c']);
    } finally {
      await s.close();
    }
  });

  it('answers 500 after sending the apology when the turn is retryable, so Telegram redelivers', async () => {
    let calls = 0;
    const s = await serve(() => (++calls === 1 ? { retryable: true, reply: textReply('Réessaie plus tard') } : { reply: textReply('ok') }));
    try {
      const update = textUpdate('x');
      expect((await s.post(update, 'the_secret')).status).toBe(500);
      expect(s.api.sent().map((c) => c.payload.text)).toEqual(['Réessaie plus tard']);
      expect((await s.post(update, 'the_secret')).status).toBe(200);
    } finally {
      await s.close();
    }
  });
});

describe('send (the delivery engine\'s path) and sendReply', () => {
  const delivery = (id: number, address: unknown, reply: Reply, skipParts = 0) => ({ notificationId: id, channel: 'telegram' as const, address, addressKey: String(address), reply, skipParts });

  it('sends a prepared delivery to its chat, and classifies refusals instead of deciding what next', async () => {
    const api = recordingApi((c) => (c.payload.chat_id === '666' ? { error_code: 403, description: 'Forbidden: bot was blocked by the user' } : c.payload.chat_id === '500' ? { error_code: 502, description: 'Bad Gateway' } : undefined));
    const { assistant } = fakeAssistant();
    const channel = createTelegramChannel(deps({ assistant }), { botInfo: BOT_INFO, transformers: [api.transformer] });
    expect(channel.canSend()).toBe(true);
    await channel.send(delivery(1, '123', textReply('Nouvelle mission pour toi')));
    expect(api.sent()[0]!.payload).toMatchObject({ chat_id: '123', text: 'Nouvelle mission pour toi', parse_mode: 'HTML' });
    await expect(channel.send(delivery(2, '666', textReply('bloqué')))).rejects.toMatchObject({ name: 'DeliveryFailure', failureClass: 'unreachable', code: 'telegram 403' });
    await expect(channel.send(delivery(3, { not: 'a chat' }, textReply('x')))).rejects.toMatchObject({ failureClass: 'rejected', code: 'invalid chat id' });
    // No automatic retry on this path: one call, and the engine's policy decides.
    const before = api.sent().length;
    await expect(channel.send(delivery(4, '500', textReply('x')))).rejects.toMatchObject({ failureClass: 'server', code: 'telegram 502' });
    expect(api.sent().length).toBe(before + 1);

    await channel.sendReply(456, textReply('push'));
    expect(api.sent().at(-1)!.payload).toMatchObject({ chat_id: 456, text: 'push' });
  });

  it('skips the parts an earlier attempt sent', async () => {
    const api = recordingApi();
    const { assistant } = fakeAssistant();
    const channel = createTelegramChannel(deps({ assistant }), { botInfo: BOT_INFO, transformers: [api.transformer] });
    const twoParts: Reply = { blocks: [{ type: 'text', segments: ['a'.repeat(4000)] }, { type: 'text', segments: ['b'.repeat(3000)] }] };
    await channel.send(delivery(5, '321', twoParts));
    const all = api.sent().length;
    expect(all).toBeGreaterThan(1);
    await channel.send(delivery(6, '321', twoParts, 1));
    expect(api.sent().length).toBe(all + all - 1);
  });
});

describe('blocked and unblocked', () => {
  it('a private chat that blocks the bot is marked unreachable, and reachable again when unblocked', async () => {
    const api = recordingApi();
    const { assistant } = fakeAssistant();
    const d = fakeDelivery();
    const channel = createTelegramChannel(deps({ assistant, delivery: d.delivery }), { botInfo: BOT_INFO, transformers: [api.transformer] });
    const member = (status: string) => ({
      update_id: Math.floor(Math.random() * 1e9),
      my_chat_member: {
        chat: { id: 77, type: 'private', first_name: 'x' },
        from: { id: 77, is_bot: false, first_name: 'x' },
        date: 0,
        old_chat_member: { status: 'member', user: BOT_INFO },
        new_chat_member: { status, user: BOT_INFO, ...(status === 'kicked' ? { until_date: 0 } : {}) },
      },
    });
    await channel.bot!.handleUpdate(member('kicked') as never);
    expect(d.unreachable).toEqual([{ channel: 'telegram', addressKey: '77', code: 'telegram blocked' }]);
    await channel.bot!.handleUpdate(member('member') as never);
    expect(d.reachable).toEqual(['77']);
  });
});
