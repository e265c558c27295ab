import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { figure, figureKeysIn, formatFigureValue } from '../../src/content/figures.js';
import { loadFaq, loadSupportCatalogue } from '../../src/content/load.js';
import { isPrimarySource } from '../../src/content/verification.js';

/**
 * Rules every content entry is held to (issue 18): a specific source, a check date, a level that the source
 * supports, and yearly amounts read from prisma/content/yearly-figures.json, never typed into an answer.
 */

type RawEntry = { key: string; sourceUrl: string; lastVerifiedAt: string; verification: string } & Record<string, unknown>;
const readRaw = (name: string): RawEntry[] => JSON.parse(readFileSync(new URL(`../../prisma/content/${name}`, import.meta.url), 'utf8')) as RawEntry[];
const rawFaq = readRaw('faq.json');
const rawMeasures = readRaw('support-measures.json');
const rawFigures = (
  JSON.parse(readFileSync(new URL('../../prisma/content/yearly-figures.json', import.meta.url), 'utf8')) as {
    figures: { key: string; value: number; since: string; source: string; checked: string }[];
  }
).figures;

/** The texts a young person reads, per file, before figures are filled in. */
const shownFields = { faq: ['question', 'answer'], measures: ['title', 'summary', 'howToRequest', 'contact'] } as const;
const allEntries = [
  ...rawFaq.map((e) => ({ file: 'faq', entry: e, texts: shownFields.faq.map((f) => String(e[f])) })),
  ...rawMeasures.map((e) => ({
    file: 'measures',
    entry: e,
    texts: [...shownFields.measures.map((f) => String(e[f])), ...(e.eligibility as { question: string }[]).map((r) => r.question)],
  })),
];

/** Pages that compute an answer rather than state it: they cannot be the source of a claim. */
const SIMULATOR = /simul|mes-aides|estimateur/i;

function isSpecificPage(url: string): boolean {
  const u = new URL(url);
  return u.pathname.replace(/\/+$/, '').length > 0 || u.search.length > 0;
}

const spaces = (s: string): string => s.replace(/[\s\u00a0\u202f]+/g, ' ');

/** Amounts equal to a yearly figure by coincidence: each exception says why the number is not that figure. */
const COINCIDENCES: Record<string, string> = {
  permis_un_euro_par_jour: '1 200 € is the largest permis loan (a fixed amount), not the Loca-Pass cap',
};

describe('every content entry', () => {
  it.each(allEntries.map((x) => [`${x.file}:${x.entry.key}`, x.entry] as const))('%s cites a specific page (never a homepage or a simulator) with a check date', (_name, e) => {
    expect(e.sourceUrl).toMatch(/^https?:\/\//);
    expect(isSpecificPage(e.sourceUrl), `${e.key}: ${e.sourceUrl} is a bare domain`).toBe(true);
    expect(e.sourceUrl).not.toMatch(SIMULATOR);
    expect(e.lastVerifiedAt).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(Number.isNaN(Date.parse(e.lastVerifiedAt))).toBe(false);
    expect(Date.parse(e.lastVerifiedAt)).toBeLessThanOrEqual(Date.now());
  });

  it('is "verified" only when its source is a primary one (an official site or the text of the law)', () => {
    const wrong = allEntries.filter((x) => x.entry.verification === 'verified' && !isPrimarySource(x.entry.sourceUrl)).map((x) => `${x.entry.key} (${x.entry.sourceUrl})`);
    expect(wrong).toEqual([]);
  });

  it('says it needs checking in its own text when nothing current confirms it ("unverified")', () => {
    for (const x of allEntries.filter((y) => y.entry.verification === 'unverified')) expect(x.texts.join(' '), x.entry.key).toMatch(/vérifier/);
  });

  it('uses only figures that exist in the yearly figures file', () => {
    const known = new Set(rawFigures.map((f) => f.key));
    for (const x of allEntries) for (const key of figureKeysIn(x.texts.join(' '))) expect(known.has(key), `${x.entry.key} uses {{${key}}}`).toBe(true);
  });

  it('never types a yearly figure in its text: the amount comes from the figures file', () => {
    const typed: string[] = [];
    for (const f of rawFigures) {
      const written = spaces(formatFigureValue(f.value));
      const pattern = new RegExp(`(^|[^\\d,])${written.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\d,])`);
      for (const x of allEntries) {
        if (COINCIDENCES[x.entry.key]) continue;
        if (x.texts.some((t) => pattern.test(spaces(t)))) typed.push(`${x.entry.key} writes ${written} (${f.key})`);
      }
    }
    expect(typed).toEqual([]);
  });

  it('shows, once loaded, the very values of the figures file where its placeholders were', () => {
    const faq = new Map(loadFaq().map((e) => [e.key, e]));
    const measures = new Map(loadSupportCatalogue().map((m) => [m.key, m]));
    const smic = faq.get('smic_fiche_de_paie')!.answer;
    expect(spaces(smic)).toContain(`${spaces(formatFigureValue(figure('smic_horaire_brut').value))} € brut de l'heure`);
    expect(spaces(smic)).toContain(spaces(formatFigureValue(figure('smic_mensuel_brut').value)));
    expect(spaces(measures.get('action_logement_avance_loca_pass')!.summary)).toContain(`${spaces(formatFigureValue(figure('loca_pass_montant_max').value))} €`);
    for (const e of [...faq.values()]) expect(e.answer, e.key).not.toMatch(/\{\{|\}\}/);
    for (const m of [...measures.values()]) expect(m.summary + m.howToRequest, m.key).not.toMatch(/\{\{|\}\}/);
  });
});

describe('the yearly figures file', () => {
  it('gives each figure a specific source and dates that make sense', () => {
    for (const f of rawFigures) {
      expect(isSpecificPage(f.source), f.key).toBe(true);
      expect(f.source).not.toMatch(SIMULATOR);
      expect(Date.parse(f.since), f.key).toBeLessThanOrEqual(Date.parse(f.checked));
      expect(Date.parse(f.checked), f.key).toBeLessThanOrEqual(Date.now());
    }
  });

  it('holds the amounts a counsellor expects to change every year', () => {
    const keys = rawFigures.map((f) => f.key);
    for (const k of ['smic_horaire_brut', 'smic_mensuel_brut', 'cej_allocation_majeur_non_imposable', 'cej_allocation_mineur', 'css_plafond_gratuite_personne_seule', 'loca_pass_montant_max']) {
      expect(keys).toContain(k);
    }
  });
});

describe('the corrections of issue 18 stay corrected', () => {
  const faq = new Map(loadFaq().map((e) => [e.key, e]));
  const measures = new Map(loadSupportCatalogue().map((m) => [m.key, m]));

  it('no answer says a student holiday job or a refused CDI removes the end-of-mission allowance', () => {
    for (const key of ['indemnite_fin_mission', 'job_etudiant_interim']) {
      const a = faq.get(key)!.answer;
      expect(a, key).not.toMatch(/peut ne pas être due|refus d'un CDI proposé/);
      expect(a, key).toMatch(/ne concerne que les CDD|ne vaut que pour les CDD/);
    }
  });

  it('the CPF pays a car licence only for jobseekers or with co-financing', () => {
    const m = measures.get('cpf_permis_de_conduire')!;
    expect(m.eligibility.map((r) => (r.type === 'declared' ? r.id : r.type))).not.toContain('a_deja_travaille');
    expect(m.summary).toMatch(/demandeur·euse d'emploi/);
    expect(faq.get('permis_de_conduire')!.answer).not.toMatch(/si tu as déjà travaillé/);
  });

  it('Mobili-Jeune uses the 120 % SMIC ceiling and the new-home condition', () => {
    const m = measures.get('action_logement_mobili_jeune')!;
    const ids = m.eligibility.map((r) => (r.type === 'declared' ? r.id : r.type));
    expect(ids).not.toContain('salaire_au_plus_smic');
    expect(ids).toEqual(expect.arrayContaining(['salaire_au_plus_120_smic', 'nouveau_logement_eloigne_ou_double_loyer']));
    expect(m.summary).toMatch(/120 % du SMIC/);
  });

  it('the branch health cover starts after 414 h in 12 months, or from the first hour for CDI-I and 3-month missions', () => {
    for (const text of [faq.get('complementaire_sante_interim')!.answer, measures.get('fastt_complementaire_sante')!.summary]) {
      expect(text).toMatch(/414 heures/);
      expect(text).toMatch(/première heure/);
      expect(text).toMatch(/3 mois/);
    }
  });

  it('the sick-pay top-up is the branch scheme after 414 h, not the agency by seniority', () => {
    const a = faq.get('arret_maladie_mission')!.answer;
    expect(a).toMatch(/Intérimaires Prévoyance/);
    expect(a).toMatch(/414 heures/);
    expect(a).not.toMatch(/selon ton ancienneté/);
  });

  it('CEJ and PACEA say France Travail registration is required, and the CEJ age rule lets a 26-29 year old with RQTH through', () => {
    for (const text of [faq.get('cej_cest_quoi')!.answer, faq.get('pacea_cest_quoi')!.answer, measures.get('contrat_engagement_jeune')!.summary, measures.get('pacea_allocation')!.summary]) {
      expect(text).toMatch(/France Travail/);
    }
    const age = measures.get('contrat_engagement_jeune')!.eligibility.find((r) => r.type === 'max_age');
    expect(age).toMatchObject({ years: 25, extendedTo: { years: 29 } });
  });

  it('the FASTT rental guarantee needs 414 h in 12 months and being on a mission', () => {
    const rules = measures.get('fastt_garantie_locative')!.eligibility;
    expect(rules).toEqual([
      expect.objectContaining({ type: 'min_interim_hours', hours: 414, withinMonths: 12 }),
      expect.objectContaining({ type: 'on_mission_within_days', days: 0 }),
    ]);
  });

  it('has the entries a counsellor expects', () => {
    for (const key of ['cej_allocation', 'chomage_apres_interim', 'chomage_refus_cdi', 'chomage_cumul_missions', 'delai_de_carence', 'clause_de_souplesse', 'travaux_interdits_interimaires', 'discrimination_travail', 'harcelement_travail', 'mineur_horaires_travaux_interdits', 'smic_fiche_de_paie']) {
      expect(faq.has(key), key).toBe(true);
    }
  });
});
