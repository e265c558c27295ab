import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqliteTestDatabase, type TestDatabase } from '../helpers/db.js';
import { runScript } from '../helpers/process.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await sqliteTestDatabase();
});
afterAll(async () => db.close());

describe('terminal chat (npm run chat)', () => {
  it('scripts a youth conversation over stdin/stdout with numbered buttons', async () => {
    const { code, stdout } = await runScript('scripts/chat.ts', ['--as', 'youth'], { DATABASE_URL: db.url }, 'bonjour\njcherche 1 taf a lyon\n1\n');
    expect(code).toBe(0);
    expect(stdout).toMatch(/Salut/);
    expect(stdout).toMatch(/\[1\] 🔎 Chercher une mission/);
    expect(stdout).toMatch(/missions ouvertes · à Lyon/);
    const firstTitle = (await db.connection.db.mission.findFirstOrThrow({ where: { status: 'open', communeCode: '69123' }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] })).title;
    // "1" pressed the first card's "Détails" button.
    expect(stdout.split('Description :').length).toBeGreaterThan(1);
    expect(stdout).toContain(firstTitle);
  });

  it('talks as a counsellor by email', async () => {
    const { code, stdout } = await runScript('scripts/chat.ts', ['--as', 'counsellor', '--user', 'sophie.durand@ml-lyon.demo.invalid'], { DATABASE_URL: db.url }, 'aide\n');
    expect(code).toBe(0);
    expect(stdout).toMatch(/portefeuille/);
  });
});

describe('audit and purge scripts', () => {
  it('npm run audit prints a youth access history', async () => {
    const y = await db.connection.db.youth.findFirstOrThrow({ where: { firstName: 'Léa', lastName: 'Martin' } });
    await db.store.audit.recordAudit({ actorType: 'counsellor', actorId: String(y.counsellorId), action: 'read_youth_file', youthId: y.id, channel: 'teams' });
    const { code, stdout } = await runScript('scripts/audit.ts', ['--youth', String(y.id)], { DATABASE_URL: db.url });
    expect(code).toBe(0);
    expect(stdout).toMatch(new RegExp(`counsellor:${y.counsellorId}\\s+read_youth_file\\s+teams`));
    const bad = await runScript('scripts/audit.ts', ['--youth', 'abc'], { DATABASE_URL: db.url });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/usage/);
  });

  it('npm run purge anonymises youth who exited over two years ago, idempotently, leaving no personal field', async () => {
    const old = await db.connection.db.youth.findFirstOrThrow({ where: { status: 'exited' } });
    await db.connection.db.youth.update({ where: { id: old.id }, data: { exitDate: new Date(Date.now() - 800 * 86_400_000), telegramUserId: '5550001', telegramChatId: '5550001' } });
    await db.connection.db.conversationState.create({ data: { channel: 'telegram', channelUserId: 'stale', state: {} } });
    await db.connection.db.$executeRawUnsafe(`UPDATE "ConversationState" SET "updatedAt" = ${Date.now() - 200 * 86_400_000} WHERE "channelUserId" = 'stale'`);
    const first = await runScript('scripts/purge.ts', [], { DATABASE_URL: db.url });
    expect(first.code).toBe(0);
    const r1 = JSON.parse(first.stdout.trim().split('\n').pop()!);
    expect(r1.youthAnonymised).toBeGreaterThanOrEqual(1);
    expect(r1.conversationStatesDeleted).toBeGreaterThanOrEqual(1);
    const y = await db.connection.db.youth.findUniqueOrThrow({ where: { id: old.id }, include: { interactions: true, barriers: true, requests: true } });
    expect([y.firstName, y.lastName, y.phone, y.email, y.birthDate, y.telegramUserId, y.telegramChatId, y.contactPrefs]).toEqual(['Anonyme', `#${old.id}`, null, null, null, null, null, null]);
    expect(y.interactions.every((i) => i.note === null)).toBe(true);
    expect(y.barriers.every((b) => b.note === null)).toBe(true);
    expect(y.requests.every((r) => r.message === null)).toBe(true);
    expect(JSON.stringify(y)).not.toContain(old.lastName);
    const second = await runScript('scripts/purge.ts', [], { DATABASE_URL: db.url });
    expect(JSON.parse(second.stdout.trim().split('\n').pop()!)).toEqual({ conversationStatesDeleted: 0, deliveryIdsDeleted: 0, youthAnonymised: 0 });
  });
});
