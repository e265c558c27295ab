import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTeamsChannel } from '../../bots/teams/index.js';
import { createTelegramChannel } from '../../bots/telegram/index.js';
import { startApp, type App } from '../../src/app.js';
import { sqliteTestDatabase, type TestDatabase } from '../helpers/db.js';
import { AAD, counsellorRow, youthId } from '../core/counsellor/helpers.js';
import { cardOf, cardText, post, startReceiver, submitActions, teamsAppLogs, teamsMessage, testConfig } from '../teams/helpers.js';
import { cardProblems } from '../teams/validate-card.js';
import { emulatorShim, startEmulator, Youth, type BotMessage } from '../telegram/helpers/emulator.js';
import { eventually } from '../telegram/helpers/bot-api-server.js';
import { leaks, personalValues } from '../helpers/logs.js';
import { isParisWorkingDay, startOfParisDay } from '../../src/shared/time.js';

/**
 * Answers to what the assistant sends unasked, end to end: the real service with both channels, Telegram through
 * the telegram-test-api emulator (long polling) and Teams through a local connector receiver for proactive cards.
 * A counsellor proposes a mission in Teams, the young person answers on Telegram, the counsellor gets the answer
 * as a card; "je ne peux pas" on a reminder reaches the counsellor the same way.
 */
const TOKEN = '5002002:ANSWERS-test';
const LEA_CHAT = 5_002_001;

let db: TestDatabase;
let app: App;
let emulator: Awaited<ReturnType<typeof startEmulator>>;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let lea: Youth;
let leaId: number;
let sophieId: number;

const visible = (m: BotMessage | undefined) => (m?.text ?? '').replace(/<[^>]+>/g, '').replace(/&amp;/g, '&');
/** A card's text as read: the runs of one line joined. */
const read = (card: Record<string, unknown>) => cardText(card).replace(/\s*\n\s*/g, ' ');
const labels = (m: BotMessage | undefined) => (m?.keyboard ?? []).flat().map((b) => b.text);

/** Posts a Teams activity as Sophie; returns the cards the bot answered with. */
async function sophie(over: Record<string, unknown>) {
  const before = receiver.received.length;
  const res = await post(app.url, teamsMessage(receiver.url, AAD.sophie, over));
  expect(res.status).toBe(200);
  return receiver.received.slice(before).filter((a) => a.body.type === 'message').map((a) => cardOf(a.body));
}

/** Delivers what is due (as the service's loop does) and returns the proactive Teams cards that went out. */
async function deliverToTeams() {
  const before = receiver.received.length;
  await app.delivery.runDue();
  return receiver.received.slice(before).filter((a) => a.body.type === 'message').map((a) => cardOf(a.body));
}

/** A mission Léa has no application to yet. */
const freshMission = () => db.connection.db.mission.findFirstOrThrow({ where: { status: 'open', endDate: { gt: db.now }, applications: { none: { youthId: leaId } } }, orderBy: { id: 'asc' } });

/** Sophie proposes mission `id` to Léa Martin in Teams, confirms, and the proposal is delivered on Telegram. */
async function propose(id: number): Promise<BotMessage> {
  const [asked] = await sophie({ text: `propose la mission ${id} à Léa Martin` });
  const confirm = submitActions(asked!).find((a) => a.action === 'cf:y');
  expect(confirm, cardText(asked!)).toBeDefined();
  const [done] = await sophie({ value: { action: 'cf:y', label: confirm!.title } });
  expect(read(done!)).toMatch(/Mission proposée à Léa Martin/);
  const before = lea.messages().length;
  await app.delivery.runDue();
  await eventually(() => lea.messages().length > before, 'the proposal on Telegram');
  return lea.messages().at(-1)!;
}

beforeAll(async () => {
  db = await sqliteTestDatabase();
  emulator = await startEmulator();
  receiver = await startReceiver();
  leaId = await youthId(db, 'Léa', 'Martin');
  sophieId = (await counsellorRow(db, 'sophie')).id;
  await db.connection.db.youth.update({ where: { id: leaId }, data: { telegramUserId: String(LEA_CHAT), telegramChatId: String(LEA_CHAT), consentAt: db.now } });
  app = await startApp({
    config: testConfig({ TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: emulator.apiRoot, TELEGRAM_MODE: 'polling' }),
    log: teamsAppLogs.log,
    channels: [(deps) => createTelegramChannel(deps, { transformers: [emulatorShim] }), createTeamsChannel],
    now: () => db.now,
    opened: { store: db.store, connection: { ...db.connection, close: async () => undefined } },
  });
  lea = new Youth(emulator.server, emulator.server.getClient(TOKEN, { userId: LEA_CHAT, chatId: LEA_CHAT, firstName: 'Léa' }), TOKEN, LEA_CHAT);
}, 60_000);

afterAll(async () => {
  await app?.stop();
  await emulator?.stop();
  await receiver?.close();
  await db?.close();
});

describe('a proposal answered', () => {
  it('Teams "propose la mission N à Léa Martin" -> Telegram with two buttons -> "ça m’intéresse": accepted by Léa, a card reaches Sophie in Teams', async () => {
    const mission = await freshMission();
    const pushed = await propose(mission.id);
    expect(visible(pushed)).toMatch(/te propose une mission/);
    expect(labels(pushed)).toEqual(expect.arrayContaining([expect.stringMatching(/Ça m’intéresse/), expect.stringMatching(/Non merci/)]));
    const app0 = await db.connection.db.application.findUniqueOrThrow({ where: { youthId_missionId: { youthId: leaId, missionId: mission.id } } });
    expect(app0).toMatchObject({ status: 'proposed', source: 'counsellor_proposal', answeredAt: null });

    const { messages } = await lea.press(/Ça m’intéresse/);
    expect(visible(messages[0])).toMatch(/Ton intérêt pour .* est enregistré/);
    const answered = await db.connection.db.application.findUniqueOrThrow({ where: { id: app0.id } });
    expect(answered.status).toBe('sent');
    expect(answered.answeredAt).toBeInstanceOf(Date);

    const cards = await deliverToTeams();
    expect(cards).toHaveLength(1);
    expect(read(cards[0]!)).toMatch(/Léa Martin a répondu « ça m’intéresse » à la mission proposée/);
    expect(cardText(cards[0]!)).toContain(mission.title);
    expect(submitActions(cards[0]!)).toEqual([{ title: 'Ouvrir la fiche', action: `ys:${leaId}` }]);
    expect(cardProblems(cards[0]!)).toEqual([]);

    // A second press (or a redelivery) changes nothing and tells Sophie nothing more.
    const again = await lea.press(/Ça m’intéresse/);
    expect(visible(again.messages[0])).toMatch(/Tu as déjà dit que/);
    expect(await deliverToTeams()).toHaveLength(0);
    expect(await db.connection.db.notification.count({ where: { kind: 'proposal_answer', youthId: leaId } })).toBe(1);
  }, 90_000);

  it('"non merci" typed right after the proposal declines it (the pending question), and Sophie gets that answer', async () => {
    const mission = await freshMission();
    await propose(mission.id);
    const [reply] = await lea.say('non merci');
    expect(visible(reply)).toMatch(/je préviens ton conseiller/);
    const row = await db.connection.db.application.findUniqueOrThrow({ where: { youthId_missionId: { youthId: leaId, missionId: mission.id } } });
    expect(row.status).toBe('declined');
    const cards = await deliverToTeams();
    expect(cards).toHaveLength(1);
    expect(read(cards[0]!)).toMatch(/Léa Martin a répondu « non merci »/);
    expect(submitActions(cards[0]!)).toEqual([{ title: 'Ouvrir la fiche', action: `ys:${leaId}` }]);
    // The button pressed afterwards: already answered, nothing new.
    const { messages } = await lea.press(/Non merci/);
    expect(visible(messages[0])).toMatch(/déjà répondu/);
    expect(await deliverToTeams()).toHaveLength(0);
  }, 90_000);
});

describe('a reminder answered', () => {
  it('"je confirme" is recorded; "je ne peux pas" opens a reschedule request that reaches Sophie in Teams; no more reminder after it', async () => {
    await sophie({ text: 'bonjour' });
    const at = new Date(db.now.getTime() + 7 * 86_400_000);
    const appointment = await db.connection.db.appointment.create({ data: { youthId: leaId, counsellorId: sophieId, at, place: 'Mission locale de Lyon' } });
    const before = lea.messages().length;
    await db.store.notifications.enqueueNotification({ kind: 'appointment_reminder', youthId: leaId, appointmentId: appointment.id, at: at.toISOString(), daysBefore: 7 });
    await app.delivery.runDue();
    await eventually(() => lea.messages().length > before, 'the reminder on Telegram');
    expect(labels(lea.messages().at(-1))).toEqual(['✅ Je confirme', '🙅 Je ne peux pas']);

    const { messages: ok } = await lea.press('✅ Je confirme');
    expect(visible(ok[0])).toMatch(/Rendez-vous confirmé/);
    expect(await db.connection.db.appointment.findUniqueOrThrow({ where: { id: appointment.id } })).toMatchObject({ confirmedFor: at, status: 'planned' });

    const { messages: cannot } = await lea.press('🙅 Je ne peux pas');
    expect(visible(cannot[0])).toMatch(/J’ai demandé à Sophie Durand une autre date/);
    const request = await db.connection.db.youthRequest.findFirstOrThrow({ where: { youthId: leaId, kind: 'reschedule', status: 'open' } });
    expect(request.appointmentId).toBe(appointment.id);
    const cards = await deliverToTeams();
    expect(cards).toHaveLength(1);
    expect(read(cards[0]!)).toMatch(/Léa Martin ne peut pas venir à son rendez-vous et demande une autre date/);
    expect(submitActions(cards[0]!)).toEqual([{ title: 'Ouvrir la fiche', action: `ys:${leaId}` }]);
    // Pressed twice: one request, one card.
    await lea.press('🙅 Je ne peux pas');
    expect(await deliverToTeams()).toHaveLength(0);
    expect(await db.connection.db.youthRequest.count({ where: { youthId: leaId, kind: 'reschedule' } })).toBe(1);

    // The D-1 reminder of that appointment is not sent: the young person already said they cannot come.
    const d1 = await db.store.notifications.enqueueNotification({ kind: 'appointment_reminder', youthId: leaId, appointmentId: appointment.id, at: at.toISOString(), daysBefore: 1 });
    await app.delivery.runDue();
    expect(await db.connection.db.notification.findUniqueOrThrow({ where: { id: d1 } })).toMatchObject({ status: 'failed', lastError: 'nothing_to_say' });
  }, 90_000);

  it('a forged reminder button for someone else’s appointment changes nothing', async () => {
    const other = await db.connection.db.appointment.findFirstOrThrow({ where: { youthId: { not: leaId }, status: 'planned' } });
    const turn = await app.assistant.handle({ channel: 'telegram', channelUserId: String(LEA_CHAT), channelConversationId: String(LEA_CHAT), action: `ra:${other.id}:y`, receivedAt: db.now, eventId: 'forged-ra' });
    expect(JSON.stringify(turn.reply)).toMatch(/plus prévu/);
    expect((await db.connection.db.appointment.findUniqueOrThrow({ where: { id: other.id } })).confirmedAt).toBeNull();
  });
});

describe('the daily digest over the Teams HTTP path', () => {
  it('"digest quotidien" in Teams, then the 08:30 run of a working day: one proactive card to Sophie, each line opening a file', async () => {
    const [subscribed] = await sophie({ text: 'digest quotidien' });
    expect(read(subscribed!)).toMatch(/Chaque jour ouvré/);
    // Something new since the subscription: Léa's "ça m'intéresse" on a fresh mission, an hour later.
    const mission = await freshMission();
    await db.connection.db.application.create({ data: { youthId: leaId, missionId: mission.id, source: 'youth', status: 'sent', createdAt: new Date(db.now.getTime() + 3_600_000) } });
    let runAt = new Date(startOfParisDay(new Date(db.now.getTime() + 86_400_000)).getTime() + (8 * 60 + 40) * 60_000);
    while (!isParisWorkingDay(runAt)) runAt = new Date(runAt.getTime() + 86_400_000);
    const ran = (await app.scheduler.runDue(runAt)).filter((r) => r.name === 'counsellor-digest');
    expect(ran).toMatchObject([{ result: { queued: 1 } }]);
    const cards = await deliverToTeams();
    expect(cards).toHaveLength(1);
    expect(read(cards[0]!)).toMatch(/Point du .* votre portefeuille/);
    expect(read(cards[0]!)).toContain('Léa Martin');
    expect(read(cards[0]!)).toContain(mission.title);
    expect(cardProblems(cards[0]!)).toEqual([]);
    const opens = submitActions(cards[0]!).filter((a) => a.action.startsWith('ys:'));
    expect(opens.length).toBeGreaterThan(0);
    expect(opens.map((a) => a.action)).toContain(`ys:${leaId}`);
  }, 90_000);
});

describe('privacy of the answers', () => {
  it('logged ids only: no seeded personal value in the logs', async () => {
    const found = leaks(teamsAppLogs.lines, await personalValues(db));
    expect(found).toEqual([]);
  });
});
