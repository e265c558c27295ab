import { Writable } from 'node:stream';
import http from 'node:http';
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { createRequire } from 'node:module';
import { networkInterfaces } from 'node:os';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it, vi, type MockInstance } from 'vitest';
import { sqliteTestDatabase, type TestDatabase } from '../helpers/db.js';
import type { App } from '../../src/app.js';
import { createLogger } from '../../src/shared/logger.js';
import { createTeamsChannel } from '../../bots/teams/index.js';
import { fakeDelivery } from '../telegram/helpers/fake-api.js';
import { AAD } from '../core/counsellor/helpers.js';
import { post, startReceiver, startTeamsApp, teamsAppLogs, teamsMessage, testConfig } from './helpers.js';

/** An unsigned JWT: well formed, so it goes past parsing and must be refused on its issuer and signature. */
function forgedJwt(issuer: string): string {
  const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  return `${b64({ alg: 'RS256', typ: 'JWT', kid: 'forged' })}.${b64({ iss: issuer, aud: '11111111-2222-4333-8444-555555555555', serviceurl: 'http://127.0.0.1:9', nbf: now - 60, exp: now + 600 })}.${Buffer.from('not-a-signature').toString('base64url')}`;
}

describe('Teams endpoint with MICROSOFT_APP_ID set', () => {
  let db: TestDatabase;
  let app: App;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  beforeAll(async () => {
    db = await sqliteTestDatabase();
    receiver = await startReceiver();
    app = await startTeamsApp(db, { MICROSOFT_APP_ID: '11111111-2222-4333-8444-555555555555', MICROSOFT_APP_PASSWORD: 'not-a-real-secret' });
  });
  afterAll(async () => {
    await app.stop();
    await receiver.close();
    await db.close();
  });

  it.each([
    { what: 'no token', headers: {} as Record<string, string> },
    { what: 'a malformed token', headers: { authorization: 'Bearer garbage' } },
    { what: 'a token from an unknown issuer', headers: { authorization: `Bearer ${forgedJwt('https://evil.example')}` } },
  ])('refuses a request with $what (401) and runs nothing', async ({ headers }: { headers: Record<string, string> }) => {
    const before = await db.connection.db.processedUpdate.count();
    const res = await post(app.url, teamsMessage(receiver.url, AAD.sophie, { text: 'mon portefeuille' }), headers);
    expect(res.status).toBe(401);
    expect(await db.connection.db.processedUpdate.count()).toBe(before);
    expect(receiver.received).toHaveLength(0);
  });

  it('reports authenticated mode in /healthz', async () => {
    const health = (await (await fetch(`${app.url}/healthz`)).json()) as { channels: { teams: string } };
    expect(health.channels.teams).toMatch(/authenticated/);
  });
});

const APP_ID = '11111111-2222-4333-8444-555555555555';
const KEY_ID = 'stand-in-key';

/**
 * A local stand-in for Bot Framework's OpenID metadata and signing keys (what login.botframework.com publishes):
 * tokens signed with its private key are the channel's genuine tokens for the service under test.
 */
async function startOpenIdStandIn(): Promise<{ metadataUrl: string; token(serviceUrl: string, shiftSeconds?: number): string; close(): Promise<void> }> {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = (publicKey as KeyObject).export({ format: 'jwk' });
  const server = http.createServer((req, res) => {
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const body =
      req.url === '/openid'
        ? { issuer: 'https://api.botframework.com', jwks_uri: `${base}/keys`, id_token_signing_alg_values_supported: ['RS256'] }
        : { keys: [{ kty: 'RSA', use: 'sig', kid: KEY_ID, n: jwk.n, e: jwk.e, endorsements: ['msteams'] }] };
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return {
    metadataUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/openid`,
    token(serviceUrl, shiftSeconds = 0) {
      const now = Math.floor(Date.now() / 1000) + shiftSeconds;
      const signed = `${b64({ alg: 'RS256', typ: 'JWT', kid: KEY_ID })}.${b64({ iss: 'https://api.botframework.com', aud: APP_ID, serviceurl: serviceUrl, nbf: now - 60, exp: now + 600 })}`;
      return `${signed}.${sign('sha256', Buffer.from(signed), privateKey).toString('base64url')}`;
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/** A non-loopback address of this machine, where a connector stand-in can listen "elsewhere" than loopback. */
function outsideAddress(): string {
  const found = Object.values(networkInterfaces())
    .flat()
    .find((i) => i && i.family === 'IPv4' && !i.internal);
  if (!found) throw new Error('this test needs a non-loopback IPv4 interface');
  return found.address;
}

/** A connector stand-in on `host`: it records each activity the bot posts, and the Authorization header it came with. */
async function startConnector(host: string): Promise<{ url: string; received: { path: string; authorization?: string; body: Record<string, unknown> }[]; close(): Promise<void> }> {
  const received: { path: string; authorization?: string; body: Record<string, unknown> }[] = [];
  const server = http.createServer((req, res) => {
    let data = '';
    req.on('data', (c) => (data += c));
    req.on('end', () => {
      received.push({ path: req.url ?? '', authorization: req.headers.authorization, body: data ? (JSON.parse(data) as Record<string, unknown>) : {} });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id: `sent-${received.length}` }));
    });
  });
  await new Promise<void>((r) => server.listen(0, host, () => r()));
  return { url: `http://${host}:${(server.address() as AddressInfo).port}`, received, close: () => new Promise<void>((r) => server.close(() => r())) };
}

describe('deliveryMode expectReplies with a signed Bot Framework token (authenticated mode)', () => {
  let db: TestDatabase;
  let app: App;
  let openId: Awaited<ReturnType<typeof startOpenIdStandIn>>;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let connector: Awaited<ReturnType<typeof startConnector>>;
  let rawConsole: MockInstance;
  beforeAll(async () => {
    db = await sqliteTestDatabase();
    openId = await startOpenIdStandIn();
    receiver = await startReceiver();
    connector = await startConnector(outsideAddress());
    // As `npm start` does: what botbuilder writes to the console goes to the log (one line, no stack).
    rawConsole = vi.spyOn(console, 'error');
    app = await startTeamsApp(db, { MICROSOFT_APP_ID: APP_ID, MICROSOFT_APP_PASSWORD: 'not-a-real-secret', MICROSOFT_BOT_OPENID_METADATA: openId.metadataUrl }, { routeLibraryConsole: true });
  });
  afterAll(async () => {
    await app.stop();
    rawConsole.mockRestore();
    await Promise.all([openId.close(), receiver.close(), connector.close()]);
    await db.close();
  });

  it('a token signed by another key is refused (401) even with the right claims', async () => {
    const other = await startOpenIdStandIn();
    try {
      const res = await post(app.url, teamsMessage(receiver.url, AAD.sophie, { text: 'mon portefeuille', deliveryMode: 'expectReplies' }), { authorization: `Bearer ${other.token(receiver.url)}` });
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual({ error: 'unauthorized' });
    } finally {
      await other.close();
    }
  });

  it('botbuilder’s console output on a refused token (bad signature, expired) goes to the log as one line, no stack, no key', async () => {
    const before = teamsAppLogs.lines.length;
    const other = await startOpenIdStandIn();
    try {
      for (const token of [other.token(receiver.url), openId.token(receiver.url, -3600)]) {
        const res = await post(app.url, teamsMessage(receiver.url, AAD.sophie, { text: 'mon portefeuille' }), { authorization: `Bearer ${token}` });
        expect(res.status).toBe(401);
      }
    } finally {
      await other.close();
    }
    // Without the routing, botbuilder's calls land on the console itself (this spy).
    expect(rawConsole).not.toHaveBeenCalled();
    const routed = teamsAppLogs.lines.slice(before).filter((l) => l.includes('library-console'));
    // Each refusal made botbuilder print once: "Error finding key…" for the signature, the TokenExpiredError for the date.
    expect(routed.length).toBeGreaterThanOrEqual(2);
    expect(routed.join('\n')).toMatch(/Error finding key for token/);
    expect(routed.join('\n')).toMatch(/TokenExpiredError/);
    for (const line of routed) {
      expect(line).not.toMatch(/\\n\s+at |"kty"|"n":/);
      expect((JSON.parse(line) as { message: string }).message.length).toBeLessThanOrEqual(121);
    }
  });

  it('a loopback serviceUrl gets the replies inline, in the HTTP response, and nothing is posted to it', async () => {
    const res = await post(app.url, teamsMessage(receiver.url, AAD.sophie, { text: 'mon portefeuille', deliveryMode: 'expectReplies' }), { authorization: `Bearer ${openId.token(receiver.url)}` });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { activities: { type: string; attachments?: { contentType: string }[] }[] };
    const messages = body.activities.filter((a) => a.type === 'message');
    expect(messages).toHaveLength(1);
    expect(messages[0]!.attachments?.[0]?.contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(receiver.received).toHaveLength(0);
  });

  it('any other serviceUrl gets nothing inline: the reply goes through the connector, with the bot’s own token', async () => {
    // The bot's outbound token would come from Microsoft Entra (MSAL); the test puts one in botbuilder's token
    // cache instead (this machine has no route to Entra). The connector package is the one botbuilder loads.
    const connectorLib = createRequire(createRequire(import.meta.url).resolve('botbuilder'))('botframework-connector') as { AppCredentials: { cache: Map<string, { accessToken: string; expiresOn: Date }> } };
    connectorLib.AppCredentials.cache.set(`${APP_ID}https://api.botframework.com-cache`, { accessToken: 'outbound-stand-in-token', expiresOn: new Date(Date.now() + 3_600_000) });
    const res = await post(app.url, teamsMessage(connector.url, AAD.sophie, { text: 'mon portefeuille', deliveryMode: 'expectReplies' }), { authorization: `Bearer ${openId.token(connector.url)}` });
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).not.toMatch(/activities|AdaptiveCard/);
    const messages = connector.received.filter((a) => a.body.type === 'message');
    expect(messages).toHaveLength(1);
    expect(messages[0]!.path).toMatch(/^\/v3\/conversations\/.+\/activities/);
    expect(messages[0]!.authorization).toBe('Bearer outbound-stand-in-token');
    expect(JSON.stringify(messages[0]!.body.attachments)).toMatch(/AdaptiveCard/);
  });
});

describe('error boundary', () => {
  it('a failing turn gets a neutral apology, and the log holds ids only', async () => {
    const lines: string[] = [];
    const log = createLogger('info', new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) }));
    const channel = createTeamsChannel({
      assistant: { handle: async () => Promise.reject(new TypeError('boom with Léa Martin inside')) },
      delivery: fakeDelivery().delivery,
      config: testConfig(),
      log,
    });
    const server = express();
    server.use(express.json());
    channel.mount(server);
    const httpServer = http.createServer(server);
    await new Promise<void>((r) => httpServer.listen(0, '127.0.0.1', () => r()));
    const receiver = await startReceiver();
    try {
      const url = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`;
      const res = await post(url, teamsMessage(receiver.url, AAD.sophie, { text: 'note secrète pour Léa Martin' }));
      expect(res.status).toBe(200);
      const sent = receiver.messages();
      expect(sent).toHaveLength(1);
      expect(sent[0]!.body.text).toMatch(/Désolé, un problème technique/);
      const logged = lines.join('\n');
      expect(logged).toMatch(/teams turn failed/);
      expect(logged).not.toMatch(/Léa|secrète|boom/);
    } finally {
      await receiver.close();
      await new Promise<void>((r) => httpServer.close(() => r()));
    }
  });
});
