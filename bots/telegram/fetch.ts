import http from 'node:http';
import https from 'node:https';

/**
 * The `fetch` grammY calls the Bot API with. Every call grammY makes has a JSON string body unless it uploads a
 * file (a multipart stream), which this bot never does: JSON calls go straight through `node:http`/`node:https` on
 * one keep-alive agent per protocol, and an upload is refused loudly rather than sent half-supported.
 *
 * Why: node-fetch's Request/Response/Headers objects and body streams cost about 0.7 ms of CPU per call on this
 * machine, a quarter of a whole webhook turn (bench/webhook.ts, `telegram_withoutThrottlerAndTyping` against
 * `telegram_asIs`); Node 20's built-in fetch (undici) measured slower still. grammY only reads `res.json()`, and
 * keeps its own timeout and abort handling (it aborts the signal given here), so this is all it needs.
 */
export type BotApiFetch = (url: string | URL, init?: BotApiFetchInit) => Promise<{ json(): Promise<unknown> }>;

interface BotApiFetchInit {
  method?: string;
  headers?: Record<string, string>;
  body?: unknown;
  signal?: AbortSignal | null;
}

/** Sockets per agent: more than the webhook's concurrent turns on one process ever need. */
const MAX_SOCKETS = 64;

export function createBotApiFetch(): BotApiFetch {
  const agents = {
    'http:': new http.Agent({ keepAlive: true, maxSockets: MAX_SOCKETS }),
    'https:': new https.Agent({ keepAlive: true, maxSockets: MAX_SOCKETS }),
  };
  return (input, init = {}) => {
    const url = typeof input === 'string' ? new URL(input) : input;
    const agent = url.protocol === 'https:' ? agents['https:'] : url.protocol === 'http:' ? agents['http:'] : undefined;
    if (!agent) return Promise.reject(new Error(`Bot API root must be http or https, not ${url.protocol}`));
    if (typeof init.body !== 'string') return Promise.reject(new Error('file uploads are not supported by the bot API client (bots/telegram/fetch.ts)'));
    return postJson(url, agent, init.body, init.headers ?? {}, init.signal ?? undefined);
  };
}

function postJson(url: URL, agent: http.Agent, body: string, headers: Record<string, string>, signal: AbortSignal | undefined) {
  return new Promise<{ json(): Promise<unknown> }>((resolve, reject) => {
    if (signal?.aborted) return reject(abortError(signal));
    const request = (url.protocol === 'https:' ? https : http).request(url, {
      method: 'POST',
      agent,
      headers: { ...headers, 'content-length': Buffer.byteLength(body) },
    });
    const onAbort = () => request.destroy(abortError(signal!));
    signal?.addEventListener('abort', onAbort, { once: true });
    const settle = () => signal?.removeEventListener('abort', onAbort);
    request.on('error', (err) => {
      settle();
      reject(err);
    });
    request.on('response', (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('error', (err) => {
        settle();
        reject(err);
      });
      response.on('end', () => {
        settle();
        const text = Buffer.concat(chunks).toString('utf8');
        // Parsed when grammY asks, as fetch does: a body that is not JSON (a proxy's HTML 502) rejects there.
        resolve({ json: async () => JSON.parse(text) as unknown });
      });
    });
    request.end(body);
  });
}

function abortError(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  if (reason instanceof Error) return reason;
  const err = new Error('The operation was aborted');
  err.name = 'AbortError';
  return err;
}
