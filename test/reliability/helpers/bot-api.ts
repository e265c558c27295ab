import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One call the bot made to the Bot API. */
export interface BotApiCall {
  method: string;
  payload: Record<string, unknown>;
}

/**
 * What the Bot API does with a call: answer it, refuse it for a passing reason (429 with `retry_after`, 500) or
 * drop the connection. The hook for the pushback scenarios (issue 11 item 3, the delivery engine's part).
 */
export type BotApiFault = 'ok' | { status: 429; retryAfter: number } | { status: 500 } | 'drop';

/**
 * A local Bot API server for the reliability suite: answers the methods the bot uses, records every call and
 * can inject faults. Unlike the emulator it keeps up with thousands of updates and can refuse calls.
 */
export async function startBotApi(options: { fault?: (call: BotApiCall) => BotApiFault } = {}) {
  const calls: BotApiCall[] = [];
  let messageId = 0;
  const server = http.createServer((req, res) => {
    let data = '';
    req.on('data', (c) => (data += c));
    req.on('end', () => {
      const method = (req.url ?? '').split('/').pop() ?? '';
      let payload: Record<string, unknown> = {};
      try {
        payload = data ? (JSON.parse(data) as Record<string, unknown>) : {};
      } catch {
        payload = { unparsable: data };
      }
      const call = { method, payload };
      const fault = options.fault?.(call) ?? 'ok';
      if (fault === 'drop') {
        req.socket.destroy();
        return;
      }
      if (fault !== 'ok') {
        const body =
          fault.status === 429
            ? { ok: false, error_code: 429, description: 'Too Many Requests', parameters: { retry_after: fault.retryAfter } }
            : { ok: false, error_code: 500, description: 'Internal Server Error' };
        res.writeHead(fault.status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
        return;
      }
      calls.push(call);
      let result: unknown = true;
      if (method === 'getMe') result = { id: 4242, is_bot: true, first_name: 'Mission Jeunes', username: 'MissionJeunesTestBot', can_join_groups: false, can_read_all_group_messages: false, supports_inline_queries: false };
      if (method === 'sendMessage' || method === 'editMessageText') {
        result = { message_id: ++messageId, date: Math.floor(Date.now() / 1000), chat: { id: Number(payload.chat_id), type: 'private' }, text: String(payload.text ?? '') };
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: true, result }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    apiRoot: `http://127.0.0.1:${port}`,
    calls,
    /** The messages sent or edited into a chat, in order. */
    messagesTo: (chatId: number | string) => calls.filter((c) => (c.method === 'sendMessage' || c.method === 'editMessageText') && String(c.payload.chat_id) === String(chatId)),
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
