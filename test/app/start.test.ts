import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { connect } from '../../src/store/client.js';
import { startScript, stop } from '../helpers/process.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'mj-start-'));
// A folder that does not exist yet, like data/ in a fresh clone.
const url = `file:${path.join(dir, 'not-yet', 'fresh.db')}`;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Its own cache folder, empty like data/cache in a fresh clone: the first start builds and trains.
const cache = path.join(dir, 'cache');
const env = { DATABASE_URL: url, PORT: '0', TELEGRAM_BOT_TOKEN: '', MICROSOFT_APP_ID: '', LOG_LEVEL: 'info', CACHE_DIR: cache };
const START = 'scripts/start.mjs';

async function readyz(base: string): Promise<number> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const res = await fetch(`${base}/readyz`);
    if (res.status === 200 || Date.now() > deadline) return res.status;
    expect(await res.json()).toEqual({ status: 'not ready', reason: 'warming up' });
    await new Promise((r) => setTimeout(r, 50));
  }
}

// The README's start command (scripts/start.mjs, which runs src/main.ts compiled): the real start-up path, on a
// fresh SQLite file.
describe('npm start on the embedded default', () => {
  it('migrates and seeds on first start, answers /healthz, and keeps the data on the next start', async () => {
    const first = await startScript(START, env, /prêt sur (http:\/\/127\.0\.0\.1:\d+)/, 120_000);
    try {
      const health = await fetch(`${first.match[1]}/healthz`);
      expect(health.status).toBe(200);
      const body = (await health.json()) as { status: string; database: { kind: string; reachable: boolean }; channels: Record<string, string> };
      expect(body.status).toBe('ok');
      expect(body.database).toEqual({ kind: 'sqlite', reachable: true, busy: false });
      expect(body.channels.telegram).toMatch(/off/i);
      expect(first.output()).toMatch(/demo data seeded/);
      expect(await readyz(first.match[1]!)).toBe(200);
      expect(first.output()).not.toMatch(/no compiled build/);
    } finally {
      await stop(first.child);
    }
    // What the next start reuses: the compiled build and the trained NLU model.
    const cached = readdirSync(cache);
    expect(cached.filter((f) => /^build-[0-9a-f]+$/.test(f))).toHaveLength(1);
    expect(cached.filter((f) => /^nlu-[0-9a-f]+\.bin$/.test(f))).toHaveLength(1);
    const c = connect(url);
    const youth = await c.db.youth.count();
    await c.db.interaction.create({ data: { youthId: 1, at: new Date(), channel: 'phone', note: 'kept across restarts' } });
    await c.close();
    expect(youth).toBeGreaterThanOrEqual(60);

    const second = await startScript(START, env, /prêt sur (http:\/\/127\.0\.0\.1:\d+)/);
    try {
      expect(second.output()).not.toMatch(/demo data seeded/);
      expect((await fetch(`${second.match[1]}/healthz`)).status).toBe(200);
      expect(await readyz(second.match[1]!)).toBe(200);
    } finally {
      await stop(second.child);
    }
    expect(readdirSync(cache).sort()).toEqual(cached.sort());
    const again = connect(url);
    expect(await again.db.youth.count()).toBe(youth);
    expect(await again.db.interaction.count({ where: { note: 'kept across restarts' } })).toBe(1);
    await again.close();
  }, 120_000);

  it('a bad configuration stops with a message naming the variable, not a stack trace', async () => {
    await expect(startScript(START, { ...env, PORT: 'not-a-port' }, /prêt sur/, 60_000)).rejects.toThrow(/PORT/);
  });

  it('starts from the TypeScript sources (tsx) when no build can be made, saying so in one line', async () => {
    const blocked = path.join(dir, 'not-a-folder');
    writeFileSync(blocked, '');
    const started = await startScript(START, { ...env, CACHE_DIR: path.join(blocked, 'cache') }, /prêt sur (http:\/\/127\.0\.0\.1:\d+)/, 120_000);
    try {
      expect(started.output()).toMatch(/no compiled build .*starting from the TypeScript sources with tsx/);
      expect((await fetch(`${started.match[1]}/healthz`)).status).toBe(200);
      expect(await readyz(started.match[1]!)).toBe(200);
    } finally {
      await stop(started.child);
    }
  }, 120_000);
});
