import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqliteTestDatabase, type TestDatabase } from '../helpers/db.js';
import { Conversation, testAssistant } from '../helpers/conversation.js';
import { createRateLimiter } from '../../src/core/rate-limit.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await sqliteTestDatabase();
});
afterAll(async () => db.close());

describe('per-user rate limit', () => {
  it('refuses politely past the budget, per user, and lets the user back after a minute', () => {
    const limiter = createRateLimiter(3);
    const t = 1_000_000;
    expect([limiter.allow('a', t), limiter.allow('a', t + 1), limiter.allow('a', t + 2), limiter.allow('a', t + 3)]).toEqual([true, true, true, false]);
    expect(limiter.allow('b', t + 3)).toBe(true);
    expect(limiter.allow('a', t + 60_001)).toBe(true);
  });

  it('the core answers the 21st message of a minute without touching the store', async () => {
    const assistant = testAssistant(db, { config: { linkCodeTtlHours: 72, linkMaxAttempts: 5, linkCooldownMinutes: 15, rateLimitPerMinute: 20 } });
    const c = new Conversation(assistant, 'telegram', '9100001');
    for (let i = 0; i < 20; i++) await c.say('bonjour');
    const before = await db.connection.db.processedUpdate.count();
    const text = await c.say('bonjour');
    expect(c.last?.intent).toBe('rate_limited');
    expect(text).toMatch(/Attends une minute/);
    expect(await db.connection.db.processedUpdate.count()).toBe(before);
    const other = new Conversation(assistant, 'telegram', '9100002');
    await other.say('bonjour');
    expect(other.last?.intent).toBe('greeting');
  });
});

describe('bounded replies', () => {
  it('no reply lists more than 10 cards, whatever the volume behind it', async () => {
    const assistant = testAssistant(db);
    const c = new Conversation(assistant, 'telegram', '9100003');
    const probes = ['missions', 'jcherche du taf dans le 69', 'aides logement', 'aide argent', 'aides formation'];
    for (const p of probes) {
      await c.say(p);
      for (const b of c.reply.blocks) if (b.type === 'cards') expect(b.cards.length).toBeLessThanOrEqual(10);
    }
  });
});
