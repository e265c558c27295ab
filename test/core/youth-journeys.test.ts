import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseFactories, type TestDatabase } from '../helpers/db.js';
import { Conversation, missionIdsIn, testAssistant } from '../helpers/conversation.js';
import type { Assistant } from '../../src/core/types.js';
import { generateLinkCode, hashLinkCode } from '../../src/core/linking.js';

// The young person's journeys through the core (no channel), on both real databases.
describe.each(databaseFactories)('youth journeys on %s', (_kind, factory) => {
  let db: TestDatabase;
  let assistant: Assistant;
  let telegramUser = 7_000_000;

  /** A fresh anonymous Telegram user. */
  function anonymous(): Conversation {
    return new Conversation(assistant, 'telegram', String(++telegramUser));
  }

  async function youthByName(first: string, last: string) {
    return db.connection.db.youth.findFirstOrThrow({ where: { firstName: first, lastName: last } });
  }

  /** A Telegram user linked to a named demo youth, through a real code. */
  async function linked(first: string, last: string): Promise<{ convo: Conversation; youthId: number }> {
    const y = await youthByName(first, last);
    const code = generateLinkCode();
    await db.store.linkCodes.createLinkCode({ youthId: y.id, issuedById: y.counsellorId, codeHash: hashLinkCode(code), expiresAt: new Date(db.now.getTime() + 3_600_000) });
    const convo = anonymous();
    const text = await convo.say(`code ${code}`);
    expect(text).toContain('Ton compte est relié');
    return { convo, youthId: y.id };
  }

  beforeAll(async () => {
    db = await factory();
    assistant = testAssistant(db);
  });
  afterAll(async () => db.close());

  describe('greeting and help', () => {
    it('greets with the menu as buttons', async () => {
      const c = anonymous();
      const text = await c.say('slt');
      expect(text).toMatch(/Salut/);
      expect(c.buttonLabels().join(' ')).toMatch(/Chercher une mission/);
      expect(c.buttonLabels().join(' ')).toMatch(/Relier mon compte/);
    });

    it('answers out-of-scope with what it can do, never a guess', async () => {
      const c = anonymous();
      const text = await c.say('raconte moi une blague sur les chats');
      expect(c.last?.intent).toBe('out_of_scope');
      expect(text).toMatch(/Voici ce que je peux faire|Je peux t’aider/);
    });
  });

  describe('mission search', () => {
    it('finds open missions in Lyon, 5 per page, newest first, every card a real open row', async () => {
      const c = anonymous();
      const text = await c.say('jcherche 1 taf a lyon');
      const ids = missionIdsIn(c.reply);
      expect(ids).toHaveLength(5);
      const rows = await db.connection.db.mission.findMany({ where: { id: { in: ids } } });
      expect(rows).toHaveLength(5);
      for (const r of rows) {
        expect(r.status).toBe('open');
        expect(r.communeCode).toBe('69123');
        expect(text).toContain(r.title);
      }
      const expected = await db.connection.db.mission.findMany({ where: { status: 'open', communeCode: '69123' }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take: 5 });
      expect(ids).toEqual(expected.map((m) => m.id));
      const total = await db.connection.db.mission.count({ where: { status: 'open', communeCode: '69123' } });
      expect(text).toContain(`${total} missions ouvertes`);
    });

    it('pages with "voir plus" (button and typed) without repeating a mission', async () => {
      const c = anonymous();
      await c.say('des missions a lyon');
      const first = missionIdsIn(c.reply);
      await c.press('Voir plus');
      const second = missionIdsIn(c.reply);
      expect(c.reply.replacesPrevious).toBe(true);
      expect(second).toHaveLength(5);
      expect(second.some((id) => first.includes(id))).toBe(false);
      await c.say('voir plus');
      const third = missionIdsIn(c.reply);
      expect(third.some((id) => [...first, ...second].includes(id))).toBe(false);
    });

    it('filters by sector from a job word and carries the search over to "et à Villeurbanne ?"', async () => {
      const c = anonymous();
      await c.say('je cherche cariste a lyon');
      const lyon = await db.connection.db.mission.findMany({ where: { id: { in: missionIdsIn(c.reply) } } });
      expect(lyon.length).toBeGreaterThan(0);
      expect(lyon.every((m) => m.sector === 'logistique' && m.communeCode === '69123')).toBe(true);
      await c.say('et à Villeurbanne ?');
      const vil = await db.connection.db.mission.findMany({ where: { id: { in: missionIdsIn(c.reply) } } });
      expect(vil.length).toBeGreaterThan(0);
      expect(vil.every((m) => m.sector === 'logistique' && m.communeCode === '69266')).toBe(true);
    });

    it('a start-date window: "qui commence dans 10 jours" keeps only missions starting by then', async () => {
      const c = anonymous();
      const text = await c.say('taf qui commence dans les 10 jours a lille');
      const limit = new Date(db.now.getTime() + 10 * 86_400_000);
      const total = await db.connection.db.mission.count({ where: { status: 'open', communeCode: '59350', startDate: { lte: limit } } });
      expect(total).toBeGreaterThan(0);
      expect(total).toBeLessThan(await db.connection.db.mission.count({ where: { status: 'open', communeCode: '59350' } }));
      expect(text).toContain(`${total} mission`);
      const rows = await db.connection.db.mission.findMany({ where: { id: { in: missionIdsIn(c.reply) } } });
      expect(rows.every((m) => m.startDate <= limit)).toBe(true);
    });

    it('"autour de Lyon" searches the EPCI with Lyon first', async () => {
      const c = anonymous();
      const text = await c.say('du travail autour de lyon');
      expect(text).toMatch(/autour de Lyon/);
      const total = await db.connection.db.mission.count({ where: { status: 'open', epciCode: '200046977' } });
      expect(text).toContain(`${total} missions`);
    });

    it('an empty search suggests how to widen it with real counts', async () => {
      const c = anonymous();
      // Tassin-la-Demi-Lune (69244) is in the Lyon metropolis but has no demo mission.
      expect(await db.connection.db.mission.count({ where: { status: 'open', communeCode: '69244' } })).toBe(0);
      const text = await c.say('une mission a tassin la demi lune');
      expect(text).toMatch(/Aucune mission/);
      const around = await db.connection.db.mission.count({ where: { status: 'open', epciCode: '200046977' } });
      expect(text).toContain(`Autour de Tassin-la-Demi-Lune (${around})`);
      await c.press('Autour de Tassin');
      const ids = missionIdsIn(c.reply);
      expect(ids).toHaveLength(5);
      const rows = await db.connection.db.mission.findMany({ where: { id: { in: ids } } });
      expect(rows.every((m) => m.epciCode === '200046977')).toBe(true);
    });
  });

  describe('mission details and interest', () => {
    it('"plus d\'infos sur la 2" resolves against the last list', async () => {
      const c = anonymous();
      await c.say('jcherche du taf a marseille');
      const ids = missionIdsIn(c.reply);
      const text = await c.say("plus d'infos sur la 2");
      const m = await db.connection.db.mission.findUniqueOrThrow({ where: { id: ids[1]! } });
      expect(text).toContain(m.title);
      expect(text).toContain(m.description);
    });

    it('an anonymous user is invited to link, the choice is remembered and offered again after linking', async () => {
      const c = anonymous();
      await c.say('jcherche 1 taf a lille');
      const [firstId] = missionIdsIn(c.reply);
      const before = await db.connection.db.application.count();
      const text = await c.press('Ça m’intéresse');
      expect(text).toMatch(/relie d’abord ton compte/);
      expect(await db.connection.db.application.count()).toBe(before);

      const y = await youthByName('Inès', 'Moreau');
      await db.store.linkCodes.createLinkCode({ youthId: y.id, issuedById: y.counsellorId, codeHash: hashLinkCode('ABCD2345'), expiresAt: new Date(db.now.getTime() + 3_600_000) });
      const linkedText = await c.say('code abcd-2345');
      expect(linkedText).toContain('Ton compte est relié');
      expect(linkedText).toContain('Tu avais repéré');
      await c.press('✋');
      const app = await db.connection.db.application.findUnique({ where: { youthId_missionId: { youthId: y.id, missionId: firstId! } } });
      expect(app?.source).toBe('youth');
      const notif = await db.connection.db.notification.findFirst({ where: { kind: 'youth_interested', youthId: y.id } });
      expect(notif?.counsellorId).toBe(y.counsellorId);
    });

    it('a linked youth applying twice records one application', async () => {
      const { convo, youthId } = await linked('Kevin', 'Bernard');
      await convo.say('mission a villeurbanne');
      const [id] = missionIdsIn(convo.reply);
      await convo.say('ça m’intéresse la 1');
      const again = await convo.say('ça m’intéresse la 1');
      expect(again).toMatch(/déjà/);
      expect(await db.connection.db.application.count({ where: { youthId, missionId: id! } })).toBe(1);
    });
  });

  describe('applications, appointments, counsellor', () => {
    it('an unlinked user asking "mes candidatures" gets an invitation to link and no data', async () => {
      const c = anonymous();
      const text = await c.say('mes candidatures');
      expect(text).toMatch(/relie d’abord ton compte/);
      expect(missionIdsIn(c.reply)).toHaveLength(0);
    });

    it('a linked youth sees their applications with statuses from the store', async () => {
      const { convo, youthId } = await linked('Léa', 'Martin');
      const text = await convo.say('g postulé ou?');
      const apps = await db.connection.db.application.findMany({ where: { youthId }, include: { mission: true } });
      if (apps.length === 0) expect(text).toMatch(/pas encore de candidature/);
      for (const a of apps) expect(text).toContain(a.mission.title);
    });

    it('shows the next appointment and records an appointment request', async () => {
      const { convo, youthId } = await linked('Inès', 'Moreau');
      const text = await convo.say('c quand mon rdv');
      const next = await db.connection.db.appointment.findFirst({ where: { youthId, at: { gte: db.now }, status: 'planned' } });
      if (next) expect(text).toContain(next.place);
      else expect(text).toMatch(/pas de rendez-vous/);
      await convo.press('Demander');
      expect(await db.connection.db.youthRequest.count({ where: { youthId, kind: 'appointment', status: 'open' } })).toBe(1);
    });

    it('contact my counsellor records a request and gives the Mission locale phone', async () => {
      const { convo, youthId } = await linked('Chloé', 'Petit');
      const text = await convo.say('je veux parler a ma conseillere');
      const y = await db.connection.db.youth.findUniqueOrThrow({ where: { id: youthId }, include: { missionLocale: true, counsellor: true } });
      expect(text).toContain(y.missionLocale.phone);
      expect(text).toContain(y.counsellor.lastName);
      expect(await db.connection.db.youthRequest.count({ where: { youthId, kind: 'contact', status: 'open' } })).toBe(1);
    });
  });

  describe('support and FAQ', () => {
    it('lists the housing measures from the store and runs an eligibility pre-check', async () => {
      const c = anonymous();
      const text = await c.say('jai pas de logement pour ma mission');
      const measures = await db.connection.db.supportMeasure.findMany({ where: { topic: 'housing' } });
      expect(measures.length).toBeGreaterThan(0);
      for (const m of measures.slice(0, 8)) expect(text).toContain(m.title);
      const withRules = measures.find((m) => Array.isArray(m.eligibility) && m.eligibility.length > 0)!;
      const detail = await c.sendAction(`ms:${withRules.key}`);
      expect(detail).toContain(withRules.howToRequest.slice(0, 40));
      expect(detail).toMatch(/Source/);
      const rules = withRules.eligibility as { question: string }[];
      expect(detail).toContain(rules[0]!.question);
      let last = detail;
      for (let i = 0; i < rules.length && /Vérifions/.test(last); i++) last = await c.press('Oui');
      expect(last).toMatch(/tu sembles remplir les conditions/);
    });

    it('a "no" answer concludes the youth does not seem eligible', async () => {
      const c = anonymous();
      const m = (await db.connection.db.supportMeasure.findMany()).find((x) => Array.isArray(x.eligibility) && x.eligibility.length > 0)!;
      await c.sendAction(`ms:${m.key}`);
      const text = await c.press('Non');
      expect(text).toMatch(/ne sembles pas remplir/);
    });

    it('telling the counsellor about a barrier records it on the linked file', async () => {
      const { convo, youthId } = await linked('Yanis', 'Haddad');
      await convo.say('aide pour le permis de conduire');
      await convo.press('Prévenir mon conseiller');
      const barrier = await db.connection.db.barrier.findFirst({ where: { youthId, topic: 'mobility', status: { in: ['open', 'in_progress'] } } });
      expect(barrier).not.toBeNull();
    });

    it('answers an SMS-style FAQ question with the stored answer and its source', async () => {
      const c = anonymous();
      const text = await c.say('c koi lindemnite de fin de mission');
      const entries = await db.connection.db.faqEntry.findMany();
      const shown = entries.find((e) => text.includes(e.answer));
      expect(shown).toBeDefined();
      expect(text).toContain('Source');
      expect(text).toMatch(/fin de mission/i);
      expect(c.buttonLabels().join(' ')).toMatch(/Contacter mon conseiller/);
    });
  });

  describe('linking and data rights', () => {
    it('wrong, expired and reused codes get a clear message', async () => {
      const y = await youthByName('Léa', 'Martin');
      const c = anonymous();
      expect(await c.say('code ZZZZ2222')).toMatch(/pas valable/);
      await db.store.linkCodes.createLinkCode({ youthId: y.id, issuedById: y.counsellorId, codeHash: hashLinkCode('EXPD2345'), expiresAt: new Date(db.now.getTime() - 1000) });
      expect(await c.say('code EXPD2345')).toMatch(/expiré/);
      await db.store.linkCodes.createLinkCode({ youthId: y.id, issuedById: y.counsellorId, codeHash: hashLinkCode('USED2345'), expiresAt: new Date(db.now.getTime() + 3_600_000) });
      const other = anonymous();
      expect(await other.say('code USED2345')).toContain('relié');
      expect(await c.say('code USED2345')).toMatch(/déjà été utilisé/);
    });

    it('brute-forcing codes hits the limit', async () => {
      const c = anonymous();
      const answers = [];
      for (let i = 0; i < 7; i++) answers.push(await c.say(`code QQQQ${2222 + i}`.replace(/[01]/g, '3')));
      expect(answers.slice(0, 5).every((a) => /pas valable/.test(a))).toBe(true);
      expect(answers[5]).toMatch(/Trop d’essais/);
      expect(answers[6]).toMatch(/Trop d’essais/);
    });

    it('deleting my data asks confirmation, unlinks, erases the state and audits', async () => {
      const { convo, youthId } = await linked('Kevin', 'Bernard');
      await convo.say('mission a lyon');
      const text = await convo.say('supprime mes données');
      expect(text).toMatch(/vraiment/);
      const done = await convo.say('oui');
      expect(done).toMatch(/supprimées/);
      const y = await db.connection.db.youth.findUniqueOrThrow({ where: { id: youthId } });
      expect(y.telegramUserId).toBeNull();
      expect(y.telegramChatId).toBeNull();
      expect(y.contactPrefs).toBeNull();
      expect(await db.connection.db.conversationState.count({ where: { channel: 'telegram', channelUserId: convo.channelUserId } })).toBe(0);
      expect(await db.connection.db.auditEvent.count({ where: { youthId, action: 'delete_data' } })).toBe(1);
      expect(await convo.say('mes candidatures')).toMatch(/relie d’abord/);
    });

    it('"non" cancels the deletion', async () => {
      const { convo, youthId } = await linked('Chloé', 'Petit');
      await convo.say('efface mes donnees');
      expect(await convo.say('non')).toMatch(/ne supprime rien/);
      expect((await db.connection.db.youth.findUniqueOrThrow({ where: { id: youthId } })).telegramUserId).toBe(convo.channelUserId);
    });
  });

  describe('bad input', () => {
    it.each([
      ['empty', ''],
      ['spaces', '    '],
      ['emoji only', '😂😂🔥'],
    ])('%s text gets a clear answer with the menu', async (_name, text) => {
      const c = anonymous();
      const out = await c.say(text);
      expect(out).toMatch(/pas compris/);
      expect(c.buttonLabels().length).toBeGreaterThan(0);
    });

    it('a 4,096+ character message is refused politely', async () => {
      const c = anonymous();
      expect(await c.say('a'.repeat(5000))).toMatch(/trop long/);
    });

    it('HTML and Markdown special characters are handled as plain text', async () => {
      const c = anonymous();
      const out = await c.say('<b>jcherche</b> *taf* a [lyon](http://x) & co');
      expect(c.last?.intent).not.toBe('error');
      expect(out.length).toBeGreaterThan(0);
    });

    it('unknown button payloads and forged counsellor buttons are refused', async () => {
      const c = anonymous();
      expect(await c.sendAction('zz:999')).toMatch(/plus valable/);
      expect(await c.sendAction('ys:1')).toMatch(/pas disponible/);
      expect(await c.sendAction('md:abc')).toMatch(/plus valable/);
    });

    it('a stale "voir plus" from an old list when the state is gone', async () => {
      const c = anonymous();
      expect(await c.sendAction('sp:3')).toMatch(/plus disponible/);
    });

    it('a redelivered event is not applied twice', async () => {
      const { convo, youthId } = await linked('Léa', 'Martin');
      await convo.say('mission a bron');
      const id = missionIdsIn(convo.reply)[0];
      expect(id).toBeDefined();
      const before = await db.connection.db.application.count({ where: { youthId } });
      const r1 = await convo.send({ action: `ap:${id}` }, 'same-event-1');
      const r2 = await convo.send({ action: `ap:${id}` }, 'same-event-1');
      expect(r1).toMatch(/noté|déjà/);
      expect(r2).toBe('');
      expect(convo.last?.duplicate).toBe(true);
      expect(await db.connection.db.application.count({ where: { youthId } })).toBe(before + (r1.includes('noté') ? 1 : 0));
    });
  });
});

describe('context and clarification', () => {
  let db: TestDatabase;
  let assistant: Assistant;
  beforeAll(async () => {
    const { sqliteTestDatabase } = await import('../helpers/db.js');
    db = await sqliteTestDatabase();
    assistant = testAssistant(db);
  });
  afterAll(async () => db.close());

  it('"celle-là" refers to the mission last looked at, "la deuxième" to the list', async () => {
    const c = new Conversation(assistant, 'telegram', '8800001');
    await c.say('taf a lille');
    const ids = missionIdsIn(c.reply);
    const second = await db.connection.db.mission.findUniqueOrThrow({ where: { id: ids[1]! } });
    expect(await c.say('c koi la deuxième')).toContain(second.description);
    const text = await c.say('celle-là m’intéresse');
    expect(text).toMatch(/relie d’abord ton compte/);
    const state = await db.connection.db.conversationState.findFirstOrThrow({ where: { channel: 'telegram', channelUserId: '8800001' } });
    expect((state.state as { wantedMissionIds?: number[] }).wantedMissionIds).toEqual([second.id]);
  });

  it('asks a short question with buttons when two intents are too close', async () => {
    const close = (text: string) => ({
      intent: 'faq' as const,
      confidence: 0.5,
      alternatives: [{ intent: 'support' as const, confidence: 0.48 }],
      entities: {},
      signals: {},
      ...(text ? {} : {}),
    });
    const a = testAssistant(db, { understand: close });
    const c = new Conversation(a, 'telegram', '8800002');
    const text = await c.say('les sous pendant la mission');
    expect(c.last?.intent).toBe('clarify');
    expect(text).toMatch(/être sûr/);
    expect(c.buttonLabels()).toEqual(['❓ Questions sur l’intérim', '🤝 Les aides']);
    await c.press('Les aides');
    expect(c.buttonLabels().join(' ')).toMatch(/Logement/);
  });

  it('a database that is down gets a clear, retryable answer and no crash', async () => {
    const { connect } = await import('../../src/store/client.js');
    const { bindStore } = await import('../../src/store/index.js');
    const dead = connect('postgresql://postgres@127.0.0.1:1/nothing');
    const a = testAssistant({ ...db, store: bindStore(dead.db) });
    const c = new Conversation(a, 'telegram', '8800003');
    const text = await c.say('jcherche 1 taf a lyon');
    expect(text).toMatch(/Réessaie dans quelques minutes/);
    expect(c.last?.retryable).toBe(true);
    expect(text).not.toMatch(/Error|at .*\.ts/);
    await dead.close();
  });
});
