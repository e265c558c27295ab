import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseFactories, type TestDatabase } from '../helpers/db.js';
import { Conversation, testAssistant } from '../helpers/conversation.js';
import { encodeAction } from '../../src/core/actions.js';
import { generateLinkCode, hashLinkCode } from '../../src/core/linking.js';
import type { Assistant } from '../../src/core/types.js';

/**
 * The half-written turn of issue 11: "tell my counsellor" writes a barrier, a request, a notification and an
 * audit event. The database fails at the third write (a trigger on the real database refuses the notification,
 * as a cut connection would), so before the fix the barrier and the request stayed while the counsellor was never
 * told, and the redelivery was dropped as a duplicate.
 */
const TRIGGERS = {
  sqlite: {
    cut: `CREATE TRIGGER cut_notifications BEFORE INSERT ON "Notification" BEGIN SELECT RAISE(ABORT, 'connection lost'); END`,
    restore: [`DROP TRIGGER cut_notifications`],
  },
  postgresql: {
    cut: `CREATE FUNCTION cut_notifications() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'connection lost' USING ERRCODE = '08006'; END $$ LANGUAGE plpgsql;
          CREATE TRIGGER cut_notifications BEFORE INSERT ON "Notification" FOR EACH ROW EXECUTE FUNCTION cut_notifications()`,
    restore: [`DROP TRIGGER cut_notifications ON "Notification"`, `DROP FUNCTION cut_notifications()`],
  },
} as const;

describe.each(databaseFactories)('atomic turns on %s', (kind, open) => {
  let db: TestDatabase;
  let assistant: Assistant;
  beforeAll(async () => {
    db = await open();
    assistant = testAssistant(db);
  });
  afterAll(async () => db.close());

  async function counts(youthId: number, eventId: string) {
    const p = db.connection.db;
    return {
      barriers: await p.barrier.count({ where: { youthId } }),
      requests: await p.youthRequest.count({ where: { youthId } }),
      notifications: await p.notification.count({ where: { youthId } }),
      audits: await p.auditEvent.count({ where: { youthId, action: 'record_barrier' } }),
      marks: await p.processedUpdate.count({ where: { channel: 'telegram', eventId } }),
    };
  }

  it('a turn cut at its third write leaves nothing behind, says so, and its redelivery runs afresh, once', async () => {
    const youth = await db.connection.db.youth.findFirstOrThrow({ where: { telegramUserId: null, anonymizedAt: null }, orderBy: { id: 'desc' } });
    const code = generateLinkCode();
    await db.store.linkCodes.createLinkCode({ youthId: youth.id, issuedById: youth.counsellorId, codeHash: hashLinkCode(code), expiresAt: new Date(db.now.getTime() + 3_600_000) });
    const convo = new Conversation(assistant, 'telegram', String(8_800_000 + youth.id));
    expect(await convo.say(`code ${code}`)).toContain('relié');

    const eventId = `cut-${kind}-${youth.id}`;
    const before = await counts(youth.id, eventId);
    const press = { action: encodeAction({ kind: 'tell_counsellor_barrier', topic: 'mobility' }) };
    const triggers = TRIGGERS[kind];
    await db.connection.db.$executeRawUnsafe(triggers.cut.split(';\n')[0]!);
    if (triggers.cut.includes(';\n')) await db.connection.db.$executeRawUnsafe(triggers.cut.split(';\n')[1]!);
    let failedReply: string;
    try {
      failedReply = await convo.send(press, eventId);
    } finally {
      for (const sql of triggers.restore) await db.connection.db.$executeRawUnsafe(sql);
    }
    expect(failedReply).toMatch(/rien .*n’a été enregistré/i);
    expect(convo.last?.intent).toMatch(kind === 'postgresql' ? 'store_unavailable' : 'error');
    if (kind === 'postgresql') expect(convo.last?.retryable).toBe(true);
    expect(await counts(youth.id, eventId)).toEqual(before);

    // Telegram redelivers the same update: it is handled, completely, once.
    expect(await convo.send(press, eventId)).toContain('C’est transmis');
    expect(await counts(youth.id, eventId)).toEqual({
      barriers: before.barriers + 1,
      requests: before.requests + 1,
      notifications: before.notifications + 1,
      audits: before.audits + 1,
      marks: 1,
    });
    await convo.send(press, eventId);
    expect(convo.last?.duplicate).toBe(true);
    expect((await counts(youth.id, eventId)).notifications).toBe(before.notifications + 1);
  });

  it('two deliveries of one update racing are applied once', async () => {
    const youth = await db.connection.db.youth.findFirstOrThrow({ where: { telegramUserId: null, anonymizedAt: null }, orderBy: { id: 'asc' } });
    const code = generateLinkCode();
    await db.store.linkCodes.createLinkCode({ youthId: youth.id, issuedById: youth.counsellorId, codeHash: hashLinkCode(code), expiresAt: new Date(db.now.getTime() + 3_600_000) });
    const userId = String(8_900_000 + youth.id);
    const convo = new Conversation(assistant, 'telegram', userId);
    expect(await convo.say(`code ${code}`)).toContain('relié');
    const eventId = `race-${kind}-${youth.id}`;
    const before = await counts(youth.id, eventId);
    const event = {
      channel: 'telegram' as const,
      channelUserId: userId,
      channelConversationId: userId,
      action: encodeAction({ kind: 'tell_counsellor_barrier', topic: 'housing' }),
      receivedAt: new Date(),
      eventId,
    };
    const results = await Promise.all(Array.from({ length: 6 }, () => assistant.handle(event)));
    expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
    expect(results.filter((r) => r.duplicate)).toHaveLength(5);
    // One reply goes out, whoever claims it: the turn, or a racing delivery that found it kept first.
    expect(results.filter((r) => r.reply.blocks.length > 0)).toHaveLength(1);
    const after = await counts(youth.id, eventId);
    expect(after.notifications).toBe(before.notifications + 1);
    expect(after.marks).toBe(1);
  });

  it('a redelivery finds the unclaimed reply of a kept turn (its COMMIT kept, its connection lost) and sends it once', async () => {
    const eventId = `kept-${kind}-${Date.now()}`;
    const convo = new Conversation(assistant, 'telegram', '8_950_001');
    // What such a turn leaves: its mark and its reply, which nobody claimed (test/telegram/commit-ack.test.ts
    // produces it through a real lost acknowledgement on PostgreSQL).
    expect(await db.store.conversation.markEventProcessed('telegram', eventId)).toBe(true);
    await db.store.conversation.keepReply('telegram', eventId, { blocks: [{ type: 'text', segments: ['C’est transmis à ta conseillère.'] }] });
    expect(await convo.send({ text: 'bonjour' }, eventId)).toContain('C’est transmis');
    expect(convo.last?.duplicate).toBe(true);
    await convo.send({ text: 'bonjour' }, eventId);
    expect(convo.last?.duplicate).toBe(true);
    expect(convo.last?.reply.blocks).toEqual([]);
  });

  it('a kept row that is not a reply is not sent', async () => {
    const eventId = `kept-bad-${kind}-${Date.now()}`;
    await db.store.conversation.markEventProcessed('telegram', eventId);
    await db.store.conversation.keepReply('telegram', eventId, { blocks: [{ type: 'script' }] });
    const convo = new Conversation(assistant, 'telegram', '8_950_002');
    await convo.send({ text: 'bonjour' }, eventId);
    expect(convo.last?.duplicate).toBe(true);
    expect(convo.last?.reply.blocks).toEqual([]);
  });
});
