import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { BOT_INFO } from './fake-api.js';

/** How the fake Bot API answers one call. */
export type Answer =
  | { kind: 'ok' }
  | { kind: 'error'; code: number; description: string; retryAfter?: number }
  /** Closes the connection without answering (a dropped connection). */
  | { kind: 'drop' }
  /** Answers after a delay (a slow server). */
  | { kind: 'slow'; ms: number };

/** One call the fake received, with what it answered. */
export interface ReceivedCall {
  method: string;
  payload: Record<string, unknown>;
  answered: Answer['kind'] | 'error';
  at: number;
}

/**
 * A Bot API stand-in over real HTTP (grammY's own client talks to it): every method answers ok, except what a
 * test scripts with `script(method, answers...)` or `rule(...)`, consumed in order. `delivered()` lists the
 * messages it accepted, the only ones a user would see.
 */
export async function startBotApi() {
  const calls: ReceivedCall[] = [];
  const scripted = new Map<string, Answer[]>();
  const rules: ((method: string, payload: Record<string, unknown>) => Answer | undefined)[] = [];
  let messageId = 1000;
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const method = (req.url ?? '').split('/').pop() ?? '';
    let payload: Record<string, unknown> = {};
    try {
      const raw = Buffer.concat(chunks).toString('utf8');
      payload = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
    } catch {
      payload = {};
    }
    let answer: Answer = { kind: 'ok' };
    for (const r of rules) {
      const a = r(method, payload);
      if (a) {
        answer = a;
        break;
      }
    }
    const queue = scripted.get(method);
    if (answer.kind === 'ok' && queue?.length) answer = queue.shift()!;
    calls.push({ method, payload, answered: answer.kind, at: Date.now() });
    if (answer.kind === 'drop') {
      req.socket.destroy();
      return;
    }
    if (answer.kind === 'slow') await new Promise((r) => setTimeout(r, answer.ms));
    if (answer.kind === 'error') {
      const body = { ok: false, error_code: answer.code, description: answer.description, ...(answer.retryAfter !== undefined ? { parameters: { retry_after: answer.retryAfter } } : {}) };
      res.writeHead(answer.code, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      return;
    }
    const result =
      method === 'getMe'
        ? BOT_INFO
        : method === 'sendMessage'
          ? { message_id: ++messageId, date: Math.floor(Date.now() / 1000), chat: { id: Number(payload.chat_id), type: 'private', first_name: 'x' }, text: payload.text }
          : true;
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: true, result }));
  });
  server.keepAliveTimeout = 1_000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as AddressInfo;
  return {
    apiRoot: `http://127.0.0.1:${port}`,
    calls,
    /** The next calls of `method` get these answers, in order; then ok again. */
    script(method: string, ...answers: Answer[]) {
      scripted.set(method, [...(scripted.get(method) ?? []), ...answers]);
    },
    /** A standing rule (e.g. "this chat blocked the bot"), checked before scripted answers. */
    rule(r: (method: string, payload: Record<string, unknown>) => Answer | undefined) {
      rules.push(r);
    },
    /** Messages accepted (answered ok) for a chat, in order. */
    delivered(chatId: number | string) {
      return calls.filter((c) => c.method === 'sendMessage' && String(c.payload.chat_id) === String(chatId) && (c.answered === 'ok' || c.answered === 'slow'));
    },
    attempts(chatId: number | string) {
      return calls.filter((c) => c.method === 'sendMessage' && String(c.payload.chat_id) === String(chatId));
    },
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** Waits until `check` returns a truthy value (polling), or fails with `what`. */
export async function eventually<T>(check: () => Promise<T> | T, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
