import { readFileSync } from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseFactories, type TestDatabase } from '../helpers/db.js';
import { Conversation, missionIdsIn, testAssistant } from '../helpers/conversation.js';
import { importCounsellors } from '../../src/import/counsellors.js';
import { readTable } from '../../src/import/read.js';
import { formatReport } from '../../src/import/report.js';
import { repoRoot } from '../../src/store/database-url.js';
import { generateLinkCode, hashLinkCode } from '../../src/core/linking.js';
import { createOutbox, teamsAddressKey } from '../../src/core/outbox.js';
import { COUNSELLOR_LEFT } from '../../src/core/recipients.js';
import { memoryLimiterBackend } from '../../src/core/rate-limit.js';
import { createDeliveryEngine } from '../../src/delivery/engine.js';
import { createPacer } from '../../src/delivery/pace.js';
import { createRetryPolicy } from '../../src/delivery/retry-policy.js';
import { createInProcessQueue } from '../../src/store/jobs.js';

const FIXTURES = path.join(repoRoot, 'test', 'fixtures', 'imports');
const bytesOf = (name: string) => readFileSync(path.join(FIXTURES, name));

// Issue 12: a counsellor removed from the counsellor file is told nothing more. What was queued for them is dropped
// at delivery (why `recipient_gone`), nothing new is queued, and their youth are told the truth.
describe.each(databaseFactories)('notifications to a deactivated counsellor on %s', (_kind, open) => {
  let db: TestDatabase;
  let sophie: number;
  const notificationsOfSophie = () => db.connection.db.notification.findMany({ where: { counsellorId: sophie }, orderBy: { id: 'asc' }, select: { id: true, kind: true, status: true, lastError: true } });

  beforeAll(async () => {
    db = await open();
    sophie = (await db.connection.db.counsellor.findUniqueOrThrow({ where: { email: 'sophie.durand@ml-lyon.demo.invalid' } })).id;
  });
  afterAll(async () => db.close());

  it('a queued alert is dropped at delivery, nothing new is queued, and the youth is not told their counsellor knows', async () => {
    const assistant = testAssistant(db);
    const y = await db.connection.db.youth.findFirstOrThrow({ where: { counsellorId: sophie, status: 'active', telegramUserId: null, anonymizedAt: null }, orderBy: { id: 'asc' } });
    const code = generateLinkCode();
    await db.store.linkCodes.createLinkCode({ youthId: y.id, issuedById: sophie, codeHash: hashLinkCode(code), expiresAt: new Date(db.now.getTime() + 3_600_000) });
    const youth = new Conversation(assistant, 'telegram', '7700100');
    expect(await youth.say(`code ${code}`)).toContain('relié');

    // While Sophie is active, a call-back request reaches her queue and names her.
    expect(await youth.say('contacter ma conseillere')).toMatch(/Sophie Durand.* va te recontacter/);
    const before = await notificationsOfSophie();
    const queued = before.filter((n) => n.status === 'pending');
    expect(queued.length).toBeGreaterThanOrEqual(1);

    const report = await importCounsellors(db.store, readTable(bytesOf('counsellors-without-sophie.csv')), { now: db.now, actor: { id: 'cli:test' }, fileHash: 'd'.repeat(64) });
    expect(formatReport(report)[0]).toMatch(/^created \d+, updated 0, unchanged \d+, closed 1, rejected 0$/);
    // Her youth are listed for reassignment, this one among them.
    expect(formatReport(report)[1]).toMatch(new RegExp(`^conseiller ${sophie} désactivé : \\d+ jeunes à réaffecter \\((\\d+, )*${y.id}(, \\d+)*\\)$`));

    // Delivery: with a Teams address on file, the alert would go out; it is dropped as `recipient_gone` instead.
    await db.store.conversation.saveChannelAddress('teams', teamsAddressKey(sophie), { conversation: { id: 'a:sophie' } });
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
    await engine.runDue();
    const queuedIds = queued.map((n) => n.id);
    expect(sent.filter((id) => queuedIds.includes(id))).toEqual([]);
    const after = await notificationsOfSophie();
    for (const n of after.filter((x) => queuedIds.includes(x.id))) expect([n.status, n.lastError]).toEqual(['failed', 'recipient_gone']);

    // Nothing new is queued for her: an appointment request, an interest in a mission, a barrier, a call-back.
    await youth.say('mon rendez-vous');
    expect(await youth.press(/Demander un (autre )?rendez-vous/)).toContain(COUNSELLOR_LEFT);
    await youth.say('taf a lyon');
    const [missionId] = missionIdsIn(youth.reply);
    const interested = await youth.sendAction(`ap:${missionId}`);
    expect(interested).toContain(COUNSELLOR_LEFT);
    expect(interested).not.toContain('Ton conseiller·ère en est informé·e');
    await youth.say('les aides');
    await youth.press('Logement');
    const barrier = await youth.press('Prévenir mon conseiller');
    expect(barrier).toContain(COUNSELLOR_LEFT);
    expect(barrier).not.toContain('Ton conseiller·ère sait');
    const callBack = await youth.say('contacter ma conseillere');
    expect(callBack).toContain('Ta Mission locale va te recontacter');
    expect(callBack).not.toContain('Sophie');
    expect((await notificationsOfSophie()).map((n) => n.id)).toEqual(after.map((n) => n.id));
    // The requests themselves are on the youth's file, for the counsellor who takes them over.
    expect(await db.connection.db.youthRequest.count({ where: { youthId: y.id, kind: { in: ['appointment', 'barrier', 'contact'] } } })).toBeGreaterThanOrEqual(3);
    expect(await db.connection.db.application.count({ where: { youthId: y.id, missionId: missionId! } })).toBe(1);

    // Back in the file, she is told again.
    const back = await importCounsellors(db.store, readTable(bytesOf('counsellors-utf8-comma.csv')), { now: db.now, actor: { id: 'cli:test' }, fileHash: 'e'.repeat(64) });
    expect(formatReport(back)[0]).toMatch(/^created \d+, updated 1, /);
    await youth.say('mon rendez-vous');
    expect(await youth.press(/Demander un (autre )?rendez-vous/)).toContain('Ta demande de rendez-vous est déjà en cours');
    await youth.say('les aides');
    await youth.press('Mobilité');
    expect(await youth.press('Prévenir mon conseiller')).toContain('Ton conseiller·ère sait');
    // Two alerts: the mobility barrier, and the appointment request still open from while she was away.
    expect((await notificationsOfSophie()).filter((n) => n.status === 'pending').map((n) => n.kind)).toEqual(['youth_request', 'youth_request']);
  });
});
