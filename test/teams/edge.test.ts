import { createHmac, generateKeyPairSync, sign } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { sqliteTestDatabase, type TestDatabase } from '../helpers/db.js';
import type { App } from '../../src/app.js';
import { createTeamsChannel } from '../../bots/teams/index.js';
import { AAD } from '../core/counsellor/helpers.js';
import { post, startReceiver, startTeamsApp, teamsAppLogs, teamsMessage, testConfig } from './helpers.js';
import { fakeDelivery } from '../telegram/helpers/fake-api.js';

const APP_ID = '11111111-2222-4333-8444-555555555555';
const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
function claims() {
  const now = Math.floor(Date.now() / 1000);
  return { iss: 'https://api.botframework.com', aud: APP_ID, serviceurl: 'https://smba.trafficmanager.net/emea/', nbf: now - 60, exp: now + 600 };
}
/** Forged tokens of the issue: unsigned (alg none), HMAC-signed with a guessed secret, RS256 signed by our own key. */
function forgedTokens(): Record<string, string> {
  const none = `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims())}.`;
  const hsInput = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64(claims())}`;
  const hs = `${hsInput}.${createHmac('sha256', 'guessed').update(hsInput).digest('base64url')}`;
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const rsInput = `${b64({ alg: 'RS256', typ: 'JWT', kid: 'self-signed', x5t: 'self-signed' })}.${b64(claims())}`;
  const rs = `${rsInput}.${sign('sha256', Buffer.from(rsInput), privateKey).toString('base64url')}`;
  return { 'alg none': none, HS256: hs, 'self-signed RS256': rs };
}

describe('Teams authentication failures', () => {
  let db: TestDatabase;
  let app: App;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  beforeAll(async () => {
    db = await sqliteTestDatabase();
    receiver = await startReceiver();
    app = await startTeamsApp(db, { MICROSOFT_APP_ID: APP_ID, MICROSOFT_APP_PASSWORD: 'not-a-real-secret' });
  });
  afterAll(async () => {
    await app.stop();
    await receiver.close();
    await db.close();
  });

  it.each(Object.entries(forgedTokens()))('a %s token gets 401 with a generic body, nothing on the console, one pino line', async (_what, token) => {
    const consoleError = vi.spyOn(console, 'error');
    const consoleWarn = vi.spyOn(console, 'warn');
    const before = teamsAppLogs.lines.length;
    try {
      const res = await post(app.url, teamsMessage(receiver.url, AAD.sophie, { text: 'mon portefeuille' }), { authorization: `Bearer ${token}` });
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual({ error: 'unauthorized' });
      expect(consoleError).not.toHaveBeenCalled();
      expect(consoleWarn).not.toHaveBeenCalled();
      expect(teamsAppLogs.lines.slice(before).filter((l) => l.includes('teams authentication refused'))).toHaveLength(1);
      expect(receiver.received).toHaveLength(0);
    } finally {
      consoleError.mockRestore();
      consoleWarn.mockRestore();
    }
  });
});

describe('Teams hostile activities (anonymous local mode)', () => {
  let db: TestDatabase;
  let app: App;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  beforeAll(async () => {
    db = await sqliteTestDatabase();
    receiver = await startReceiver();
    app = await startTeamsApp(db);
  });
  afterAll(async () => {
    await app.stop();
    await receiver.close();
    await db.close();
  });

  it.each([
    ['serviceUrl "http://"', { serviceUrl: 'http://' }],
    ['serviceUrl "javascript:alert(1)"', { serviceUrl: 'javascript:alert(1)' }],
    ['a number as locale', { locale: 42 }],
    ['an object as from.name', { from: { id: '29:x', aadObjectId: AAD.sophie, name: { first: 'x' } } }],
    ['an array as conversation', { conversation: ['x'] }],
    ['a string as entities', { entities: 'mention' }],
    ['an array as value', { value: [1, 2] }],
  ])('%s gets 400, never 500, and runs nothing', async (_what, over) => {
    const before = await db.connection.db.processedUpdate.count();
    const res = await post(app.url, teamsMessage(receiver.url, AAD.sophie, { text: 'mon portefeuille', ...over }));
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: 'bad request' });
    expect(await db.connection.db.processedUpdate.count()).toBe(before);
  });

  it('a valid activity still gets its answer', async () => {
    const res = await post(app.url, teamsMessage(receiver.url, AAD.sophie, { text: 'aide' }));
    expect(res.status).toBe(200);
    expect(receiver.messages().length).toBeGreaterThan(0);
  });
});

describe('anonymous local mode', () => {
  it('refuses to start unless the server listens on a loopback address, with a clear message', () => {
    const { delivery } = fakeDelivery();
    const build = (host: string) => () =>
      createTeamsChannel({ assistant: { handle: async () => ({ reply: { blocks: [] }, duplicate: false }) }, delivery, config: testConfig({ HOST: host }), log: teamsAppLogs.log });
    expect(build('0.0.0.0')).toThrow(/anonymous local mode .*loopback.*HOST=127\.0\.0\.1.*MICROSOFT_APP_ID/);
    expect(build('192.168.1.10')).toThrow(/loopback/);
    expect(build('127.0.0.1')).not.toThrow();
    expect(build('::1')).not.toThrow();
    expect(() =>
      createTeamsChannel({
        assistant: { handle: async () => ({ reply: { blocks: [] }, duplicate: false }) },
        delivery,
        config: testConfig({ HOST: '0.0.0.0', MICROSOFT_APP_ID: APP_ID, MICROSOFT_APP_PASSWORD: 'x' }),
        log: teamsAppLogs.log,
      }),
    ).not.toThrow();
  });
});
