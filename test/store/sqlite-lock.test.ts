import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type App } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/shared/logger.js';
import { repoRoot } from '../../src/store/database-url.js';
import { sqliteFileFromUrl } from '../../src/store/database-url.js';
import { sqliteTestDatabase, type TestDatabase } from '../helpers/db.js';

/**
 * Another process (a backup, `npm run purge`) holds the SQLite write lock. Before: every waiting write blocked the
 * event loop for the 10 s busy timeout, /healthz included, and /healthz said "ok". Now: /healthz answers while the
 * lock is still held and says "busy"; a turn waits asynchronously and succeeds once the lock is released within
 * its patience, or answers "retry" with nothing kept, and its redelivery is then answered once.
 */
function holdWriteLock(file: string, ms: number): Promise<{ released: Promise<number> }> {
  const script = `
    const Database = require('better-sqlite3');
    const db = new Database(process.argv[1]);
    db.exec('BEGIN IMMEDIATE');
    process.stdout.write('locked\\n');
    setTimeout(() => { db.exec('ROLLBACK'); process.stdout.write('released\\n'); db.close(); }, Number(process.argv[2]));
  `;
  const child = spawn(process.execPath, ['-e', script, file, String(ms)], { cwd: repoRoot });
  return new Promise((resolve, reject) => {
    let out = '';
    let releasedAt: (t: number) => void;
    const released = new Promise<number>((r) => (releasedAt = r));
    child.stdout.on('data', (d) => {
      out += d;
      if (out.includes('locked') && !out.includes('released')) resolve({ released });
      if (out.includes('released')) releasedAt(Date.now());
    });
    child.on('error', reject);
    child.stderr.on('data', (d) => reject(new Error(String(d))));
  });
}

let db: TestDatabase;
let app: App;
let n = 0;
const turn = (eventId = `lock-${++n}`) =>
  app.assistant.handle({ channel: 'telegram', channelUserId: '6100001', channelConversationId: '6100001', text: 'bonjour', receivedAt: db.now, eventId });

beforeAll(async () => {
  db = await sqliteTestDatabase();
  app = await startApp({
    config: loadConfig({ PORT: '0', HOST: '127.0.0.1', NOTIFY_INTERVAL_MS: '3600000' }),
    log: createLogger('silent'),
    now: () => db.now,
    opened: { store: db.store, connection: { ...db.connection, close: async () => undefined } },
  });
  await turn(); // loads the NLU model, so the timings below are the lock's only
});
afterAll(async () => {
  await app.stop();
  await db.close();
});

describe('SQLite locked by another process', () => {
  it('a turn waits asynchronously and succeeds when the lock goes within its patience; /healthz answers meanwhile and says busy', async () => {
    const { released } = await holdWriteLock(sqliteFileFromUrl(db.url), 700);
    const pending = turn();
    const health = await fetch(`${app.url}/healthz`);
    const answeredAt = Date.now();
    const result = await pending;
    expect(answeredAt).toBeLessThan(await released);
    expect(health.status).toBe(200);
    expect(result.intent).not.toBe('store_unavailable');
    expect(result.retryable).toBeUndefined();
    const after = (await (await fetch(`${app.url}/healthz`)).json()) as { status: string; database: { busy: boolean } };
    expect(after).toMatchObject({ status: 'busy', database: { busy: true } });
  });

  it('a lock held beyond the patience gives "retry", nothing kept; the redelivery is answered once', async () => {
    const { released } = await holdWriteLock(sqliteFileFromUrl(db.url), 4_000);
    const eventId = 'lock-long';
    const failed = await turn(eventId);
    expect(failed).toMatchObject({ retryable: true, intent: 'store_unavailable' });
    await released;
    expect(await db.connection.db.processedUpdate.count({ where: { eventId } })).toBe(0);
    const again = await turn(eventId);
    expect(again.duplicate).toBe(false);
    expect(again.retryable).toBeUndefined();
    expect((await turn(eventId)).duplicate).toBe(true);
  });
});
