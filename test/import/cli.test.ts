import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqliteTestDatabase, type TestDatabase } from '../helpers/db.js';
import { runScript } from '../helpers/process.js';
import { hashAgencyToken } from '../../src/import/tokens.js';
import { SAMPLE_FEED_REPORT } from './expected-reports.js';

const FIXTURE = 'test/fixtures/imports/missions-errors-cp1252.csv';
const AGENCY = 'Rhône Intérim Part-Dieu';

let db: TestDatabase;
let dir: string;
beforeAll(async () => {
  db = await sqliteTestDatabase();
  dir = mkdtempSync(path.join(tmpdir(), 'mj-import-cli-'));
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await db.close();
});

// Each script start loads tsx and the store: slow on a busy machine.
describe('npm run import:missions', { timeout: 90_000 }, () => {
  it('exits 2 with the exact report when rows are rejected, the good rows kept', async () => {
    const { code, stdout } = await runScript('scripts/import-missions.ts', [FIXTURE, '--agency', AGENCY], { DATABASE_URL: db.url });
    expect(code).toBe(2);
    expect(stdout.trim().split('\n')).toEqual(SAMPLE_FEED_REPORT);
    expect(await db.connection.db.mission.count({ where: { reference: { startsWith: 'RIP-' } } })).toBe(4);
    const audit = await db.connection.db.auditEvent.findFirstOrThrow({ where: { action: 'import_missions' } });
    expect(audit.actorId).toMatch(/^cli:/);
  });

  it('exits 0 when every row is imported', async () => {
    const good = path.join(dir, 'good.csv');
    writeFileSync(good, 'reference;intitule;code_postal;date_debut;date_fin;heures_hebdo;taux_horaire_brut\nOK-1;Cariste;69003;01/02/2027;28/02/2027;35;12,50\n');
    const ok = await runScript('scripts/import-missions.ts', [good, '--agency', AGENCY], { DATABASE_URL: db.url });
    expect([ok.code, ok.stdout.trim()]).toEqual([0, 'created 1, updated 0, unchanged 0, closed 0, rejected 0']);
  });

  it('exits 1 and writes nothing for an unreadable file, an unknown agency or a missing option', async () => {
    const good = path.join(dir, 'good.csv');
    writeFileSync(good, 'reference;intitule;code_postal;date_debut;date_fin;heures_hebdo;taux_horaire_brut\nOK-2;Cariste;69003;01/02/2027;28/02/2027;35;12,50\n');
    const count = await db.connection.db.mission.count();
    const audits = await db.connection.db.auditEvent.count();
    const [broken, unknown, usage] = await Promise.all([
      runScript('scripts/import-missions.ts', ['test/fixtures/imports/missions-unreadable.csv', '--agency', AGENCY], { DATABASE_URL: db.url }),
      runScript('scripts/import-missions.ts', [good, '--agency', 'Agence qui n’existe pas'], { DATABASE_URL: db.url }),
      runScript('scripts/import-missions.ts', [good], { DATABASE_URL: db.url }),
    ]);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(/fichier illisible : le CSV est mal formé/);
    expect([unknown.code, unknown.stderr.trim()]).toEqual([1, 'agence inconnue']);
    expect(usage.code).toBe(1);
    expect(usage.stderr).toMatch(/usage/);
    expect([await db.connection.db.mission.count(), await db.connection.db.auditEvent.count()]).toEqual([count, audits]);
  });
});

describe('npm run agency:token', { timeout: 90_000 }, () => {
  it('issues a token shown once (only its hash stored), lists and revokes it', async () => {
    const agency = await db.connection.db.agency.findFirstOrThrow({ where: { name: AGENCY } });
    const issued = await runScript('scripts/agency-token.ts', ['--agency', String(agency.id)], { DATABASE_URL: db.url });
    expect(issued.code).toBe(0);
    const token = /mjag_[A-Za-z0-9_-]{43}/.exec(issued.stdout)?.[0];
    expect(token).toBeDefined();
    const row = await db.connection.db.agencyToken.findUniqueOrThrow({ where: { tokenHash: hashAgencyToken(token!) } });
    expect(JSON.stringify(await db.connection.db.agencyToken.findMany())).not.toContain(token!);
    const list = await runScript('scripts/agency-token.ts', ['--agency', AGENCY, '--list'], { DATABASE_URL: db.url });
    expect(list.stdout).toMatch(new RegExp(`jeton ${row.id} .* actif`));
    const revoked = await runScript('scripts/agency-token.ts', ['--revoke', String(row.id)], { DATABASE_URL: db.url });
    expect([revoked.code, revoked.stdout.trim()]).toEqual([0, `jeton ${row.id} révoqué`]);
    expect((await db.connection.db.agencyToken.findUniqueOrThrow({ where: { id: row.id } })).revokedAt).not.toBeNull();
  });
});
