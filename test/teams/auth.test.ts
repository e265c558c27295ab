import { Writable } from 'node:stream';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqliteTestDatabase, type TestDatabase } from '../helpers/db.js';
import type { App } from '../../src/app.js';
import { createLogger } from '../../src/shared/logger.js';
import { createTeamsChannel } from '../../bots/teams/index.js';
import { fakeDelivery } from '../telegram/helpers/fake-api.js';
import { AAD } from '../core/counsellor/helpers.js';
import { post, startReceiver, startTeamsApp, teamsMessage, testConfig } from './helpers.js';

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
