import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { connect } from '../../src/store/client.js';
import { startScript, stop } from '../helpers/process.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'mj-start-'));
// A folder that does not exist yet, like data/ in a fresh clone.
const url = `file:${path.join(dir, 'not-yet', 'fresh.db')}`;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const env = { DATABASE_URL: url, PORT: '0', TELEGRAM_BOT_TOKEN: '', MICROSOFT_APP_ID: '', LOG_LEVEL: 'info' };

// The README's start command runs src/main.ts: the real start-up path, on a fresh SQLite file.
describe('npm start on the embedded default', () => {
  it('migrates and seeds on first start, answers /healthz, and keeps the data on the next start', async () => {
    const first = await startScript('src/main.ts', env, /prêt sur (http:\/\/127\.0\.0\.1:\d+)/);
    try {
      const health = await fetch(`${first.match[1]}/healthz`);
      expect(health.status).toBe(200);
      const body = (await health.json()) as { status: string; database: { kind: string; reachable: boolean }; channels: Record<string, string> };
      expect(body.status).toBe('ok');
      expect(body.database).toEqual({ kind: 'sqlite', reachable: true, busy: false });
      expect(body.channels.telegram).toMatch(/off/i);
      expect(first.output()).toMatch(/demo data seeded/);
    } finally {
      await stop(first.child);
    }
    const c = connect(url);
    const youth = await c.db.youth.count();
    await c.db.interaction.create({ data: { youthId: 1, at: new Date(), channel: 'phone', note: 'kept across restarts' } });
    await c.close();
    expect(youth).toBeGreaterThanOrEqual(60);

    const second = await startScript('src/main.ts', env, /prêt sur (http:\/\/127\.0\.0\.1:\d+)/);
    try {
      expect(second.output()).not.toMatch(/demo data seeded/);
      expect((await fetch(`${second.match[1]}/healthz`)).status).toBe(200);
    } finally {
      await stop(second.child);
    }
    const again = connect(url);
    expect(await again.db.youth.count()).toBe(youth);
    expect(await again.db.interaction.count({ where: { note: 'kept across restarts' } })).toBe(1);
    await again.close();
  }, 120_000);

  it('a bad configuration stops with a message naming the variable, not a stack trace', async () => {
    await expect(startScript('src/main.ts', { ...env, PORT: 'not-a-port' }, /prêt sur/, 30_000)).rejects.toThrow(/PORT/);
  });
});
