import { randomUUID } from 'node:crypto';
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { databaseFactories, type TestDatabase } from '../helpers/db.js';
import { expectInvalid } from './fixtures.js';

describe.each(databaseFactories)('conversation store on %s', (_kind, open) => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await open();
  });
  afterAll(async () => {
    await db?.close();
  });

  const cv = () => db.store.conversation;
  const state = { step: 'mission_list', shown: [12, 7, 3], query: { commune: 'Villeurbanne', sector: null }, note: 'Léa “ok” ✓', n: 1.5, flag: false };

  it('saves, loads, overwrites and deletes a dialogue state', async () => {
    expect(await cv().loadConversationState('telegram', '1001')).toBeNull();
    await cv().saveConversationState('telegram', '1001', state);
    expect(await cv().loadConversationState('telegram', '1001')).toEqual(state);
    // Same user id on another channel is another state.
    expect(await cv().loadConversationState('teams', '1001')).toBeNull();
    await cv().saveConversationState('teams', '1001', { other: true });
    await cv().saveConversationState('telegram', '1001', { step: 'idle' });
    expect(await cv().loadConversationState('telegram', '1001')).toEqual({ step: 'idle' });
    expect(await cv().loadConversationState('teams', '1001')).toEqual({ other: true });
    expect(await db.connection.db.conversationState.count({ where: { channelUserId: '1001' } })).toBe(2);

    await cv().deleteConversationState('telegram', '1001');
    expect(await cv().loadConversationState('telegram', '1001')).toBeNull();
    expect(await cv().loadConversationState('teams', '1001')).toEqual({ other: true });
    // Deleting what is not there is fine.
    await cv().deleteConversationState('telegram', '1001');
  });

  it('keeps arrays, strings and numbers as states', async () => {
    for (const s of [[1, 'two', { three: 3 }], 'just text', 42]) {
      await cv().saveConversationState('terminal', 'local', s);
      expect(await cv().loadConversationState('terminal', 'local')).toEqual(s);
    }
  });

  it('purgeConversationStates deletes only states untouched since the given instant', async () => {
    await cv().saveConversationState('telegram', 'old-1', { a: 1 });
    await cv().saveConversationState('telegram', 'old-2', { a: 2 });
    await cv().saveConversationState('telegram', 'fresh', { a: 3 });
    const long = new Date(Date.now() - 40 * 86_400_000);
    await db.connection.db.conversationState.updateMany({ where: { channelUserId: { in: ['old-1', 'old-2'] } }, data: { updatedAt: long } });
    const totalBefore = await db.connection.db.conversationState.count();
    const expected = await db.connection.db.conversationState.count({ where: { updatedAt: { lt: new Date(Date.now() - 30 * 86_400_000) } } });
    expect(expected).toBe(2);
    expect(await cv().purgeConversationStates(new Date(Date.now() - 30 * 86_400_000))).toBe(2);
    expect(await cv().loadConversationState('telegram', 'old-1')).toBeNull();
    expect(await cv().loadConversationState('telegram', 'old-2')).toBeNull();
    expect(await cv().loadConversationState('telegram', 'fresh')).toEqual({ a: 3 });
    expect(await db.connection.db.conversationState.count()).toBe(totalBefore - 2);
    expect(await cv().purgeConversationStates(new Date(Date.now() - 30 * 86_400_000))).toBe(0);
  });

  it('saving a state refreshes it: a purge no longer removes it', async () => {
    await cv().saveConversationState('teams', 'aad-1', { v: 1 });
    await db.connection.db.conversationState.updateMany({ where: { channelUserId: 'aad-1' }, data: { updatedAt: new Date(Date.now() - 90 * 86_400_000) } });
    await cv().saveConversationState('teams', 'aad-1', { v: 2 });
    expect(await cv().purgeConversationStates(new Date(Date.now() - 86_400_000))).toBe(0);
    expect(await cv().loadConversationState('teams', 'aad-1')).toEqual({ v: 2 });
  });

  it('markEventProcessed is true the first time, false on a redelivery; unmark lets it through again', async () => {
    const id = `upd-${randomUUID()}`;
    expect(await cv().markEventProcessed('telegram', id)).toBe(true);
    expect(await cv().markEventProcessed('telegram', id)).toBe(false);
    expect(await cv().markEventProcessed('telegram', id)).toBe(false);
    expect(await cv().markEventProcessed('teams', id)).toBe(true);
    await cv().unmarkEventProcessed('telegram', id);
    expect(await cv().markEventProcessed('telegram', id)).toBe(true);
    expect(await db.connection.db.processedUpdate.count({ where: { eventId: id } })).toBe(2);
  });

  it('concurrent markEventProcessed on one event: exactly one true', async () => {
    for (let round = 0; round < 3; round++) {
      const id = `race-${randomUUID()}`;
      const results = await Promise.all(Array.from({ length: 5 }, () => cv().markEventProcessed('telegram', id)));
      expect(results.filter((r) => r)).toHaveLength(1);
      expect(await db.connection.db.processedUpdate.count({ where: { eventId: id } })).toBe(1);
    }
  });

  it('a kept reply is read back until claimed; the claim erases it and is true once', async () => {
    const id = `kept-${randomUUID()}`;
    const kept = { blocks: [{ type: 'text', segments: ['C’est transmis à ', { bold: 'Léa' }] }], replacesPrevious: true };
    expect(await cv().markEventProcessed('telegram', id)).toBe(true);
    expect(await cv().unclaimedReply('telegram', id)).toBeNull();
    await cv().keepReply('telegram', id, kept);
    expect(await cv().unclaimedReply('telegram', id)).toEqual(kept);
    // Another channel's delivery with the same id is another row.
    expect(await cv().unclaimedReply('teams', id)).toBeNull();
    expect(await cv().claimReply('teams', id)).toBe(false);
    expect(await cv().claimReply('telegram', id)).toBe(true);
    expect(await cv().claimReply('telegram', id)).toBe(false);
    expect(await cv().unclaimedReply('telegram', id)).toBeNull();
    // Nothing personal stays on the row once claimed.
    expect((await db.connection.db.processedUpdate.findFirstOrThrow({ where: { channel: 'telegram', eventId: id } })).reply).toBeNull();
  });

  it('concurrent claims of one kept reply: exactly one true', async () => {
    for (let round = 0; round < 3; round++) {
      const id = `claim-race-${randomUUID()}`;
      await cv().markEventProcessed('telegram', id);
      await cv().keepReply('telegram', id, { blocks: [{ type: 'text', segments: ['ok'] }] });
      const results = await Promise.all(Array.from({ length: 5 }, () => cv().claimReply('telegram', id)));
      expect(results.filter((r) => r)).toHaveLength(1);
    }
  });

  it('purgeProcessedEvents forgets old delivery ids only', async () => {
    const oldId = `old-${randomUUID()}`;
    const newId = `new-${randomUUID()}`;
    await cv().markEventProcessed('telegram', oldId);
    await cv().markEventProcessed('telegram', newId);
    await db.connection.db.processedUpdate.updateMany({ where: { eventId: oldId }, data: { processedAt: new Date(Date.now() - 3 * 86_400_000) } });
    const expected = await db.connection.db.processedUpdate.count({ where: { processedAt: { lt: new Date(Date.now() - 86_400_000) } } });
    expect(await cv().purgeProcessedEvents(new Date(Date.now() - 86_400_000))).toBe(expected);
    expect(expected).toBeGreaterThanOrEqual(1);
    expect(await db.connection.db.processedUpdate.count({ where: { eventId: oldId } })).toBe(0);
    expect(await cv().markEventProcessed('telegram', newId)).toBe(false);
    expect(await cv().markEventProcessed('telegram', oldId)).toBe(true);
  });

  it('saves and finds a channel address, the latest one wins', async () => {
    expect(await cv().findChannelAddress('teams', 'aad-9')).toBeNull();
    const ref = { conversation: { id: 'a:1' }, serviceUrl: 'https://smba.trafficmanager.net/fr/', user: { id: '29:x' } };
    await cv().saveChannelAddress('teams', 'aad-9', ref);
    expect(await cv().findChannelAddress('teams', 'aad-9')).toEqual(ref);
    await cv().saveChannelAddress('teams', 'aad-9', { ...ref, conversation: { id: 'a:2' } });
    expect(await cv().findChannelAddress('teams', 'aad-9')).toEqual({ ...ref, conversation: { id: 'a:2' } });
    expect(await cv().findChannelAddress('telegram', 'aad-9')).toBeNull();
    expect(await db.connection.db.channelAddress.count({ where: { channelUserId: 'aad-9' } })).toBe(1);
  });

  it('rejects a bad channel or user id with an InvalidInputError', async () => {
    await expectInvalid(cv().loadConversationState('sms' as never, '1'), /channel/);
    await expectInvalid(cv().saveConversationState('sms' as never, '1', {}), /channel/);
    await expectInvalid(cv().saveConversationState('telegram', '', {}), /channel user id/);
    await expectInvalid(cv().loadConversationState('telegram', 'x'.repeat(201)), /channel user id/);
    await expectInvalid(cv().deleteConversationState('telegram', ''), /channel user id/);
    await expectInvalid(cv().markEventProcessed('whatsapp' as never, '1'), /channel/);
    await expectInvalid(cv().markEventProcessed('telegram', ''), /event id/);
    await expectInvalid(cv().saveChannelAddress('teams', '', {}), /channel user id/);
  });
});
