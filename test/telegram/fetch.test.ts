import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { Api, GrammyError, HttpError } from 'grammy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBotApiFetch } from '../../bots/telegram/fetch.js';
import { toDeliveryFailure } from '../../bots/telegram/errors.js';

/**
 * The bot's own Bot API client (bots/telegram/fetch.ts) behind grammY's `Api`, against a real local HTTP server:
 * answers, Telegram's errors and network faults reach grammY as they did through node-fetch, on kept-alive sockets.
 */
const TOKEN = '123:fetch';
let server: http.Server;
let root: string;
const sockets = new Set<Socket>();
let requests: { method: string; body: unknown; socket: Socket }[] = [];
/** How the server answers the next sendMessage. */
let mode: 'ok' | 'blocked' | 'html502' | 'drop' | 'hang' = 'ok';

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const method = req.url!.split('/').pop()!;
      requests.push({ method, body: JSON.parse(Buffer.concat(chunks).toString('utf8')), socket: req.socket });
      if (mode === 'drop') return void req.socket.destroy();
      if (mode === 'hang') return;
      if (mode === 'html502') {
        res.writeHead(502, { 'content-type': 'text/html' });
        return void res.end('<html>Bad Gateway</html>');
      }
      res.setHeader('content-type', 'application/json');
      if (mode === 'blocked') {
        res.statusCode = 403;
        return void res.end(JSON.stringify({ ok: false, error_code: 403, description: 'Forbidden: bot was blocked by the user' }));
      }
      res.end(JSON.stringify({ ok: true, result: { message_id: requests.length, date: 0, chat: { id: 1, type: 'private' }, text: 'x' } }));
    });
  });
  server.on('connection', (s) => (sockets.add(s), s.on('close', () => sockets.delete(s))));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  root = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
});

function api(timeoutSeconds = 500): Api {
  return new Api(TOKEN, { apiRoot: root, timeoutSeconds, fetch: createBotApiFetch() as never });
}

describe('bot API fetch', () => {
  it('sends the JSON payload and returns the result, reusing one kept-alive socket', async () => {
    mode = 'ok';
    requests = [];
    const client = api();
    const first = await client.sendMessage(42, 'Bonjour <b>toi</b>', { parse_mode: 'HTML' });
    const second = await client.sendMessage(42, 'Encore');
    expect(first.message_id).toBe(1);
    expect(second.message_id).toBe(2);
    expect(requests.map((r) => r.body)).toEqual([
      { chat_id: 42, text: 'Bonjour <b>toi</b>', parse_mode: 'HTML' },
      { chat_id: 42, text: 'Encore' },
    ]);
    expect(requests[0]!.socket).toBe(requests[1]!.socket);
  });

  it("gives Telegram's refusal to grammY as a GrammyError (a blocked user is unreachable)", async () => {
    mode = 'blocked';
    const err = await api().sendMessage(42, 'x').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GrammyError);
    expect(toDeliveryFailure(err).failureClass).toBe('unreachable');
  });

  it('turns a body that is not JSON and a dropped connection into network failures', async () => {
    for (const fault of ['html502', 'drop'] as const) {
      mode = fault;
      const err = await api().sendMessage(42, 'x').catch((e: unknown) => e);
      expect(err, fault).toBeInstanceOf(HttpError);
      expect(toDeliveryFailure(err).failureClass, fault).toBe('network');
    }
  });

  it("ends a call on grammY's timeout and closes its socket", async () => {
    mode = 'hang';
    requests = [];
    const err = await api(1).sendMessage(42, 'x').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HttpError);
    expect(requests).toHaveLength(1);
    const hung = requests[0]!.socket;
    await new Promise((r) => setTimeout(r, 100));
    expect(hung.destroyed || !sockets.has(hung)).toBe(true);
  });

  it('refuses a file upload instead of sending it half-supported', async () => {
    requests = [];
    const { InputFile } = await import('grammy');
    const err = await api().sendDocument(42, new InputFile(Buffer.from('pdf'), 'cv.pdf')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HttpError);
    expect(String((err as HttpError).error)).toMatch(/file uploads are not supported/);
    expect(requests).toHaveLength(0);
  });
});
