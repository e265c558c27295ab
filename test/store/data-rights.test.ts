import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { databaseFactories, type TestDatabase } from '../helpers/db.js';
import { DAY, demoPeople, expectInvalid, randomHash, type DemoPeople } from './fixtures.js';

describe.each(databaseFactories)('data rights store on %s', (_kind, open) => {
  let db: TestDatabase;
  let people: DemoPeople;

  beforeAll(async () => {
    db = await open();
    people = await demoPeople(db);
  });
  afterAll(async () => {
    await db?.close();
  });

  const raw = () => db.connection.db;

  it('exportYouthData returns the whole file of a youth', async () => {
    const { lea } = people.named;
    const data = await db.store.dataRights.exportYouthData(lea);
    const y = await raw().youth.findUniqueOrThrow({ where: { id: lea } });
    expect(data).not.toBeNull();
    expect(data!.firstName).toBe('Léa');
    expect(data!.phone).toBe(y.phone);
    expect(data!.email).toBe(y.email);
    expect(data!.missionLocale.name).toContain('Lyon');
    expect(data!.counsellor).toEqual({ firstName: 'Sophie', lastName: 'Durand', email: 'sophie.durand@ml-lyon.demo.invalid' });
    expect(data!.placements).toHaveLength(await raw().placement.count({ where: { youthId: lea } }));
    expect(data!.placements.every((p) => typeof p.mission.title === 'string')).toBe(true);
    expect(data!.interactions).toHaveLength(await raw().interaction.count({ where: { youthId: lea } }));
    expect(data!.barriers).toHaveLength(await raw().barrier.count({ where: { youthId: lea } }));
    expect(data!.applications).toHaveLength(await raw().application.count({ where: { youthId: lea } }));
    expect(data!.appointments).toHaveLength(await raw().appointment.count({ where: { youthId: lea } }));
    expect(data!.requests).toHaveLength(await raw().youthRequest.count({ where: { youthId: lea } }));
    expect(await db.store.dataRights.exportYouthData(999_999)).toBeNull();
    await expectInvalid(db.store.dataRights.exportYouthData(0), /youth id/);
  });

  it('eraseBotData removes what the bot collected and keeps the follow-up file', async () => {
    const { kevin, lea } = people.named;
    const s = db.store;
    // What the bot collected about Kevin: a Telegram link, dialogue states, a channel address, a request text,
    // an unused link code and a pending mission proposal.
    await s.youth.linkTelegram(kevin, '700700', '700700');
    await s.conversation.saveConversationState('telegram', '700700', { step: 'x', name: 'Kevin' });
    await s.conversation.saveChannelAddress('telegram', '700700', { chatId: '700700' });
    await s.conversation.saveConversationState('terminal', 'kevin-local', { step: 'y' });
    const request = await s.activity.recordRequest(kevin, 'contact', 'Appelez-moi au 06 12 34 56 78');
    const code = await s.linkCodes.createLinkCode({ youthId: kevin, issuedById: people.counsellors.sophie, codeHash: randomHash(), expiresAt: new Date(Date.now() + DAY) });
    const mission = await raw().mission.findFirstOrThrow({ where: { status: 'open' } });
    await s.notifications.enqueueNotification({ kind: 'mission_proposal', youthId: kevin, missionId: mission.id, counsellorId: people.counsellors.sophie });
    const counsellorAlert = await s.notifications.enqueueNotification({ kind: 'youth_request', youthId: kevin, counsellorId: people.counsellors.sophie, requestId: request.id, requestKind: 'contact' });
    // Someone else's data must survive.
    await s.youth.linkTelegram(lea, '800800', '800800');
    await s.conversation.saveConversationState('telegram', '800800', { step: 'z' });
    const before = await raw().youth.findUniqueOrThrow({ where: { id: kevin }, include: { placements: true, interactions: true } });
    expect(before.contactPrefs).not.toBeNull();
    expect(before.consentAt).not.toBeNull();

    await s.dataRights.eraseBotData(kevin, [{ channel: 'terminal', channelUserId: 'kevin-local' }]);

    const after = await raw().youth.findUniqueOrThrow({ where: { id: kevin }, include: { placements: true, interactions: true, requests: true } });
    expect(after.telegramUserId).toBeNull();
    expect(after.telegramChatId).toBeNull();
    expect(after.linkedAt).toBeNull();
    expect(after.contactPrefs).toBeNull();
    expect(after.consentAt).toBeNull();
    expect(after.requests.every((r) => r.message === null)).toBe(true);
    expect(after.requests.length).toBeGreaterThan(0);
    expect(await raw().conversationState.count({ where: { channelUserId: { in: ['700700', 'kevin-local'] } } })).toBe(0);
    expect(await raw().channelAddress.count({ where: { channelUserId: '700700' } })).toBe(0);
    expect(await s.youth.findYouthByTelegramUser('700700')).toBeNull();
    expect((await raw().linkCode.findUniqueOrThrow({ where: { id: code.id } })).revokedAt).toBeInstanceOf(Date);
    expect(await raw().notification.count({ where: { youthId: kevin, kind: 'mission_proposal', status: 'pending' } })).toBe(0);
    expect(await raw().notification.count({ where: { id: counsellorAlert } })).toBe(1);
    // The follow-up file stays.
    expect(after.firstName).toBe('Kevin');
    expect(after.lastName).toBe('Bernard');
    expect(after.phone).toBe(before.phone);
    expect(after.birthDate).toEqual(before.birthDate);
    expect(after.placements).toHaveLength(before.placements.length);
    expect(after.interactions.map((i) => i.note)).toEqual(before.interactions.map((i) => i.note));
    // Léa is untouched.
    expect((await raw().youth.findUniqueOrThrow({ where: { id: lea } })).telegramUserId).toBe('800800');
    expect(await s.conversation.loadConversationState('telegram', '800800')).toEqual({ step: 'z' });

    // Erasing twice is harmless.
    await s.dataRights.eraseBotData(kevin, []);
    expect((await raw().youth.findUniqueOrThrow({ where: { id: kevin } })).firstName).toBe('Kevin');
    await expectInvalid(s.dataRights.eraseBotData(0, []), /youth id/);
  });

  it('anonymiseExitedYouth anonymises youth who exited before the date, once, and keeps their placements', async () => {
    const dr = db.store.dataRights;
    const exited = await raw().youth.findMany({
      where: { status: 'exited' },
      include: { placements: true, interactions: true, barriers: true, requests: true, appointments: true },
      orderBy: { id: 'asc' },
    });
    expect(exited).toHaveLength(6);
    const exitedIds = exited.map((y) => y.id);
    // Give one of them a link code, a Telegram link and a request text, to see them go.
    const target = exited[0]!;
    await db.store.youth.linkTelegram(target.id, '900900', '900900');
    await raw().youthRequest.create({ data: { youthId: target.id, kind: 'contact', message: 'Mon numéro: 06 99 99 99 99' } });
    await raw().linkCode.create({ data: { youthId: target.id, issuedById: target.counsellorId, codeHash: randomHash(), expiresAt: new Date(Date.now() + DAY) } });
    const others = await raw().youth.findMany({ where: { id: { notIn: exitedIds } }, orderBy: { id: 'asc' } });

    // Their exit (100 days ago) is after this cutoff: nothing happens.
    expect(await dr.anonymiseExitedYouth(new Date(db.now.getTime() - 200 * DAY))).toEqual({ anonymisedYouth: 0 });
    expect((await raw().youth.findUniqueOrThrow({ where: { id: target.id } })).firstName).toBe(target.firstName);

    expect(await dr.anonymiseExitedYouth(db.now)).toEqual({ anonymisedYouth: 6 });
    const afterFirst = await raw().youth.findMany({
      where: { id: { in: exitedIds } },
      include: { placements: true, interactions: true, barriers: true, requests: true, appointments: true, linkCodes: true },
      orderBy: { id: 'asc' },
    });
    for (const [i, y] of afterFirst.entries()) {
      const orig = exited[i]!;
      expect(y.firstName).toBe('Anonyme');
      expect(y.lastName).not.toContain(orig.lastName);
      expect(y.searchName).not.toContain(orig.lastName.toLowerCase());
      expect([y.birthDate, y.phone, y.email, y.telegramUserId, y.telegramChatId, y.linkedAt, y.consentAt, y.contactPrefs]).toEqual([null, null, null, null, null, null, null, null]);
      expect(y.anonymizedAt).toBeInstanceOf(Date);
      expect(y.interactions.map((x) => x.note).filter((x) => x !== null)).toEqual([]);
      expect(y.barriers.map((x) => x.note).filter((x) => x !== null)).toEqual([]);
      expect(y.requests.map((x) => x.message).filter((x) => x !== null)).toEqual([]);
      expect(y.appointments.map((x) => x.purpose).filter((x) => x !== null)).toEqual([]);
      expect(y.linkCodes).toEqual([]);
      // Placements stay for the programme figures.
      expect(y.placements.map((p) => [p.startDate, p.endDate, p.hours])).toEqual(orig.placements.map((p) => [p.startDate, p.endDate, p.hours]));
      expect(y.interactions).toHaveLength(orig.interactions.length);
      const dump = JSON.stringify(await dr.exportYouthData(y.id));
      for (const secret of [orig.phone!, orig.email!, orig.birthDate!.toISOString(), `${orig.firstName} ${orig.lastName}`]) expect(dump).not.toContain(secret);
    }
    expect(afterFirst.some((y) => y.placements.length > 0)).toBe(true);
    expect(await db.store.youth.findYouthByTelegramUser('900900')).toBeNull();

    // Idempotent: a second run finds nothing and changes nothing.
    expect(await dr.anonymiseExitedYouth(db.now)).toEqual({ anonymisedYouth: 0 });
    expect(await dr.anonymiseExitedYouth(new Date(db.now.getTime() + 1000 * DAY))).toEqual({ anonymisedYouth: 0 });
    const afterSecond = await raw().youth.findMany({ where: { id: { in: exitedIds } }, orderBy: { id: 'asc' } });
    expect(afterSecond).toEqual(afterFirst.map(({ placements: _p, interactions: _i, barriers: _b, requests: _r, appointments: _a, linkCodes: _l, ...y }) => y));

    // Youth still followed are untouched.
    const othersAfter = await raw().youth.findMany({ where: { id: { notIn: exitedIds } }, orderBy: { id: 'asc' } });
    expect(othersAfter.map((y) => [y.id, y.firstName, y.lastName, y.phone, y.anonymizedAt])).toEqual(others.map((y) => [y.id, y.firstName, y.lastName, y.phone, null]));
    // And the programme figures still count the anonymised youth's placements.
    const placements = await raw().placement.count({ where: { youthId: { in: exitedIds } } });
    expect(placements).toBe(exited.reduce((n, y) => n + y.placements.length, 0));
  });
});
