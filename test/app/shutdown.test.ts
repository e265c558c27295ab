import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startScript } from '../helpers/process.js';

/**
 * SIGTERM on the real process (`npm start`'s src/main.ts) in Telegram webhook mode, with a local Bot API
 * stand-in that holds the reply of the update in flight: that update is finished and answered 200, a new
 * request is refused, the database is closed and the process exits 0.
 */
const TOKEN = '7007007:SHUTDOWN-test';
const SECRET = 'shutdown-secret';

interface StandIn {
  url: string;
  calls: string[];
  /** Resolves when a sendMessage arrives; the stand-in answers it only when `release` is called. */
  sendMessageArrived: Promise<void>;
  release(): void;
  close(): Promise<void>;
}

async function startBotApiStandIn(): Promise<StandIn> {
  const calls: string[] = [];
  let arrived!: () => void;
  const sendMessageArrived = new Promise<void>((r) => (arrived = r));
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', async () => {
      const method = (req.url ?? '').split('/').pop() ?? '';
      calls.push(method);
      let result: unknown = true;
      if (method === 'getMe') result = { id: 7007007, is_bot: true, first_name: 'Mission Jeunes', username: 'MissionJeunesBot' };
      if (method === 'sendMessage') {
        arrived();
        await released;
        result = { message_id: 1, date: 0, chat: { id: 501, type: 'private', first_name: 'x' }, text: 'ok' };
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: true, result }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    calls,
    sendMessageArrived,
    release,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

const dir = mkdtempSync(path.join(os.tmpdir(), 'mj-shutdown-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('graceful shutdown on SIGTERM', () => {
  it('finishes the update in flight, refuses new ones, closes the database and exits 0', async () => {
    const api = await startBotApiStandIn();
    const service = await startScript(
      'src/main.ts',
      {
        DATABASE_URL: `file:${path.join(dir, 'shutdown.db')}`,
        PORT: '0',
        LOG_LEVEL: 'info',
        MICROSOFT_APP_ID: '',
        TELEGRAM_BOT_TOKEN: TOKEN,
        TELEGRAM_API_ROOT: api.url,
        TELEGRAM_MODE: 'webhook',
        TELEGRAM_WEBHOOK_URL: 'https://bot.example.invalid/telegram/webhook',
        TELEGRAM_WEBHOOK_SECRET: SECRET,
      },
      /prêt sur (http:\/\/127\.0\.0\.1:\d+)/,
    );
    const base = service.match[1]!;
    const exited = new Promise<number | null>((r) => service.child.once('exit', (code) => r(code)));
    try {
      const update = {
        update_id: 90001,
        message: { message_id: 1, date: Math.floor(Date.now() / 1000), chat: { id: 501, type: 'private', first_name: 'Ana' }, from: { id: 501, is_bot: false, first_name: 'Ana' }, text: 'bonjour' },
      };
      const inFlight = fetch(`${base}/telegram/webhook`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
        body: JSON.stringify(update),
      });
      await api.sendMessageArrived;
      service.child.kill('SIGTERM');
      // Once the process has started stopping, a new request is not taken.
      await waitFor(() => /"msg":"stopping"/.test(service.output()));
      const late = await fetch(`${base}/readyz`).then((r) => r.status, () => 'refused');
      expect([503, 'refused']).toContain(late);
      api.release();
      const answered = await inFlight;
      expect(answered.status).toBe(200);
      expect(await exited).toBe(0);
      expect(api.calls.filter((m) => m === 'sendMessage')).toHaveLength(1);
      expect(service.output()).toMatch(/"requestsCut":0,"msg":"stopped"/);
      // The webhook stays registered: Telegram keeps the updates for the next process.
      expect(api.calls).not.toContain('deleteWebhook');
    } finally {
      api.release();
      if (service.child.exitCode === null) service.child.kill('SIGKILL');
      await api.close();
    }
  }, 90_000);
});

async function waitFor(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}
