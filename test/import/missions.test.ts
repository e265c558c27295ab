import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseFactories, type TestDatabase } from '../helpers/db.js';
import { Conversation, testAssistant } from '../helpers/conversation.js';
import { importMissions, type MissionImportOptions } from '../../src/import/missions.js';
import { readTable } from '../../src/import/read.js';
import { fileHash, formatReport } from '../../src/import/report.js';
import { repoRoot } from '../../src/store/database-url.js';
import { SAMPLE_FEED_REPORT } from './expected-reports.js';

const FIXTURES = path.join(repoRoot, 'test', 'fixtures', 'imports');
const bytesOf = (name: string) => readFileSync(path.join(FIXTURES, name));


const day = (iso: string) => new Date(`${iso}T00:00:00.000Z`);

describe.each(databaseFactories)('mission feed import on %s', (_kind, open) => {
  let db: TestDatabase;
  let agencyId: number;
  let otherAgencyId: number;
  const options = (extra: Partial<MissionImportOptions> = {}): MissionImportOptions => ({
    agencyId,
    now: db.now,
    actor: { id: 'cli:test' },
    fileHash: 'f'.repeat(64),
    ...extra,
  });
  const run = (file: string, extra: Partial<MissionImportOptions> = {}) =>
    importMissions(db.store, readTable(bytesOf(file)), options({ fileHash: fileHash(bytesOf(file)), ...extra }));
  const feedRows = () =>
    db.connection.db.mission.findMany({
      where: { agencyId, reference: { not: { startsWith: 'DEMO-' } } },
      orderBy: { reference: 'asc' },
      select: {
        reference: true,
        title: true,
        sector: true,
        romeCode: true,
        description: true,
        communeCode: true,
        communeName: true,
        postcode: true,
        departementCode: true,
        epciCode: true,
        startDate: true,
        endDate: true,
        weeklyHours: true,
        hourlyGrossPay: true,
        requirements: true,
        places: true,
        status: true,
        publishedAt: true,
      },
    });

  beforeAll(async () => {
    db = await open();
    agencyId = (await db.connection.db.agency.findFirstOrThrow({ where: { name: 'Rhône Intérim Part-Dieu' } })).id;
    otherAgencyId = (await db.connection.db.agency.findFirstOrThrow({ where: { name: 'Tempo Travail Villeurbanne' } })).id;
  });
  afterAll(async () => db.close());

  it('imports the good rows of the Windows-1252 `;` sample and reports each bad row with its spreadsheet line', async () => {
    const report = await run('missions-errors-cp1252.csv');
    expect(formatReport(report)).toEqual(SAMPLE_FEED_REPORT);
    const rows = await feedRows();
    expect(rows).toEqual([
      {
        reference: 'RIP-001',
        title: 'Cariste H/F',
        sector: 'logistique',
        romeCode: 'N1101',
        description: 'Chargement; déchargement de camions',
        communeCode: '69123',
        communeName: 'Lyon',
        postcode: '69003',
        departementCode: '69',
        epciCode: '200046977',
        startDate: day('2027-01-15'),
        endDate: day('2027-02-28'),
        weeklyHours: 35,
        hourlyGrossPay: 12.5,
        requirements: ['Permis B', 'CACES R489 cat. 3'],
        places: 2,
        status: 'open',
        publishedAt: db.now,
      },
      {
        reference: 'RIP-002',
        title: 'Serveur / Serveuse',
        sector: 'hotellerie_restauration',
        romeCode: null,
        description: 'Service en salle.\r\nHoraires coupés, week-ends.',
        communeCode: '69266',
        communeName: 'Villeurbanne',
        postcode: '69100',
        departementCode: '69',
        epciCode: '200046977',
        startDate: day('2027-01-10'),
        endDate: day('2027-03-31'),
        weeklyHours: 30,
        hourlyGrossPay: 13.1,
        requirements: [],
        places: 1,
        status: 'open',
        publishedAt: db.now,
      },
      {
        reference: 'RIP-003',
        title: 'Préparateur de commandes',
        sector: 'logistique',
        romeCode: null,
        description: '',
        communeCode: '69259',
        communeName: 'Vénissieux',
        postcode: '69200',
        departementCode: '69',
        epciCode: '200046977',
        startDate: day('2027-02-01'),
        endDate: day('2027-04-30'),
        weeklyHours: 35,
        hourlyGrossPay: 12.02,
        requirements: ['Chaussures de sécurité'],
        places: 3,
        status: 'open',
        publishedAt: db.now,
      },
      {
        reference: 'RIP-020',
        title: 'Employé de rayon',
        sector: 'commerce',
        romeCode: null,
        description: '',
        communeCode: '69069',
        communeName: 'Craponne',
        postcode: '69290',
        departementCode: '69',
        epciCode: '200046977',
        startDate: day('2027-01-15'),
        endDate: day('2027-02-28'),
        weeklyHours: 35,
        hourlyGrossPay: 12.6,
        requirements: [],
        places: 1,
        status: 'open',
        publishedAt: db.now,
      },
    ]);
    const audit = await db.connection.db.auditEvent.findFirstOrThrow({ where: { action: 'import_missions' }, orderBy: { id: 'desc' } });
    expect(audit).toMatchObject({ actorType: 'system', actorId: 'cli:test' });
    expect(audit.detail).toEqual({
      agencyId,
      fileHash: fileHash(bytesOf('missions-errors-cp1252.csv')),
      format: 'csv',
      closeMissing: false,
      created: 4,
      updated: 0,
      unchanged: 0,
      closed: 0,
      rejected: 17,
    });
  });

  it('a second import of the same file changes nothing and says "unchanged"', async () => {
    const before = await feedRows();
    const stamps = await db.connection.db.mission.findMany({ where: { agencyId }, select: { id: true, updatedAt: true }, orderBy: { id: 'asc' } });
    const report = await run('missions-errors-cp1252.csv');
    expect(formatReport(report)[0]).toBe('created 0, updated 0, unchanged 4, closed 0, rejected 17');
    expect(await feedRows()).toEqual(before);
    expect(await db.connection.db.mission.findMany({ where: { agencyId }, select: { id: true, updatedAt: true }, orderBy: { id: 'asc' } })).toEqual(stamps);
  });

  it('reads UTF-8 with BOM, `,`, English aliases, quoted separators, quotes and line breaks', async () => {
    const report = await run('missions-utf8-bom-comma.csv');
    expect(formatReport(report)).toEqual(['created 3, updated 0, unchanged 0, closed 0, rejected 1', 'ligne 3 : date_fin : avant la date de début']);
    const rows = await feedRows();
    const ttv = rows.filter((r) => r.reference?.startsWith('TTV'));
    expect(ttv.map((r) => [r.reference, r.title, r.sector, r.communeName, r.hourlyGrossPay, r.requirements, r.description])).toEqual([
      ['TTV-100', 'Cariste, CACES 1', 'logistique', 'Villeurbanne', 12.75, ['Permis B', 'CACES R489 cat. 1'], 'Quai "nord", équipe du matin'],
      ['TTV-102', 'Agent de propreté', 'proprete', 'Villeurbanne', 12.2, [], 'Deux sites :\n- bureaux\n- entrepôt'],
      ['TTV-103', 'Chauffeur livreur', 'transport', 'Villeurbanne', 12.9, ['Permis B'], ''],
    ]);
  });

  it('reads a JSON feed (numbers, arrays, aliases per object) and reports its elements', async () => {
    const report = await run('missions-feed.json');
    expect(formatReport(report)).toEqual([
      'created 3, updated 0, unchanged 0, closed 0, rejected 2',
      "élément 3 : ligne : n'est pas un objet",
      'élément 4 : heures_hebdo : doit être entre 1 et 48',
      'colonnes ignorées : champ_inconnu',
    ]);
    const hev = (await feedRows()).filter((r) => r.reference?.startsWith('HEV'));
    expect(hev.map((r) => [r.reference, r.sector, r.communeCode, r.weeklyHours, r.hourlyGrossPay, r.places, r.requirements])).toEqual([
      ['HEV-1', 'industrie', '69259', 35, 12.9, 4, ['Chaussures de sécurité', 'Travail en 2x8']],
      ['HEV-2', 'hotellerie_restauration', '69123', 24, 13.5, 1, []],
      ['HEV-4', 'logistique', '69259', 35, 12.5, 1, []],
    ]);
  });

  it('a changed row is updated, keeps its id and first publication date', async () => {
    const before = await db.connection.db.mission.findFirstOrThrow({ where: { agencyId, reference: 'HEV-2' } });
    const feed = [{ reference: 'HEV-2', title: 'Serveur en brasserie', city: 'Lyon', start_date: '25/01/2027', end_date: '25/02/2027', weekly_hours: 28, hourly_pay: '13,50' }];
    const later = new Date(db.now.getTime() + 3_600_000);
    const report = await importMissions(db.store, readTable(Buffer.from(JSON.stringify(feed))), options({ now: later }));
    expect(formatReport(report)[0]).toBe('created 0, updated 1, unchanged 0, closed 0, rejected 0');
    const after = await db.connection.db.mission.findFirstOrThrow({ where: { agencyId, reference: 'HEV-2' } });
    expect([after.id, after.weeklyHours, after.publishedAt]).toEqual([before.id, 28, before.publishedAt]);
  });

  it('--dry-run reports the same as the real run and leaves the database unchanged', async () => {
    const snapshot = async () => ({
      counts: await Promise.all([db.connection.db.mission.count(), db.connection.db.auditEvent.count(), db.connection.db.agency.count()]),
      missions: await db.connection.db.mission.findMany({ orderBy: { id: 'asc' }, select: { id: true, status: true, updatedAt: true, title: true, weeklyHours: true } }),
    });
    const feed = [
      { reference: 'HEV-1', intitule: 'Opérateur de production', secteur: 'industrie', code_postal: '69200', date_debut: '2027-01-18', date_fin: '2027-03-18', heures_hebdo: 30, taux_horaire_brut: 12.9 },
      { reference: 'NEW-1', intitule: 'Cariste', code_postal: '69003', date_debut: '2027-01-18', date_fin: '2027-03-18', heures_hebdo: 35, taux_horaire_brut: 12.9 },
    ];
    const before = await snapshot();
    const dry = await importMissions(db.store, readTable(Buffer.from(JSON.stringify(feed))), options({ dryRun: true, closeMissing: true }));
    expect(await snapshot()).toEqual(before);
    expect(dry.created).toBe(1);
    expect(dry.updated).toBe(1);
    expect(dry.closed).toBeGreaterThan(1);
    expect(formatReport(dry).at(-1)).toBe('simulation (--dry-run) : rien n’a été écrit');
    // The real run says exactly what the simulation said.
    const openBefore = await db.connection.db.mission.findMany({ where: { agencyId, status: 'open' }, select: { id: true, reference: true } });
    const real = await importMissions(db.store, readTable(Buffer.from(JSON.stringify(feed))), options({ closeMissing: true }));
    expect({ ...real, dryRun: true }).toEqual(dry);
    // --close-missing closed exactly the agency's open missions absent from the feed, and nothing of another agency.
    const expectedClosed = openBefore.filter((m) => m.reference !== 'HEV-1' && m.reference !== 'NEW-1').map((m) => m.id).sort((a, b) => a - b);
    expect(real.closed).toBe(expectedClosed.length);
    const closedNow = await db.connection.db.mission.findMany({ where: { id: { in: openBefore.map((m) => m.id) }, status: 'closed' }, select: { id: true }, orderBy: { id: 'asc' } });
    expect(closedNow.map((m) => m.id)).toEqual(expectedClosed);
    expect(await db.connection.db.mission.findMany({ where: { agencyId, status: 'open' }, select: { reference: true }, orderBy: { reference: 'asc' } })).toEqual([{ reference: 'HEV-1' }, { reference: 'NEW-1' }]);
    expect(await db.connection.db.mission.count({ where: { agencyId: otherAgencyId, status: 'closed' } })).toBe(0);
  });

  it('a closed mission listed again is reopened (updated)', async () => {
    const report = await run('missions-utf8-bom-comma.csv');
    expect(formatReport(report)[0]).toBe('created 0, updated 3, unchanged 0, closed 0, rejected 1');
    expect(await db.connection.db.mission.count({ where: { agencyId, reference: { startsWith: 'TTV' }, status: 'open' } })).toBe(3);
  });

  it('a file without a required column is refused as a whole', async () => {
    const count = await db.connection.db.mission.count();
    await expect(importMissions(db.store, readTable(Buffer.from('reference;intitule\nX-1;Cariste\n')), options())).rejects.toThrow(/colonne obligatoire absente : date_debut, date_fin, heures_hebdo, taux_horaire_brut/);
    expect(await db.connection.db.mission.count()).toBe(count);
  });

  it("an imported mission is found by a young person's search right after the import", async () => {
    const youth = new Conversation(testAssistant(db), 'telegram', '77001');
    const text = await youth.say('je cherche un job de cariste à Villeurbanne');
    expect(text).toContain('Cariste, CACES 1');
  });
});
