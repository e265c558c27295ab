import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type App } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { newAgencyToken } from '../../src/import/tokens.js';
import { AGENCY_FEED_PATH } from '../../src/import/http.js';
import { databaseFactories, type TestDatabase } from '../helpers/db.js';
import { capturingLogger } from '../helpers/logs.js';

const feed = {
  missions: [
    { reference: 'API-1', intitule: 'Cariste', code_postal: '69100', date_debut: '2027-01-18', date_fin: '2027-03-18', heures_hebdo: 35, taux_horaire_brut: 12.9, exigences: ['CACES R489'] },
    { reference: 'API-2', intitule: 'Serveur', code_postal: '69100', date_debut: '2027-01-18', date_fin: '2027-01-10', heures_hebdo: 35, taux_horaire_brut: 13 },
  ],
};

describe.each(databaseFactories)('agency feed endpoint on %s', (_kind, open) => {
  let db: TestDatabase;
  let app: App;
  let agencyId: number;
  let otherAgencyId: number;
  let token: string;
  let otherToken: string;
  const logs = capturingLogger('info');
  const post = (body: unknown, auth?: string, raw?: string) =>
    fetch(`${app.url}${AGENCY_FEED_PATH}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(auth ? { authorization: auth } : {}) },
      body: raw ?? JSON.stringify(body),
    });

  beforeAll(async () => {
    db = await open();
    agencyId = (await db.connection.db.agency.findFirstOrThrow({ where: { name: 'Tempo Travail Villeurbanne' } })).id;
    otherAgencyId = (await db.connection.db.agency.findFirstOrThrow({ where: { name: 'Rhône Intérim Part-Dieu' } })).id;
    const a = newAgencyToken();
    await db.store.agencyTokens.createAgencyToken(agencyId, a.hash);
    token = a.token;
    const b = newAgencyToken();
    await db.store.agencyTokens.createAgencyToken(otherAgencyId, b.hash);
    otherToken = b.token;
    app = await startApp({
      config: loadConfig({ PORT: '0', NOTIFY_INTERVAL_MS: '3600000', AGENCY_FEED_BODY_LIMIT: '64kb' }),
      log: logs.log,
      now: () => db.now,
      opened: { store: db.store, connection: { ...db.connection, close: async () => undefined } },
    });
  });
  afterAll(async () => {
    await app.stop();
    await db.close();
  });

  it('refuses a request without a token, with a malformed, unknown or revoked token (401), and writes nothing', async () => {
    const count = await db.connection.db.mission.count();
    const none = await post(feed);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect((await post(feed, 'Bearer nope')).status).toBe(401);
    expect((await post(feed, `Basic ${Buffer.from('a:b').toString('base64')}`)).status).toBe(401);
    expect((await post(feed, `Bearer ${newAgencyToken().token}`)).status).toBe(401);
    const revoked = newAgencyToken();
    const row = await db.store.agencyTokens.createAgencyToken(agencyId, revoked.hash);
    expect(await db.store.agencyTokens.revokeAgencyToken(row.id, db.now)).toBe(true);
    expect((await post(feed, `Bearer ${revoked.token}`)).status).toBe(401);
    expect(await db.connection.db.mission.count()).toBe(count);
  });

  it("refuses another agency's token for this agency (403), and writes nothing", async () => {
    const count = await db.connection.db.mission.count();
    const res = await post({ ...feed, agency: agencyId }, `Bearer ${otherToken}`);
    expect(res.status).toBe(403);
    expect(await db.connection.db.mission.count()).toBe(count);
  });

  it('refuses an oversized body (413) and a body without a missions array (400), without a stack trace', async () => {
    const big = { missions: Array.from({ length: 600 }, (_, i) => ({ ...feed.missions[0], reference: `BIG-${i}`, description: 'x'.repeat(100) })) };
    const res = await post(big, `Bearer ${token}`);
    expect(res.status).toBe(413);
    expect(await db.connection.db.mission.count({ where: { reference: { startsWith: 'BIG-' } } })).toBe(0);
    const bad = await post({ rows: [] }, `Bearer ${token}`);
    expect(bad.status).toBe(400);
    const broken = await post(undefined, `Bearer ${token}`, '{"missions": [');
    expect(broken.status).toBe(400);
    expect(await broken.text()).not.toMatch(/at .*\.(ts|js)|SyntaxError/);
  });

  it('imports with a valid token, answers the per-row report, and is idempotent on retry', async () => {
    const first = await post({ ...feed, agency: agencyId }, `Bearer ${token}`);
    expect(first.status).toBe(200);
    const body = await first.json();
    expect(body).toMatchObject({
      summary: 'created 1, updated 0, unchanged 0, closed 0, rejected 1',
      report: ['created 1, updated 0, unchanged 0, closed 0, rejected 1', 'élément 2 : date_fin : avant la date de début'],
      rejections: [{ line: 2, field: 'date_fin', reason: 'avant la date de début' }],
    });
    const row = await db.connection.db.mission.findFirstOrThrow({ where: { agencyId, reference: 'API-1' } });
    expect([row.title, row.communeCode, row.status, row.requirements]).toEqual(['Cariste', '69266', 'open', ['CACES R489']]);
    const retry = await post(feed, `Bearer ${token}`);
    expect(((await retry.json()) as { summary: string }).summary).toBe('created 0, updated 0, unchanged 1, closed 0, rejected 1');
    expect(await db.connection.db.mission.count({ where: { reference: 'API-1' } })).toBe(1);
    // The other agency's token writes its own agency, never this one.
    await post(feed, `Bearer ${otherToken}`);
    expect(await db.connection.db.mission.count({ where: { reference: 'API-1' } })).toBe(2);
    expect(await db.connection.db.mission.count({ where: { reference: 'API-1', agencyId: otherAgencyId } })).toBe(1);
    const audit = await db.connection.db.auditEvent.findMany({ where: { action: 'import_missions' }, orderBy: { id: 'asc' } });
    expect(audit.map((a) => a.actorId)).toEqual([expect.stringMatching(/^agency-token:\d+$/), expect.stringMatching(/^agency-token:\d+$/), expect.stringMatching(/^agency-token:\d+$/)]);
    const tokenRow = await db.connection.db.agencyToken.findFirstOrThrow({ where: { agencyId }, orderBy: { id: 'asc' } });
    expect(tokenRow.lastUsedAt).toEqual(db.now);
    expect(logs.lines.some((l) => l.includes('agency feed imported'))).toBe(true);
    expect(logs.lines.join('\n')).not.toContain('Cariste');
  });
});
