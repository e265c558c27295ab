import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** A chat-completions request as the OpenAI client sends it. */
export interface ChatRequest {
  model: string;
  messages: { role: string; content: string | null }[];
  tools?: { type: 'function'; function: { name: string; parameters: unknown } }[];
  tool_choice?: unknown;
  response_format?: { type: string; json_schema?: { name: string; schema: unknown } };
}

/**
 * A small local server speaking the OpenAI chat-completions protocol: it answers tool calls (function calling)
 * and JSON-schema responses with the object `decide` returns, and records every request it received.
 */
export async function startOpenAiCompatibleServer(decide: (req: ChatRequest) => Record<string, unknown>) {
  const requests: ChatRequest[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      if (req.method !== 'POST' || !req.url?.endsWith('/chat/completions')) {
        res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'not found' } }));
        return;
      }
      const parsed = JSON.parse(body) as ChatRequest;
      requests.push(parsed);
      const answer = decide(parsed);
      const tool = parsed.tools?.[0]?.function.name;
      const message = tool
        ? { role: 'assistant', content: null, tool_calls: [{ id: `call_${requests.length}`, type: 'function', function: { name: tool, arguments: JSON.stringify(answer) } }] }
        : { role: 'assistant', content: JSON.stringify(answer) };
      res.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          id: `chatcmpl-${requests.length}`,
          object: 'chat.completion',
          created: Math.floor(Date.now() / 1000),
          model: parsed.model,
          choices: [{ index: 0, message, finish_reason: tool ? 'tool_calls' : 'stop' }],
          usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 },
        }),
      );
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/v1`, requests, close: () => new Promise<void>((r) => server.close(() => r())) };
}

/** The text of the user message (the one the route wraps in <message> tags) of a request. */
export function userMessage(req: ChatRequest): string {
  const m = req.messages.map((x) => x.content ?? '').join('\n').match(/<message>\s*([\s\S]*?)\s*<\/message>/);
  return m?.[1] ?? '';
}
