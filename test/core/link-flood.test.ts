import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseFactories, type TestDatabase } from '../helpers/db.js';
import { Conversation, testAssistant } from '../helpers/conversation.js';
import { FLOOD_FAILURES_PER_MINUTE, generateLinkCode, hashLinkCode } from '../../src/core/linking.js';
import type { Assistant } from '../../src/core/types.js';

/**
 * Issue 11: 100 wrong codes in a minute from about 21 accounts blocked every legitimate link for the rest of the
 * minute (a global hard stop, check-then-record, overshooting on PostgreSQL). Now a flood lowers each account's
 * allowance instead, and the per-account check and record are atomic.
 */
describe.each(databaseFactories)('linking under a flood on %s', (kind, open) => {
  let db: TestDatabase;
  let assistant: Assistant;
  const base = kind === 'sqlite' ? 9_700_000 : 9_800_000;
  beforeAll(async () => {
    db = await open();
    assistant = testAssistant(db);
  });
  afterAll(async () => db.close());

  it('a flood of wrong codes does not stop a young person with a valid code, and slows every guesser', { timeout: 180_000 }, async () => {
    const flooders = Array.from({ length: 25 }, (_, i) => new Conversation(assistant, 'telegram', String(base + i)));
    let sent = 0;
    for (const f of flooders) {
      for (let i = 0; i < 4 && sent < FLOOD_FAILURES_PER_MINUTE; i++, sent++) expect(await f.say(`code ${generateLinkCode()}`)).not.toMatch(/relié/);
    }
    expect(await db.connection.db.auditEvent.count({ where: { action: 'link_attempt_failed' } })).toBeGreaterThanOrEqual(FLOOD_FAILURES_PER_MINUTE);

    const youth = await db.connection.db.youth.findFirstOrThrow({ where: { telegramUserId: null, anonymizedAt: null } });
    const code = generateLinkCode();
    await db.store.linkCodes.createLinkCode({ youthId: youth.id, issuedById: youth.counsellorId, codeHash: hashLinkCode(code), expiresAt: new Date(db.now.getTime() + 3_600_000) });
    const legit = new Conversation(assistant, 'telegram', String(base + 500));
    expect(await legit.say(`code ${code}`)).toMatch(/Ton compte est relié/);

    // Each guesser made 4 of its 5 attempts: during the flood its allowance is one, so the 5th is refused.
    expect(await flooders[24]!.say(`code ${generateLinkCode()}`)).toMatch(/Trop d’essais/);
    // A newcomer's first attempt is still checked; its second waits for the cool-down.
    const newcomer = new Conversation(assistant, 'telegram', String(base + 600));
    expect(await newcomer.say(`code ${generateLinkCode()}`)).not.toMatch(/Trop d’essais/);
    expect(await newcomer.say(`code ${generateLinkCode()}`)).toMatch(/Trop d’essais/);
  });

  it('concurrent wrong attempts of one account record exactly the allowed number of failures', async () => {
    await db.connection.db.auditEvent.deleteMany({ where: { action: { in: ['link_attempt_failed', 'link_attempt_blocked'] } } });
    const userId = String(base + 900);
    const attempts = Array.from({ length: 12 }, (_, i) =>
      assistant.handle({ channel: 'telegram', channelUserId: userId, channelConversationId: userId, text: `code ${generateLinkCode()}`, receivedAt: new Date(), eventId: `flood-${kind}-${i}` }),
    );
    const results = await Promise.all(attempts);
    expect(results.every((r) => !r.duplicate && !r.retryable)).toBe(true);
    const actorId = `telegram:${userId}`;
    expect(await db.connection.db.auditEvent.count({ where: { actorId, action: 'link_attempt_failed' } })).toBe(5);
    expect(await db.connection.db.auditEvent.count({ where: { actorId, action: 'link_attempt_blocked' } })).toBe(7);
  });
});
