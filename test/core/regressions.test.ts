import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqliteTestDatabase, type TestDatabase } from '../helpers/db.js';
import { Conversation, missionIdsIn, testAssistant } from '../helpers/conversation.js';
import type { Assistant } from '../../src/core/types.js';
import { decodeAction, encodeAction } from '../../src/core/actions.js';
import pino from 'pino';
import { createOutbox, teamsAddressKey } from '../../src/core/outbox.js';
import { memoryLimiterBackend } from '../../src/core/rate-limit.js';
import { createDeliveryEngine } from '../../src/delivery/engine.js';
import { createPacer } from '../../src/delivery/pace.js';
import { createRetryPolicy } from '../../src/delivery/retry-policy.js';
import { createInProcessQueue } from '../../src/store/jobs.js';
import { generateLinkCode, hashLinkCode } from '../../src/core/linking.js';

// Defects found in review, each pinned by the attempt that exposed it.
let db: TestDatabase;
let assistant: Assistant;
let user = 9_500_000;
beforeAll(async () => {
  db = await sqliteTestDatabase();
  assistant = testAssistant(db);
});
afterAll(async () => db.close());

async function linkedAs(first: string, last: string): Promise<{ c: Conversation; youthId: number }> {
  const y = await db.connection.db.youth.findFirstOrThrow({ where: { firstName: first, lastName: last } });
  const code = generateLinkCode();
  await db.store.linkCodes.createLinkCode({ youthId: y.id, issuedById: y.counsellorId, codeHash: hashLinkCode(code), expiresAt: new Date(db.now.getTime() + 3_600_000) });
  const c = new Conversation(assistant, 'telegram', String(++user));
  expect(await c.say(`code ${code}`)).toContain('relié');
  return { c, youthId: y.id };
}

describe('pending questions', () => {
  it('a deletion question left unanswered is dropped: a later "ok" deletes nothing', async () => {
    const { c, youthId } = await linkedAs('Chloé', 'Petit');
    await c.say('supprime mes données');
    await c.say('c quand mon rdv');
    await c.say('ok merci');
    expect((await db.connection.db.youth.findUniqueOrThrow({ where: { id: youthId } })).telegramUserId).toBe(c.channelUserId);
  });

  it('pressing another button also drops it', async () => {
    const { c, youthId } = await linkedAs('Kevin', 'Bernard');
    await c.say('efface mes donnees');
    await c.sendAction(encodeAction({ kind: 'intent', intent: 'help' }));
    await c.say('oui');
    expect((await db.connection.db.youth.findUniqueOrThrow({ where: { id: youthId } })).telegramUserId).toBe(c.channelUserId);
  });
});

describe('mission positions', () => {
  it('"la 7" after a list of 5 asks which mission instead of applying to mission n° 7', async () => {
    const { c, youthId } = await linkedAs('Léa', 'Martin');
    await c.say('taf a lyon');
    expect(missionIdsIn(c.reply)).toHaveLength(5);
    const before = await db.connection.db.application.count({ where: { youthId } });
    expect(await c.say('la 7 m’intéresse')).toMatch(/De quelle mission/);
    expect(await db.connection.db.application.count({ where: { youthId } })).toBe(before);
  });

  it('"je veux la deuxième" with no list shown applies to nothing', async () => {
    const { c, youthId } = await linkedAs('Inès', 'Moreau');
    const before = await db.connection.db.application.count({ where: { youthId } });
    expect(await c.say('je veux la deuxième')).toMatch(/De quelle mission/);
    expect(await db.connection.db.application.count({ where: { youthId } })).toBe(before);
  });
});

describe('forged and oversized button payloads', () => {
  it.each(['md:9999999999', 'ap:2147483648', 'sw:toString', 'cl:constructor::', 'cl:__proto__::'])('%s is refused as a stale button, not an error', async (payload) => {
    expect(decodeAction(payload)).toBeNull();
    const c = new Conversation(assistant, 'telegram', String(++user));
    expect(await c.sendAction(payload)).toMatch(/plus valable/);
    expect(c.last?.retryable).toBeUndefined();
  });

  it('every measure and FAQ button of the catalogue fits and decodes (no measure unreachable)', async () => {
    for (const m of await db.connection.db.supportMeasure.findMany()) {
      for (const a of [{ kind: 'measure' as const, key: m.key }, { kind: 'eligibility_answer' as const, key: m.key, rule: 9, yes: false }]) {
        expect(decodeAction(encodeAction(a))).toEqual(a);
      }
    }
    for (const f of await db.connection.db.faqEntry.findMany()) expect(decodeAction(encodeAction({ kind: 'faq', key: f.key }))).toEqual({ kind: 'faq', key: f.key });
  });
});

describe('stale missions', () => {
  it('an "open" mission whose end date has passed is neither listed nor accepted', async () => {
    const stale = await db.connection.db.mission.findFirstOrThrow({ where: { status: 'open', communeCode: '59599' }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] });
    await db.connection.db.mission.update({ where: { id: stale.id }, data: { endDate: new Date(db.now.getTime() - 86_400_000) } });
    const { c, youthId } = await linkedAs('Yanis', 'Haddad');
    await c.say('taf a tourcoing');
    expect(missionIdsIn(c.reply)).not.toContain(stale.id);
    expect(await c.sendAction(`ap:${stale.id}`)).toMatch(/plus disponible/);
    expect(await db.connection.db.application.count({ where: { youthId, missionId: stale.id } })).toBe(0);
  });
});

describe('notifications', () => {
  it('a replayed "ça m’intéresse" enqueues the counsellor alert once', async () => {
    const { c, youthId } = await linkedAs('Léa', 'Martin');
    await c.say('taf a villeurbanne');
    const [missionId] = missionIdsIn(c.reply);
    await c.sendAction(`ap:${missionId}`);
    await c.sendAction(`ap:${missionId}`);
    expect(await db.connection.db.notification.count({ where: { youthId, kind: 'youth_interested' } })).toBeGreaterThanOrEqual(1);
    const app = await db.connection.db.application.findUniqueOrThrow({ where: { youthId_missionId: { youthId, missionId: missionId! } } });
    const forThisApp = (await db.connection.db.notification.findMany({ where: { youthId, kind: 'youth_interested' } })).filter(
      (n) => (n.payload as { applicationId: number }).applicationId === app.id,
    );
    expect(forThisApp).toHaveLength(1);
  });

  it('alerts waiting for a counsellor who never opened Teams do not block the others', async () => {
    const nadia = await db.connection.db.counsellor.findFirstOrThrow({ where: { lastName: 'Benali' } });
    const sophie = await db.connection.db.counsellor.findFirstOrThrow({ where: { lastName: 'Durand' } });
    const yanis = await db.connection.db.youth.findFirstOrThrow({ where: { counsellorId: nadia.id } });
    const lea = await db.connection.db.youth.findFirstOrThrow({ where: { firstName: 'Léa', lastName: 'Martin' } });
    for (let i = 0; i < 30; i++) {
      const r = await db.connection.db.youthRequest.create({ data: { youthId: yanis.id, kind: 'contact', status: 'handled' } });
      await db.store.notifications.enqueueNotification({ kind: 'youth_request', counsellorId: nadia.id, youthId: yanis.id, requestId: r.id, requestKind: 'contact' });
    }
    const r = await db.connection.db.youthRequest.create({ data: { youthId: lea.id, kind: 'appointment', status: 'handled' } });
    const target = await db.store.notifications.enqueueNotification({ kind: 'youth_request', counsellorId: sophie.id, youthId: lea.id, requestId: r.id, requestKind: 'appointment' });
    await db.store.conversation.saveChannelAddress('teams', teamsAddressKey(sophie.id), { conversation: { id: 'a:test' } });
    const sent: number[] = [];
    const engine = createDeliveryEngine({
      store: db.store,
      outbox: createOutbox(db.store),
      jobs: createInProcessQueue(),
      pacer: createPacer(memoryLimiterBackend, 1_000),
      policy: createRetryPolicy(),
      log: pino({ level: 'silent' }),
      sweepIntervalMs: 60_000,
    });
    engine.attach([{ name: 'teams', canSend: () => true, send: async (d) => void sent.push(d.notificationId) }]);
    const outcomes = await engine.runDue();
    expect(sent).toContain(target);
    expect(outcomes.waiting).toBeGreaterThanOrEqual(30);
    // The 30 waiting for Nadia's address stay pending, not counted as failed attempts, and come back later.
    const waiting = await db.connection.db.notification.findMany({ where: { counsellorId: nadia.id, kind: 'youth_request', status: 'pending' } });
    expect(waiting.length).toBeGreaterThanOrEqual(30);
    expect(waiting.every((n) => n.attempts === 0 && n.nextAttemptAt.getTime() > Date.now())).toBe(true);
    await engine.stop();
  });
});

describe('counsellor messages', () => {
  it('a contact note mentioning "export" is logged as a note, not turned into a data export', async () => {
    const c = new Conversation(assistant, 'teams', '00000000-0000-4000-8000-000000000001');
    const lea = await db.connection.db.youth.findFirstOrThrow({ where: { firstName: 'Léa', lastName: 'Martin' } });
    const exportsBefore = await db.connection.db.auditEvent.count({ where: { action: 'export_youth_data', youthId: lea.id } });
    await c.say('note pour Léa Martin : intéressée par un poste à l’export');
    await c.say('oui');
    expect(await db.connection.db.auditEvent.count({ where: { action: 'export_youth_data', youthId: lea.id } })).toBe(exportsBefore);
    expect(await db.connection.db.interaction.count({ where: { youthId: lea.id, note: { contains: 'export' } } })).toBe(1);
  });
});
