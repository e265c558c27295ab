import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseFactories, type TestDatabase } from '../helpers/db.js';
import { Conversation, testAssistant } from '../helpers/conversation.js';
import { checkRule } from '../../src/core/youth/support.js';
import { generateLinkCode, hashLinkCode } from '../../src/core/linking.js';
import { loadSupportCatalogue } from '../../src/content/load.js';
import type { EligibilityRule } from '../../src/content/schema.js';
import type { Assistant } from '../../src/core/types.js';

const DAY = 86_400_000;
const catalogue = new Map(loadSupportCatalogue().map((m) => [m.key, m]));

/** The rules of a catalogue measure, in file order: the test reads the real file, not a copy of its rules. */
function rulesOf(key: string): EligibilityRule[] {
  const m = catalogue.get(key);
  if (!m) throw new Error(`no measure ${key} in prisma/content/support-measures.json`);
  return m.eligibility;
}

interface YouthFile {
  /** Age in whole years at the test clock. */
  age: number;
  /** Missions: days from now to their end (negative = ended that many days ago; positive = still running). */
  placements?: { endsInDays: number; lastingDays?: number; hours: number }[];
}

// The eligibility rules of the support catalogue, exercised on real youth files of a seeded database.
describe.each(databaseFactories)('eligibility rules of the catalogue on %s', (_kind, factory) => {
  let db: TestDatabase;
  let assistant: Assistant;
  let missionId: number;
  let template: { missionLocaleId: number; counsellorId: number; communeCode: string; postcode: string };
  let serial = 0;
  let telegramUser = 8_100_000;

  beforeAll(async () => {
    db = await factory();
    assistant = testAssistant(db);
    missionId = (await db.connection.db.mission.findFirstOrThrow({ select: { id: true } })).id;
    template = await db.connection.db.youth.findFirstOrThrow({ select: { missionLocaleId: true, counsellorId: true, communeCode: true, postcode: true } });
  });
  afterAll(async () => db?.close());

  /** Writes a youth file with its missions, as the store would hold it. */
  async function youthFile(file: YouthFile): Promise<number> {
    const n = ++serial;
    const birthDate = new Date(db.now.getTime() - (file.age * 365.25 + 30) * DAY);
    const youth = await db.connection.db.youth.create({
      data: { firstName: 'Test', lastName: `Eligibilite${n}`, searchName: `test eligibilite${n}`, birthDate, entryDate: new Date(db.now.getTime() - 400 * DAY), ...template },
    });
    for (const p of file.placements ?? []) {
      const endDate = new Date(db.now.getTime() + p.endsInDays * DAY);
      const startDate = new Date(endDate.getTime() - (p.lastingDays ?? 60) * DAY);
      await db.connection.db.placement.create({ data: { youthId: youth.id, missionId, startDate, endDate, hours: p.hours } });
    }
    return youth.id;
  }

  async function check(key: string, file: YouthFile) {
    const facts = await db.store.activity.eligibilityFacts(await youthFile(file), db.now);
    return rulesOf(key).map((rule) => checkRule(rule, facts, db.now));
  }

  it('CEJ: 16-25 passes the age rules, 26-29 is asked about a disability recognition, 30 and over or under 16 does not qualify', async () => {
    // rules: min_age 16, max_age 25 (29 with RQTH), declared ni_etudes_ni_formation, declared inscrit_france_travail
    expect((await check('contrat_engagement_jeune', { age: 20 })).slice(0, 2)).toEqual(['met', 'met']);
    expect((await check('contrat_engagement_jeune', { age: 27 })).slice(0, 2)).toEqual(['met', 'unknown']);
    expect((await check('contrat_engagement_jeune', { age: 31 })).slice(0, 2)).toEqual(['met', 'unmet']);
    expect((await check('contrat_engagement_jeune', { age: 15 }))[0]).toBe('unmet');
    expect((await check('contrat_engagement_jeune', { age: 20 })).slice(2)).toEqual(['unknown', 'unknown']);
  });

  it('FASTT bank credit: 414 h and a mission now or within 30 days; fewer hours or an old mission are asked, never refused', async () => {
    expect(await check('fastt_credit_bancaire', { age: 22, placements: [{ endsInDays: -200, hours: 300 }, { endsInDays: 20, hours: 200 }] })).toEqual(['met', 'met']);
    expect(await check('fastt_credit_bancaire', { age: 22, placements: [{ endsInDays: -10, hours: 500 }] })).toEqual(['met', 'met']);
    expect(await check('fastt_credit_bancaire', { age: 22, placements: [{ endsInDays: -60, hours: 500 }] })).toEqual(['met', 'unknown']);
    // Hours done through other agencies do not show in the file: too few hours is a question, not a refusal.
    expect(await check('fastt_credit_bancaire', { age: 22, placements: [{ endsInDays: 5, hours: 100 }] })).toEqual(['unknown', 'met']);
  });

  it('FASTT rental guarantee: 414 h within the last 12 months and on a mission now', async () => {
    expect(await check('fastt_garantie_locative', { age: 24, placements: [{ endsInDays: -100, hours: 300 }, { endsInDays: 15, hours: 150 }] })).toEqual(['met', 'met']);
    // The same hours, worked more than 12 months ago, no longer count; a mission that ended yesterday is not "now".
    expect(await check('fastt_garantie_locative', { age: 24, placements: [{ endsInDays: -420, hours: 450 }, { endsInDays: -1, hours: 10 }] })).toEqual(['unknown', 'unknown']);
  });

  it('CDPI: 150 h within 12 months', async () => {
    expect(await check('cdpi_developpement_pro_interimaire', { age: 19, placements: [{ endsInDays: -30, hours: 160 }] })).toEqual(['met']);
    expect(await check('cdpi_developpement_pro_interimaire', { age: 19, placements: [{ endsInDays: -400, hours: 160 }] })).toEqual(['unknown']);
  });

  it('Visale: 18 to 30 inclusive', async () => {
    expect((await check('visale_garantie_action_logement', { age: 18 })).slice(0, 2)).toEqual(['met', 'met']);
    expect((await check('visale_garantie_action_logement', { age: 30 })).slice(0, 2)).toEqual(['met', 'met']);
    expect((await check('visale_garantie_action_logement', { age: 31 })).slice(0, 2)).toEqual(['met', 'unmet']);
    expect((await check('visale_garantie_action_logement', { age: 17 }))[0]).toBe('unmet');
  });

  it('Permis à 1 € par jour: 15 to 25', async () => {
    expect(await check('permis_un_euro_par_jour', { age: 15 })).toEqual(['met', 'met']);
    expect(await check('permis_un_euro_par_jour', { age: 26 })).toEqual(['met', 'unmet']);
  });

  it('Mobili-Jeune: under 30', async () => {
    expect((await check('action_logement_mobili_jeune', { age: 29 }))[0]).toBe('met');
    expect((await check('action_logement_mobili_jeune', { age: 30 }))[0]).toBe('unmet');
  });

  it('Contrat de professionnalisation: under 26, and 26 or over is asked (jobseekers and minimum-income recipients qualify)', async () => {
    expect(await check('contrat_professionnalisation_interimaire', { age: 21 })).toEqual(['met', 'met']);
    expect(await check('contrat_professionnalisation_interimaire', { age: 28 })).toEqual(['met', 'unknown']);
  });

  it('Examen de prévention en santé: from 16', async () => {
    expect(await check('examen_prevention_sante', { age: 16 })).toEqual(['met']);
    expect(await check('examen_prevention_sante', { age: 15 })).toEqual(['unmet']);
  });

  /** A Telegram user linked to a fresh youth file through a real one-time code. */
  async function linkedYouth(file: YouthFile): Promise<Conversation> {
    const youthId = await youthFile(file);
    const y = await db.connection.db.youth.findUniqueOrThrow({ where: { id: youthId } });
    const code = generateLinkCode();
    await db.store.linkCodes.createLinkCode({ youthId, issuedById: y.counsellorId, codeHash: hashLinkCode(code), expiresAt: new Date(db.now.getTime() + 3_600_000) });
    const convo = new Conversation(assistant, 'telegram', String(++telegramUser));
    expect(await convo.say(`code ${code}`)).toContain('Ton compte est relié');
    return convo;
  }

  it('a linked youth whose file settles every rule is told at once they seem to qualify, with no question', async () => {
    const convo = await linkedYouth({ age: 23, placements: [{ endsInDays: 10, hours: 600 }] });
    const text = await convo.sendAction('ms:fastt_credit_bancaire');
    expect(text).not.toMatch(/Vérifions rapidement/);
    expect(text).toMatch(/tu sembles remplir les conditions/);
  });

  it('a linked youth too old for Visale is told so without being asked', async () => {
    const convo = await linkedYouth({ age: 32 });
    const text = await convo.sendAction('ms:visale_garantie_action_logement');
    expect(text).toMatch(/ne sembles pas remplir une condition/);
    expect(text).toMatch(/30 ans ou moins/);
  });

  it('a linked 27-year-old is asked about the CEJ age rule (RQTH) instead of being refused', async () => {
    const convo = await linkedYouth({ age: 27 });
    const text = await convo.sendAction('ms:contrat_engagement_jeune');
    expect(text).toMatch(/Vérifions rapidement/);
    expect(text).toMatch(/RQTH/);
  });
});
