import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqliteTestDatabase, type TestDatabase } from '../helpers/db.js';
import type { App } from '../../src/app.js';
import { teamsAddressKey } from '../../src/core/outbox.js';
import { AAD, counsellorRow, independentCaseload, sorted, youthId } from '../core/counsellor/helpers.js';
import { cardOf, cardText, elements, facts, post, startReceiver, startTeamsApp, submitActions, teamsAppLogs, teamsMessage } from './helpers.js';
import { leaks, personalValues } from '../helpers/logs.js';
import { cardProblems } from './validate-card.js';

let db: TestDatabase;
let app: App;
let receiver: Awaited<ReturnType<typeof startReceiver>>;

beforeAll(async () => {
  db = await sqliteTestDatabase();
  receiver = await startReceiver();
  app = await startTeamsApp(db);
});
afterAll(async () => {
  await app.stop();
  await receiver.close();
  await db.close();
});

/** Posts an activity and returns the cards the bot sent back to the connector for it. */
async function exchange(activity: Record<string, unknown>): Promise<Record<string, unknown>[]> {
  const before = receiver.received.length;
  const res = await post(app.url, activity);
  expect(res.status).toBe(200);
  return receiver.received.slice(before).filter((a) => a.body.type !== 'typing').map((a) => a.body);
}

describe('Teams endpoint (anonymous local mode)', () => {
  it('answers the Playground\'s HEAD probe', async () => {
    const res = await fetch(`${app.url}/api/messages`, { method: 'HEAD' });
    expect(res.status).toBe(200);
  });

  it('a typed message gets the overview card, posted as a reply to the activity, with counts from the store', async () => {
    const sophie = await counsellorRow(db, 'sophie');
    const expected = await independentCaseload(db, { counsellorId: sophie.id });
    const activity = teamsMessage(receiver.url, AAD.sophie, { text: '<at>Mission Jeunes</at> mon portefeuille' });
    const before = receiver.received.length;
    await exchange(activity);
    const sent = receiver.received.slice(before).filter((a) => a.body.type === 'message');
    expect(sent).toHaveLength(1);
    expect(sent[0]!.path).toBe(`/v3/conversations/${encodeURIComponent(`a:personal-${AAD.sophie}`)}/activities/${encodeURIComponent(String(activity.id))}`);
    const card = cardOf(sent[0]!.body);
    expect(card).toMatchObject({ type: 'AdaptiveCard', version: '1.5' });
    const f = facts(card);
    expect(f.get('Jeunes suivis')).toMatch(new RegExp(`^${expected.followed.length}\\b`));
    expect(f.get('Sans mission depuis 30 jours ou plus')).toBe(String(expected.withoutMission(30).length));
    expect(submitActions(card).map((a) => a.action)).toContain('cl:wm:30:');
    // The conversation reference is kept for later alerts.
    const address = (await db.store.conversation.findChannelAddress('teams', teamsAddressKey(sophie.id))) as { serviceUrl: string; conversation: { id: string } };
    expect(address).toMatchObject({ serviceUrl: receiver.url, conversation: { id: `a:personal-${AAD.sophie}` } });
  });

  it('an Adaptive Card submit opens the list: a table with one row per youth of the criterion, each row opening the file', async () => {
    const sophie = await counsellorRow(db, 'sophie');
    const expected = await independentCaseload(db, { counsellorId: sophie.id });
    const [reply] = await exchange(teamsMessage(receiver.url, AAD.sophie, { value: { action: 'cl:wm:30:' } }));
    const card = cardOf(reply!);
    expect(cardProblems(card)).toEqual([]);
    const table = elements(card).find((e) => e.type === 'Table')!;
    const rows = (table.rows as Record<string, unknown>[]).slice(1);
    // Every cell of a row opens the same file: the whole row is the button.
    const ids = rows.map((r) => {
      const opens = new Set(submitActions(r).map((a) => a.action));
      expect(opens.size).toBe(1);
      return Number([...opens][0]!.slice(3));
    });
    expect(sorted(ids)).toEqual(expected.withoutMission(30).slice(0, 10));
    const names = await db.connection.db.youth.findMany({ where: { id: { in: ids } } });
    const text = cardText(card);
    for (const y of names) expect(text).toContain(`${y.firstName} ${y.lastName}`);
    expect(cardText(card)).toMatch(/^Sans mission depuis 30 jours ou plus : \d+ jeunes?/);
  });

  it('a submit opening a youth file shows the file facts', async () => {
    const lea = await youthId(db, 'Léa', 'Martin');
    const [reply] = await exchange(teamsMessage(receiver.url, AAD.sophie, { value: { action: `ys:${lea}`, extra: 'ignored' } }));
    const card = cardOf(reply!);
    expect(cardText(card)).toContain('Fiche de Léa Martin');
    expect(facts(card).get('Statut')).toBe('actif');
    expect(submitActions(card).map((a) => a.title)).toEqual(['Proposer une mission', 'Créer un code de liaison', 'Noter un contact', 'Exporter ses données']);
  });

  it('deliveryMode expectReplies returns the replies in the HTTP response', async () => {
    const before = receiver.received.length;
    const res = await post(app.url, teamsMessage(receiver.url, AAD.marc, { text: 'frein logement', deliveryMode: 'expectReplies' }));
    expect(res.status).toBe(200);
    const body = (await res.json()) as { activities: Record<string, unknown>[] };
    const messages = body.activities.filter((a) => a.type === 'message');
    expect(messages).toHaveLength(1);
    expect(cardText(cardOf(messages[0]!))).toMatch(/Frein ouvert \(logement\)/);
    expect(receiver.received.length).toBe(before);
  });

  it('an unknown Teams user gets a refusal and nothing else', async () => {
    const [reply] = await exchange(teamsMessage(receiver.url, '11111111-2222-4333-8444-555555555555', { text: 'mon portefeuille' }));
    const text = cardText(cardOf(reply!));
    expect(text).toMatch(/n’est pas enregistré/);
    expect(submitActions(cardOf(reply!))).toEqual([]);
  });

  it('a redelivered activity (same id) is answered once', async () => {
    const activity = teamsMessage(receiver.url, AAD.sophie, { text: 'bonjour' });
    expect(await exchange(activity)).toHaveLength(1);
    expect(await exchange(activity)).toHaveLength(0);
  });

  it('the same activity id in two conversations is two messages (ids are unique per conversation only)', async () => {
    const a = teamsMessage(receiver.url, AAD.sophie, { text: 'bonjour', id: 'same-id-1' });
    const b = teamsMessage(receiver.url, AAD.julien, { text: 'bonjour', id: 'same-id-1' });
    expect(await exchange(a)).toHaveLength(1);
    expect(await exchange(b)).toHaveLength(1);
  });

  it('a message from another Bot Framework channel (Web Chat) claiming a counsellor id gets nothing of the caseload', async () => {
    const forged = teamsMessage(receiver.url, AAD.sophie, { text: 'mon portefeuille', channelId: 'webchat' });
    const replies = await exchange(forged);
    expect(replies).toHaveLength(1);
    expect(JSON.stringify(replies[0])).toMatch(/uniquement dans Microsoft Teams/);
    expect(JSON.stringify(replies[0])).not.toMatch(/Jeunes suivis/);
    const noAad = teamsMessage(receiver.url, AAD.sophie, { text: 'mon portefeuille', from: { id: '29:someone' } });
    expect(JSON.stringify(await exchange(noAad))).toMatch(/uniquement dans Microsoft Teams/);
  });

  it('a name or a note cannot inject markdown or links into the card', async () => {
    const sophie = await counsellorRow(db, 'sophie');
    const evil = await db.connection.db.youth.create({
      data: {
        firstName: '**Gras** [clic](https://evil.example)',
        lastName: '# _Titre_ > <b>x</b>',
        searchName: 'gras clic evil',
        communeCode: '69123',
        postcode: '69001',
        missionLocaleId: sophie.missionLocaleId,
        counsellorId: sophie.id,
        entryDate: db.now,
        interactions: { create: { at: db.now, channel: 'phone', note: '[piège](javascript:alert(1)) *gras*', counsellorId: sophie.id } },
      },
    });
    const [reply] = await exchange(teamsMessage(receiver.url, AAD.sophie, { value: { action: `ys:${evil.id}` } }));
    const card = cardOf(reply!);
    const all = elements(card);
    expect(all.some((e) => e.type === 'Action.OpenUrl')).toBe(false);
    // TextRuns are never parsed as markdown, so they carry the raw text, without backslash escapes; the only
    // TextBlocks (parsed by Teams) hold the date functions the renderer writes itself.
    expect(all.some((e) => e.type === 'TextRun' && String(e.text).includes('[clic](https://evil.example)'))).toBe(true);
    expect(all.some((e) => e.type === 'TextRun' && String(e.text).includes('\\'))).toBe(false);
    expect(all.some((e) => e.type === 'FactSet')).toBe(false);
    for (const e of all.filter((x) => x.type === 'TextBlock')) expect(String(e.text)).toMatch(/^(\{\{(DATE|TIME)\(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ(, (COMPACT|SHORT))?\)\}\} ?)+$/);
  });
});

describe('Teams alerts', () => {
  it('a youth’s "ça m’intéresse" reaches the counsellor as a card once she has talked to the bot', async () => {
    const sophie = await counsellorRow(db, 'sophie');
    const lea = await youthId(db, 'Léa', 'Martin');
    await exchange(teamsMessage(receiver.url, AAD.sophie, { text: 'bonjour' }));
    const mission = await db.connection.db.mission.findFirstOrThrow({ where: { status: 'open', endDate: { gt: db.now } }, orderBy: { id: 'desc' } });
    const turn = await app.assistant.handle({ channel: 'terminal', channelUserId: `youth:${lea}`, channelConversationId: `youth-${lea}`, action: `ap:${mission.id}`, receivedAt: new Date(), eventId: `youth-apply-${lea}` });
    expect(turn.duplicate).toBe(false);
    const queued = await db.connection.db.notification.findFirstOrThrow({ where: { kind: 'youth_interested', youthId: lea, status: 'pending' } });
    expect(queued.counsellorId).toBe(sophie.id);
    const before = receiver.received.length;
    expect(await app.delivery.runDue()).toMatchObject({ sent: 1, retry: 0, failed: 0 });
    const sent = receiver.received.slice(before).filter((a) => a.body.type === 'message');
    expect(sent).toHaveLength(1);
    expect(sent[0]!.path.startsWith(`/v3/conversations/${encodeURIComponent(`a:personal-${AAD.sophie}`)}/activities`)).toBe(true);
    const card = cardOf(sent[0]!.body);
    expect(cardText(card)).toContain('Léa Martin');
    expect(cardText(card)).toContain(mission.title);
    expect(submitActions(card)).toEqual([{ title: 'Ouvrir la fiche', action: `ys:${lea}` }]);
    expect(await db.connection.db.notification.findUniqueOrThrow({ where: { id: queued.id } })).toMatchObject({ status: 'sent', attempts: 1, channel: 'teams' });
    expect(await app.delivery.runDue()).toMatchObject({ sent: 0 });
  });
});

describe('Teams conventions', () => {
  it('welcomes a counsellor when the bot is installed (membersAdded), saying what it can do, once per update, and keeps the reference', async () => {
    const sophie = await counsellorRow(db, 'sophie');
    await db.connection.db.channelAddress.deleteMany({ where: { channel: 'teams', channelUserId: teamsAddressKey(sophie.id) } });
    const update = teamsMessage(receiver.url, AAD.sophie, { type: 'conversationUpdate', text: undefined, membersAdded: [{ id: '28:mission-jeunes-bot' }] });
    const [welcome] = await exchange(update);
    const card = cardOf(welcome!);
    expect(cardProblems(card)).toEqual([]);
    expect(cardText(card)).toMatch(/Je vous aide à suivre vos jeunes/);
    expect(await exchange(update)).toHaveLength(0);
    expect(await exchange(teamsMessage(receiver.url, AAD.sophie, { type: 'conversationUpdate', membersRemoved: [{ id: '28:mission-jeunes-bot' }] }))).toHaveLength(0);
    expect(await db.store.conversation.findChannelAddress('teams', teamsAddressKey(sophie.id))).toMatchObject({ conversation: { id: `a:personal-${AAD.sophie}` } });
  });

  it('keeps the reference without the id of the activity it came from, and does not rewrite it while it stays the same', async () => {
    const sophie = await counsellorRow(db, 'sophie');
    const row = () => db.connection.db.channelAddress.findUniqueOrThrow({ where: { channel_channelUserId: { channel: 'teams', channelUserId: teamsAddressKey(sophie.id) } } });
    await exchange(teamsMessage(receiver.url, AAD.sophie, { text: 'aide' }));
    const first = await row();
    expect(first.reference).not.toHaveProperty('activityId');
    expect(first.reference).toMatchObject({ serviceUrl: receiver.url, conversation: { id: `a:personal-${AAD.sophie}` } });
    await exchange(teamsMessage(receiver.url, AAD.sophie, { text: 'mon portefeuille' }));
    expect((await row()).updatedAt).toEqual(first.updatedAt);
    // A new service URL (Teams moved the conversation) is a change: written.
    const elsewhere = await startReceiver();
    try {
      await post(app.url, teamsMessage(elsewhere.url, AAD.sophie, { text: 'aide' }));
      expect((await row()).reference).toMatchObject({ serviceUrl: elsewhere.url });
    } finally {
      await elsewhere.close();
    }
  });

  it('a page press updates the card it came from (PUT on its id), and the answer repeats the pressed label', async () => {
    const [first] = await exchange(teamsMessage(receiver.url, AAD.marc, { value: { action: 'cl:wc:1:', label: 'Sans contact' } }));
    const firstCard = cardOf(first!);
    expect(cardText(firstCard).startsWith('› Sans contact')).toBe(true);
    const next = submitActions(firstCard).find((a) => a.action.startsWith('lp:'));
    expect(next).toBeDefined();
    const before = receiver.received.length;
    const res = await post(app.url, teamsMessage(receiver.url, AAD.marc, { value: { action: next!.action, label: next!.title }, replyToId: 'card-41' }));
    expect(res.status).toBe(200);
    const sent = receiver.received.slice(before).filter((a) => a.body.type === 'message');
    expect(sent).toHaveLength(1);
    expect(sent[0]!.method).toBe('PUT');
    expect(sent[0]!.path).toBe(`/v3/conversations/${encodeURIComponent(`a:personal-${AAD.marc}`)}/activities/card-41`);
    const page2 = cardOf(sent[0]!.body);
    expect(cardProblems(page2)).toEqual([]);
    expect(submitActions(page2).some((a) => a.title.startsWith('⬅️ Précédent'))).toBe(true);
  });

  it('a typed message is answered with a new card (POST), not an update', async () => {
    const before = receiver.received.length;
    await exchange(teamsMessage(receiver.url, AAD.sophie, { text: 'aide', replyToId: 'card-7' }));
    const sent = receiver.received.slice(before).filter((a) => a.body.type === 'message');
    expect(sent.map((a) => a.method)).toEqual(['POST']);
  });
});

describe('malformed requests', () => {
  it.each([
    { what: 'no type', body: JSON.stringify({ text: 'salut', from: { id: 'x' } }), type: 'application/json', status: 400 },
    { what: 'not JSON', body: '{"type": "message", ', type: 'application/json', status: 400 },
    { what: 'plain text', body: 'hello', type: 'text/plain', status: 400 },
    { what: 'an array', body: '[1,2,3]', type: 'application/json', status: 400 },
    { what: 'no serviceUrl', body: JSON.stringify({ type: 'message', channelId: 'msteams', conversation: { id: 'c' }, from: { id: 'u' }, recipient: { id: 'b' } }), type: 'application/json', status: 400 },
    { what: 'oversized', body: JSON.stringify({ type: 'message', text: 'x'.repeat(400_000) }), type: 'application/json', status: 413 },
  ])('$what gets $status and the process survives', async ({ body, type, status }) => {
    const res = await fetch(`${app.url}/api/messages`, { method: 'POST', headers: { 'content-type': type }, body });
    expect(res.status).toBe(status);
    expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
  });

  it('anonymous mode refuses a non-local serviceUrl and a request forwarded by a proxy', async () => {
    expect((await post(app.url, teamsMessage('https://smba.trafficmanager.net/emea/', AAD.sophie, { text: 'mon portefeuille' }))).status).toBe(403);
    expect((await post(app.url, teamsMessage(receiver.url, AAD.sophie, { text: 'mon portefeuille' }), { 'x-forwarded-for': '203.0.113.7' })).status).toBe(403);
  });
});

describe('log hygiene', () => {
  it('logged ids and intents over the whole file, never a seeded personal value or a typed text', async () => {
    expect(teamsAppLogs.lines.some((l) => l.includes('"msg":"turn"'))).toBe(true);
    expect(leaks(teamsAppLogs.lines, [...(await personalValues(db)), 'mon portefeuille'])).toEqual([]);
  });
});
