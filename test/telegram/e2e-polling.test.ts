import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Update } from 'grammy/types';
import type { App } from '../../src/app.js';
import type { TelegramChannel } from '../../bots/telegram/index.js';
import { sqliteTestDatabase, type TestDatabase } from '../helpers/db.js';
import { botMessages, startEmulator, Youth, type BotMessage } from './helpers/emulator.js';
import { appLogs, linkCodeFor, startTelegramApp } from './helpers/app.js';
import { leaks, personalValues } from '../helpers/logs.js';
import { telegramHtmlProblems } from './helpers/telegram-html.js';

/**
 * The whole young person's journey on Telegram, long polling with the grammY runner, against the
 * telegram-test-api emulator and the real service on a copy of the demo database.
 */
const TOKEN = '5001001:POLLING-test';
const LEA_CHAT = 5001;

let db: TestDatabase;
let emulator: Awaited<ReturnType<typeof startEmulator>>;
let app: App;
let telegram: TelegramChannel;
let lea: Youth;
let leaId: number;

const buttons = (m: BotMessage | undefined) => (m?.keyboard ?? []).flat().map((b) => b.text);
const visible = (m: BotMessage | undefined) => (m?.text ?? '').replace(/<[^>]+>/g, '').replace(/&amp;/g, '&');

beforeAll(async () => {
  db = await sqliteTestDatabase();
  emulator = await startEmulator();
  ({ app, telegram } = await startTelegramApp(db, { TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: emulator.apiRoot, TELEGRAM_MODE: 'polling' }));
  lea = new Youth(emulator.server, emulator.server.getClient(TOKEN, { userId: LEA_CHAT, chatId: LEA_CHAT, firstName: 'Léa' }), TOKEN, LEA_CHAT);
  const row = await db.connection.db.youth.findFirst({ where: { firstName: 'Léa', lastName: 'Martin' }, select: { id: true } });
  leaId = row!.id;
});

afterAll(async () => {
  await app?.stop();
  await emulator?.stop();
  await db?.close();
});

describe('Telegram, long polling, whole journey', () => {
  it('runs in polling mode and reports it', async () => {
    expect(telegram.status()).toBe('polling');
    const health = (await (await fetch(`${app.url}/healthz`)).json()) as { channels: unknown };
    expect(health.channels).toEqual({ telegram: 'polling' });
  });

  it('/start greets and offers the menu', async () => {
    const [hello, ...rest] = await lea.say('/start');
    expect(rest).toEqual([]);
    expect(hello!.parseMode).toBe('HTML');
    expect(visible(hello)).toMatch(/Salut Léa 👋/);
    expect(buttons(hello)).toEqual(expect.arrayContaining([expect.stringMatching(/Chercher une mission/), expect.stringMatching(/Relier mon compte/)]));
  });

  let firstPage: BotMessage;
  it('finds missions in Lyon from SMS-style text, as numbered cards with buttons', async () => {
    const [list] = await lea.say('jcherche 1 taf a lyon');
    firstPage = list!;
    expect(visible(list)).toMatch(/missions ouvertes · à Lyon \(1-5\)/);
    expect(visible(list)).toMatch(/^1\. .+\(H\/F\)$/m);
    expect(visible(list)).toMatch(/Salaire : \d+,\d{2}\s€ brut\/h/);
    const rows = list!.keyboard;
    expect(rows.slice(0, 5).map((r) => r.map((b) => b.text.split(' ')[0]))).toEqual([['1.', '1.'], ['2.', '2.'], ['3.', '3.'], ['4.', '4.'], ['5.', '5.']]);
    expect(rows.at(-2)!.map((b) => b.text)).toEqual([expect.stringMatching(/Voir plus/)]);
    expect(rows.at(-1)!.map((b) => b.text)).toEqual(['🔔 Préviens-moi']);
    for (const b of rows.flat()) expect(Buffer.byteLength(b.callback_data)).toBeLessThanOrEqual(64);
  });

  let sixth: { title: string; detailsLabel: string };
  it('"voir plus" edits the list in place (paging) instead of sending a new message', async () => {
    const { messages, edited, pressedOn } = await lea.press(/Voir plus/);
    expect(messages).toEqual([]);
    expect(pressedOn.messageId).toBe(firstPage.messageId);
    expect(visible(edited)).toMatch(/\(6-10\)/);
    expect(buttons(edited)[0]).toMatch(/^6\. /);
    const title = /^6\. (.+)$/m.exec(visible(edited))![1]!;
    sixth = { title, detailsLabel: buttons(edited).find((b) => /^6\. .*Détails/.test(b))! };
  });

  it('opens a mission from its card', async () => {
    const { messages } = await lea.press(sixth.detailsLabel);
    expect(messages).toHaveLength(1);
    expect(visible(messages[0])).toContain(sixth.title);
    expect(visible(messages[0])).toMatch(/Agence : /);
    expect(buttons(messages[0])).toEqual([expect.stringMatching(/Ça m’intéresse/)]);
  });

  it('"ça m’intéresse" while anonymous: kept aside and invited to link the account', async () => {
    const { messages } = await lea.press(/Ça m’intéresse/);
    expect(visible(messages[0])).toMatch(/relie d’abord ton compte/);
    expect(buttons(messages[0])).toEqual(expect.arrayContaining([expect.stringMatching(/J’ai un code/)]));
    expect(await db.connection.db.application.count({ where: { youthId: leaId, mission: { title: sixth.title } } })).toBe(0);
  });

  it('links the account with a code from the counsellor (deep link /start <code>)', async () => {
    const code = await linkCodeFor(app, 'Léa Martin', db.now);
    const [done] = await lea.say(`/start ${code}`);
    expect(visible(done)).toMatch(/Ton compte est relié à ton dossier, Léa/);
    const youth = await db.connection.db.youth.findUnique({ where: { id: leaId }, select: { telegramUserId: true, telegramChatId: true } });
    expect(youth).toEqual({ telegramUserId: String(LEA_CHAT), telegramChatId: String(LEA_CHAT) });
  });

  it('"ça m’intéresse" again, now linked: an application is recorded and the counsellor notified', async () => {
    const before = await db.connection.db.application.count({ where: { youthId: leaId } });
    const { messages } = await lea.press(/Ça m’intéresse/);
    expect(visible(messages[0])).toMatch(/Ton intérêt pour .+ est enregistré/);
    const apps = await db.connection.db.application.findMany({ where: { youthId: leaId, mission: { title: sixth.title } }, select: { status: true, source: true } });
    expect(apps).toHaveLength(1);
    expect(apps[0]!.status).toBe('sent');
    expect(await db.connection.db.application.count({ where: { youthId: leaId } })).toBe(before + 1);
    expect(await db.connection.db.notification.count({ where: { youthId: leaId, kind: 'youth_interested' } })).toBeGreaterThanOrEqual(1);
  });

  it('"mes candidatures" lists it', async () => {
    const [list] = await lea.say('mes candidatures');
    expect(visible(list)).toMatch(/Tes candidatures \(\d+\)/);
    expect(visible(list)).toContain(sixth.title);
    expect(visible(list)).toMatch(/Statut : envoyée/);
  });

  it('a redelivered update is applied once: one application, one answer', async () => {
    const [list] = await lea.say('chercher une mission à Lyon');
    const apply = list!.keyboard.flat().find((b) => /^1\. .*Ça m’intéresse/.test(b.text))!;
    const missionId = Number(apply.callback_data.split(':')[1]);
    const update = {
      update_id: 900_001,
      callback_query: {
        id: 'redelivered',
        chat_instance: 'x',
        from: { id: LEA_CHAT, is_bot: false, first_name: 'Léa' },
        data: apply.callback_data,
        message: { message_id: list!.messageId, date: 0, chat: { id: LEA_CHAT, type: 'private', first_name: 'Léa' } },
      },
    } as Update;
    const interested = () => db.connection.db.notification.count({ where: { youthId: leaId, kind: 'youth_interested' } });
    const [sentBefore, notifiedBefore] = [botMessages(emulator.server, TOKEN, LEA_CHAT).length, await interested()];
    expect(await db.connection.db.application.count({ where: { youthId: leaId, missionId } })).toBe(0);
    await telegram.bot!.handleUpdate(update);
    await telegram.bot!.handleUpdate(structuredClone(update));
    expect(await db.connection.db.application.count({ where: { youthId: leaId, missionId } })).toBe(1);
    expect(await interested()).toBe(notifiedBefore + 1);
    expect(botMessages(emulator.server, TOKEN, LEA_CHAT).length).toBe(sentBefore + 1);
  });

  it('pushes a mission proposed by the counsellor (outbox -> deliverPending)', async () => {
    const sophie = await db.connection.db.counsellor.findFirst({ where: { email: 'sophie.durand@ml-lyon.demo.invalid' }, select: { id: true } });
    const mission = await db.connection.db.mission.findFirst({ where: { status: 'open', applications: { none: { youthId: leaId } } }, select: { id: true, title: true } });
    // A proposal is sent while its application waits for the young person's answer (as propose_mission records it).
    await db.store.activity.recordApplication(leaId, mission!.id, 'counsellor_proposal');
    const id = await db.store.notifications.enqueueNotification({ kind: 'mission_proposal', youthId: leaId, missionId: mission!.id, counsellorId: sophie!.id });
    const deadline = Date.now() + 10_000;
    let status = 'pending';
    while (status === 'pending' && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      status = (await db.connection.db.notification.findUnique({ where: { id }, select: { status: true } }))!.status;
    }
    expect(status).toBe('sent');
    const pushed = lea.messages().at(-1)!;
    expect(visible(pushed)).toMatch(/Sophie Durand te propose une mission/);
    expect(visible(pushed)).toContain(mission!.title);
  });

  it('/mesdonnees shows my data, and deleting them (confirmed) unlinks the account', async () => {
    const [data] = await lea.say('/mesdonnees');
    expect(visible(data)).toMatch(/Ce que je sais de toi/);
    expect(visible(data)).toMatch(/Compte Telegram : relié/);
    const { messages: confirm } = await lea.press(/Supprimer mes données/);
    expect(visible(confirm[0])).toMatch(/Tu veux vraiment supprimer tes données/);
    expect(buttons(confirm[0])).toEqual([expect.stringMatching(/Oui/), expect.stringMatching(/Non/)]);
    const { messages: gone } = await lea.press(/^Oui/);
    expect(gone.length).toBeGreaterThan(0);
    const youth = await db.connection.db.youth.findUnique({ where: { id: leaId }, select: { telegramUserId: true, telegramChatId: true } });
    expect(youth).toEqual({ telegramUserId: null, telegramChatId: null });
  });

  it('in a group, says once that it works in private chats only', async () => {
    const group = emulator.server.getClient(TOKEN, { userId: 6001, chatId: -4001, type: 'group', chatTitle: 'Les potes' });
    const inGroup = new Youth(emulator.server, group, TOKEN, -4001);
    const [notice] = await inGroup.say('salut le bot');
    expect(visible(notice)).toMatch(/uniquement en conversation privée/);
    await group.sendMessage(group.makeMessage('tu es là ?'));
    await new Promise((r) => setTimeout(r, 600));
    expect(inGroup.messages()).toHaveLength(1);
  });

  it('every message the bot sent is well-formed Telegram HTML', () => {
    const all = emulator.server.storage.botMessages.filter((u) => u.botToken === TOKEN);
    expect(all.length).toBeGreaterThan(10);
    for (const u of all) {
      expect(u.message.parse_mode).toBe('HTML');
      expect(telegramHtmlProblems(String(u.message.text))).toEqual([]);
    }
  });

  it('logged ids and intents during the whole journey, never a seeded personal value or a typed text', async () => {
    expect(appLogs.lines.some((l) => l.includes('"msg":"turn"'))).toBe(true);
    const found = leaks(appLogs.lines, [...(await personalValues(db)), 'jcherche 1 taf a lyon']);
    if (found.length) console.log(appLogs.lines.filter((l) => found.some((f) => l.includes(f))).join('\n'));
    expect(found).toEqual([]);
  });
});
