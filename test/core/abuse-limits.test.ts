import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqliteTestDatabase, type TestDatabase } from '../helpers/db.js';
import { Conversation, testAssistant } from '../helpers/conversation.js';
import { createRateLimiter, memoryLimiterBackend, type LimiterBackend } from '../../src/core/rate-limit.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await sqliteTestDatabase();
});
afterAll(async () => db.close());

describe('per-user rate limit', () => {
  it('refuses past the budget, per user, says so once per window, and lets the user back when the window ends', async () => {
    const oneSecond: LimiterBackend = (o) => memoryLimiterBackend({ ...o, durationSeconds: 1 });
    const limiter = createRateLimiter(3, oneSecond);
    const a: string[] = [];
    for (let i = 0; i < 5; i++) a.push(await limiter.check('a'));
    expect(a).toEqual(['allow', 'allow', 'allow', 'refuse', 'silent']);
    expect(await limiter.check('b')).toBe('allow');
    await new Promise((r) => setTimeout(r, 1_100));
    expect(await limiter.check('a')).toBe('allow');
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
    // Said once: the next messages of the same minute get no answer at all.
    await c.say('bonjour');
    expect(c.last?.intent).toBe('rate_limited');
    expect(c.last?.reply.blocks).toEqual([]);
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
