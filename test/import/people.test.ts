import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseFactories, type TestDatabase } from '../helpers/db.js';
import { Conversation, testAssistant } from '../helpers/conversation.js';
import { importCounsellors } from '../../src/import/counsellors.js';
import { importYouth, type YouthImportOptions } from '../../src/import/youth.js';
import { readTable } from '../../src/import/read.js';
import { fileHash, formatReport } from '../../src/import/report.js';
import { repoRoot } from '../../src/store/database-url.js';

const FIXTURES = path.join(repoRoot, 'test', 'fixtures', 'imports');
const bytesOf = (name: string) => readFileSync(path.join(FIXTURES, name));
const day = (iso: string) => new Date(`${iso}T00:00:00.000Z`);
const SOPHIE_AAD = '00000000-0000-4000-8000-000000000001';

export const YOUTH_SAMPLE_REPORT = [
  'created 3, updated 0, unchanged 0, closed 0, rejected 11',
  'ligne 4 : date_naissance : moins de 16 ans à la date d’entrée',
  'ligne 5 : date_naissance : plus de 25 ans à la date d’entrée',
  'ligne 6 : conseiller : conseiller d’une autre Mission locale',
  'ligne 7 : conseiller : conseiller inconnu (importez d’abord le fichier des conseillers)',
  'ligne 8 : identifiant : en double (déjà ligne 2)',
  'ligne 9 : statut : valeur inconnue (actif, en mission, suspendu ou sorti)',
  'ligne 10 : date_naissance : date invalide (attendu jj/mm/aaaa ou aaaa-mm-jj)',
  'ligne 11 : conseiller : obligatoire pour un nouveau jeune',
  'ligne 12 : commune : obligatoire : le code postal 69290 dessert 4 communes',
  'ligne 13 : identifiant : obligatoire',
  'ligne 14 : frein_logement : valeur inconnue (oui, en cours, résolu ou non)',
  'colonnes ignorées : Remarque',
];

describe.each(databaseFactories)('caseload and counsellor imports on %s', (_kind, open) => {
  let db: TestDatabase;
  let lyon: number;
  let sophie: number;
  let marc: number;
  const youthOptions = (extra: Partial<YouthImportOptions> = {}): YouthImportOptions => ({ missionLocaleId: lyon, now: db.now, actor: { id: 'cli:test' }, fileHash: 'a'.repeat(64), ...extra });
  const youthRows = () =>
    db.connection.db.youth.findMany({
      where: { missionLocaleId: lyon, externalId: { not: null } },
      orderBy: { externalId: 'asc' },
      select: {
        externalId: true,
        firstName: true,
        lastName: true,
        searchName: true,
        birthDate: true,
        phone: true,
        email: true,
        communeCode: true,
        postcode: true,
        counsellorId: true,
        entryDate: true,
        status: true,
        exitDate: true,
        telegramUserId: true,
        consentAt: true,
        contactPrefs: true,
        barriers: { select: { topic: true, status: true, openKey: true }, orderBy: { topic: 'asc' } },
      },
    });

  beforeAll(async () => {
    db = await open();
    lyon = (await db.connection.db.missionLocale.findFirstOrThrow({ where: { name: 'Mission Locale de Lyon (démo)' } })).id;
    sophie = (await db.connection.db.counsellor.findUniqueOrThrow({ where: { email: 'sophie.durand@ml-lyon.demo.invalid' } })).id;
    marc = (await db.connection.db.counsellor.findUniqueOrThrow({ where: { email: 'marc.lefevre@ml-lyon.demo.invalid' } })).id;
  });
  afterAll(async () => db.close());

  it('imports the Windows-1252 caseload sample: exact rows, exact report without any name', async () => {
    const report = await importYouth(db.store, readTable(bytesOf('youth-cp1252-semicolon.csv')), youthOptions({ fileHash: fileHash(bytesOf('youth-cp1252-semicolon.csv')) }));
    const lines = formatReport(report);
    expect(lines).toEqual(YOUTH_SAMPLE_REPORT);
    for (const name of ['Testimport', 'Kévin', 'Importée', 'Inès', 'Trop', 'Sortie']) expect(lines.join('\n')).not.toContain(name);
    const rows = await youthRows();
    const ids = await db.connection.db.youth.findMany({ where: { externalId: { not: null } }, select: { id: true, externalId: true } });
    const idOf = (ext: string) => ids.find((y) => y.externalId === ext)!.id;
    expect(rows).toEqual([
      {
        externalId: 'IM-0001',
        firstName: 'Kévin',
        lastName: 'Testimport',
        searchName: 'kevin testimport',
        birthDate: day('2005-03-14'),
        phone: '06 11 22 33 44',
        email: 'kevin.t@exemple.invalid',
        communeCode: '69123',
        postcode: '69003',
        counsellorId: sophie,
        entryDate: day('2026-09-02'),
        status: 'active',
        exitDate: null,
        telegramUserId: null,
        consentAt: null,
        contactPrefs: null,
        barriers: [
          { topic: 'housing', status: 'open', openKey: `${idOf('IM-0001')}:housing` },
          { topic: 'mobility', status: 'in_progress', openKey: `${idOf('IM-0001')}:mobility` },
        ],
      },
      {
        externalId: 'IM-0002',
        firstName: 'Inès',
        lastName: 'Importée',
        searchName: 'ines importee',
        birthDate: day('2008-01-01'),
        phone: null,
        email: null,
        communeCode: '69266',
        postcode: '69100',
        counsellorId: sophie,
        entryDate: day('2026-10-15'),
        status: 'in_mission',
        exitDate: null,
        telegramUserId: null,
        consentAt: null,
        contactPrefs: null,
        barriers: [],
      },
      {
        externalId: 'IM-0012',
        firstName: 'Léa',
        lastName: 'Sortie',
        searchName: 'lea sortie',
        birthDate: day('2003-06-20'),
        phone: null,
        email: null,
        communeCode: '69259',
        postcode: '69200',
        counsellorId: marc,
        entryDate: day('2026-02-01'),
        status: 'exited',
        exitDate: new Date(Date.UTC(db.now.getUTCFullYear(), db.now.getUTCMonth(), db.now.getUTCDate())),
        telegramUserId: null,
        consentAt: null,
        contactPrefs: null,
        barriers: [],
      },
    ]);
    const audit = await db.connection.db.auditEvent.findFirstOrThrow({ where: { action: 'import_youth' }, orderBy: { id: 'desc' } });
    expect(audit.detail).toEqual({ missionLocaleId: lyon, fileHash: fileHash(bytesOf('youth-cp1252-semicolon.csv')), format: 'csv', created: 3, updated: 0, unchanged: 0, absent: 0, rejected: 11 });
  });

  it('a second import of the same file is "unchanged" and keeps every row', async () => {
    const before = await youthRows();
    const report = await importYouth(db.store, readTable(bytesOf('youth-cp1252-semicolon.csv')), youthOptions());
    expect(formatReport(report)[0]).toBe('created 0, updated 0, unchanged 3, closed 0, rejected 11');
    expect(await youthRows()).toEqual(before);
  });

  it('an update never touches what the youth gave the bot; an absent youth is listed, not removed; --dry-run writes nothing', async () => {
    const kevin = (await db.connection.db.youth.findFirstOrThrow({ where: { externalId: 'IM-0001' } })).id;
    await db.connection.db.youth.update({ where: { id: kevin }, data: { telegramUserId: '880011', telegramChatId: '880011', consentAt: db.now, contactPrefs: { channel: 'telegram' } } });
    const csv = [
      'identifiant,nom,prenom,date_naissance,code_postal,commune,conseiller,date_entree,statut,telephone,frein_logement,frein_mobilite',
      'IM-0001,Testimport,Kévin,14/03/2005,69003,Lyon,marc.lefevre@ml-lyon.demo.invalid,02/09/2026,en mission,07 00 00 00 01,résolu,en cours',
    ].join('\n');
    const snapshot = async () => ({ rows: await youthRows(), audit: await db.connection.db.auditEvent.count(), stamps: await db.connection.db.youth.findMany({ select: { id: true, updatedAt: true }, orderBy: { id: 'asc' } }) });
    const before = await snapshot();
    const dry = await importYouth(db.store, readTable(Buffer.from(csv)), youthOptions({ dryRun: true }));
    expect(await snapshot()).toEqual(before);
    const report = await importYouth(db.store, readTable(Buffer.from(csv)), youthOptions());
    expect({ ...report, dryRun: true }).toEqual(dry);
    expect(formatReport(report)).toEqual([
      'created 0, updated 1, unchanged 0, closed 0, rejected 0',
      "absents du fichier (conservés, rien n'est supprimé) : 2 (IM-0002, IM-0012)",
    ]);
    const after = await db.connection.db.youth.findUniqueOrThrow({ where: { id: kevin }, include: { barriers: { orderBy: { topic: 'asc' } } } });
    expect([after.telegramUserId, after.telegramChatId, after.consentAt, after.contactPrefs]).toEqual(['880011', '880011', db.now, { channel: 'telegram' }]);
    expect([after.counsellorId, after.status, after.phone, after.email]).toEqual([marc, 'in_mission', '07 00 00 00 01', 'kevin.t@exemple.invalid']);
    expect(after.barriers.map((b) => [b.topic, b.status, b.openKey, b.resolvedAt])).toEqual([
      ['housing', 'resolved', null, db.now],
      ['mobility', 'in_progress', `${kevin}:mobility`, null],
    ]);
    expect(await db.connection.db.youth.count({ where: { externalId: { in: ['IM-0002', 'IM-0012'] } } })).toBe(2);
  });

  it('an imported youth can be linked with a code from their counsellor', async () => {
    const assistant = testAssistant(db);
    const counsellor = new Conversation(assistant, 'teams', SOPHIE_AAD);
    expect(await counsellor.say('code de liaison pour Inès Importée')).toMatch(/Inès Importée/);
    // A new code invalidates the previous ones: the core asks for a confirmation first.
    const text = await counsellor.press('Créer le code');
    const code = /Code de liaison pour Inès Importée : ([2-9A-Z]{8})/.exec(text)?.[1];
    expect(code).toBeDefined();
    const youth = new Conversation(assistant, 'telegram', '880022');
    await youth.say(`code ${code}`);
    const ines = await db.connection.db.youth.findFirstOrThrow({ where: { externalId: 'IM-0002' } });
    expect(ines.telegramUserId).toBe('880022');
  });

  it('imports the counsellor file (UTF-8, `,`): upsert by e-mail, each bad row reported', async () => {
    const report = await importCounsellors(db.store, readTable(bytesOf('counsellors-utf8-comma.csv')), { now: db.now, actor: { id: 'cli:test' }, fileHash: 'c'.repeat(64) });
    expect(formatReport(report)).toEqual([
      'created 1, updated 0, unchanged 2, closed 0, rejected 6',
      'ligne 5 : email : adresse e-mail invalide',
      'ligne 6 : email : en double (déjà ligne 2)',
      'ligne 7 : mission_locale : inconnue',
      'ligne 8 : identifiant_teams : identifiant Teams (AAD) invalide : un GUID est attendu',
      'ligne 9 : role : valeur inconnue (conseiller ou manager)',
      'ligne 10 : identifiant_teams : déjà celui d’un autre conseiller',
    ]);
    const paul = await db.connection.db.counsellor.findUniqueOrThrow({ where: { email: 'paul.nouveau@ml-lyon.demo.invalid' } });
    expect([paul.firstName, paul.lastName, paul.aadObjectId, paul.role, paul.missionLocaleId, paul.active]).toEqual(['Paul', 'Nouveau', '11111111-2222-4333-8444-555555555555', 'counsellor', lyon, true]);
  });

  it('a counsellor removed from the file is deactivated at once, their youth listed for reassignment; back in the file, reactivated', async () => {
    const assistant = testAssistant(db);
    expect(await new Conversation(assistant, 'teams', SOPHIE_AAD).say('bonjour')).toMatch(/Bonjour Sophie/);
    const followed = await db.connection.db.youth.findMany({ where: { counsellorId: sophie, status: { not: 'exited' }, anonymizedAt: null }, select: { id: true }, orderBy: { id: 'asc' } });
    const report = await importCounsellors(db.store, readTable(bytesOf('counsellors-without-sophie.csv')), { now: db.now, actor: { id: 'cli:test' }, fileHash: 'd'.repeat(64) });
    expect(formatReport(report)).toEqual([
      'created 0, updated 0, unchanged 2, closed 1, rejected 0',
      `conseiller ${sophie} désactivé : ${followed.length} jeunes à réaffecter (${followed.map((y) => y.id).join(', ')})`,
    ]);
    const row = await db.connection.db.counsellor.findUniqueOrThrow({ where: { id: sophie } });
    expect([row.active, row.deactivatedAt]).toEqual([false, db.now]);
    // Access is refused on the very next message; the youth stay with the Mission locale.
    const refused = await new Conversation(assistant, 'teams', SOPHIE_AAD).say('mon portefeuille');
    expect(refused).toMatch(/n’est pas enregistré comme conseiller/);
    expect(refused).not.toMatch(/Sophie/);
    expect(await db.connection.db.youth.count({ where: { counsellorId: sophie, missionLocaleId: lyon } })).toBeGreaterThanOrEqual(followed.length);
    // Other Missions locales' counsellors are untouched by a Lyon-only file.
    expect(await db.connection.db.counsellor.count({ where: { active: false } })).toBe(1);
    // A youth cannot be given to a deactivated counsellor.
    const csv = 'identifiant;nom;prenom;date_naissance;code_postal;conseiller;date_entree\nIM-0100;Nouveau;Jeune;01/01/2005;69003;sophie.durand@ml-lyon.demo.invalid;01/10/2026\n';
    expect(formatReport(await importYouth(db.store, readTable(Buffer.from(csv)), youthOptions()))[1]).toBe('ligne 2 : conseiller : conseiller désactivé');
    const back = await importCounsellors(db.store, readTable(bytesOf('counsellors-utf8-comma.csv')), { now: db.now, actor: { id: 'cli:test' }, fileHash: 'e'.repeat(64) });
    expect(formatReport(back)[0]).toBe('created 0, updated 1, unchanged 2, closed 0, rejected 6');
    expect((await db.connection.db.counsellor.findUniqueOrThrow({ where: { id: sophie } })).active).toBe(true);
    expect(await new Conversation(assistant, 'teams', SOPHIE_AAD).say('bonjour')).toMatch(/Bonjour Sophie/);
  });
});
