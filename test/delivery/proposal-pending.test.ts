import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createDeliveryStack, type DeliveryStack } from '../../src/delivery/compose.js';
import { DeliveryFailure } from '../../src/delivery/failure.js';
import { createInProcessQueue } from '../../src/store/jobs.js';
import { Conversation, testAssistant } from '../helpers/conversation.js';
import { databaseFactories, type TestDatabase } from '../helpers/db.js';
import { counsellor, youthId } from '../core/counsellor/helpers.js';

/**
 * A proposal becomes the young person's pending question only once it has reached the chat: before, a proposal
 * whose sending failed (Telegram down, to be retried) was already the pending question, so a "oui" typed in the
 * next minutes, about something else, accepted a mission the young person had never seen.
 */
describe.each(databaseFactories)('a proposal not yet delivered on %s', (_kind, open) => {
  let db: TestDatabase;
  let stack: DeliveryStack;
  let engineNow: Date;
  let telegramDown = true;
  const CHAT = '5010001';

  beforeAll(async () => {
    db = await open();
    engineNow = db.now;
    stack = await createDeliveryStack({ store: db.store, databaseUrl: db.url, config: loadConfig({ LOG_LEVEL: 'silent' }), log: pino({ level: 'silent' }), jobs: createInProcessQueue(), now: () => engineNow, coreNow: () => db.now });
    stack.engine.attach([
      {
        name: 'telegram',
        canSend: () => true,
        send: async () => {
          if (telegramDown) throw new DeliveryFailure('server', 'telegram 502');
        },
      },
    ]);
  });
  afterAll(async () => {
    await stack?.close();
    await db?.close();
  });

  it('a "oui" while the proposal waits for a retry answers nothing; once delivered, "oui" accepts it', async () => {
    const leaId = await youthId(db, 'Léa', 'Martin');
    await db.connection.db.youth.update({ where: { id: leaId }, data: { telegramUserId: CHAT, telegramChatId: CHAT, consentAt: db.now } });
    const assistant = testAssistant(db);
    const mission = await db.connection.db.mission.findFirstOrThrow({ where: { status: 'open', endDate: { gt: db.now }, applications: { none: { youthId: leaId } } }, orderBy: { id: 'asc' } });
    const sophie = counsellor(assistant, 'sophie');
    await sophie.say(`propose la mission ${mission.id} à Léa Martin`);
    expect(await sophie.sendAction('cf:y')).toMatch(/Mission proposée à Léa Martin/);
    const application = () => db.connection.db.application.findUniqueOrThrow({ where: { youthId_missionId: { youthId: leaId, missionId: mission.id } } });
    expect((await application()).status).toBe('proposed');

    // Queued at the wall clock: the engine runs a minute later.
    engineNow = new Date(Math.max(Date.now(), db.now.getTime()) + 60_000);
    expect((await stack.engine.runDue()).retry).toBe(1);
    const lea = new Conversation(assistant, 'telegram', CHAT);
    expect(await lea.say('oui')).not.toMatch(/Ton intérêt pour/);
    expect((await application()).status).toBe('proposed');

    telegramDown = false;
    engineNow = new Date(engineNow.getTime() + 3_600_000);
    expect((await stack.engine.runDue()).sent).toBe(1);
    expect(await lea.say('oui')).toMatch(/Ton intérêt pour .* est enregistré/);
    expect((await application()).status).toBe('sent');
  });
});
