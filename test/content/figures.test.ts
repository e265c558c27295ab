import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  figure,
  figureKeysIn,
  fillFigures,
  formatFigureSince,
  formatFigureValue,
  loadYearlyFigures,
  YearlyFigureError,
} from '../../src/content/figures.js';
import { ContentFileError, loadFaq } from '../../src/content/load.js';

const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
const raw = JSON.parse(readFileSync(new URL('../../prisma/content/yearly-figures.json', import.meta.url), 'utf8')) as {
  figures: { key: string; value: number; since: string; source: string; label: string; unit: string }[];
};

describe('figure(key)', () => {
  it('returns the value, start date, source, label and unit written in prisma/content/yearly-figures.json', () => {
    for (const f of raw.figures) {
      expect(figure(f.key)).toEqual({ value: f.value, since: f.since, source: f.source, label: f.label, unit: f.unit });
    }
    expect(figure('smic_horaire_brut').unit).toBe('EUR/h');
  });

  it('throws a YearlyFigureError naming an unknown key', () => {
    expect(() => figure('smic_horaire_brutt')).toThrow(YearlyFigureError);
    expect(() => figure('smic_horaire_brutt')).toThrow(/smic_horaire_brutt/);
  });
});

describe('loadYearlyFigures', () => {
  it('rejects a file with a repeated key', () => {
    expect(() => loadYearlyFigures(fixture('figures-duplicate-key.json'))).toThrow(/unique/);
  });

  it('rejects a figure without its source, naming the field', () => {
    expect(() => loadYearlyFigures(fixture('figures-missing-source.json'))).toThrow(/figures\.0\.source/);
  });

  it('rejects a missing file and a file that is not JSON', () => {
    expect(() => loadYearlyFigures(fixture('no-such-file.json'))).toThrow(YearlyFigureError);
    expect(() => loadYearlyFigures(fixture('invalid-json.json'))).toThrow(YearlyFigureError);
  });
});

describe('fillFigures', () => {
  const lookup = (key: string) => {
    const found = { a: { value: 12.02, since: '2026-01-01' }, b: { value: 1823.03, since: '2026-01-01' }, c: { value: 1200, since: '2021-06-18' } }[key];
    if (!found) throw new YearlyFigureError(`no figure ${key}`);
    return found;
  };

  it('writes values the French way and start dates in words, "1er" for the first of a month', () => {
    const text = fillFigures('{{a}} € de l’heure, {{b}} € par mois, {{c}} € au plus, depuis le {{a.since}} et le {{c.since}}', lookup);
    // Intl writes a narrow no-break space between thousands, so an amount never wraps in a chat bubble.
    expect(text.replace(/\u202f/g, ' ')).toBe('12,02 € de l’heure, 1 823,03 € par mois, 1 200 € au plus, depuis le 1er janvier 2026 et le 18 juin 2021');
  });

  it('leaves a text without placeholders untouched and lists the keys a text uses', () => {
    expect(fillFigures('Pas de montant ici.', lookup)).toBe('Pas de montant ici.');
    expect(figureKeysIn('{{a}} puis {{ b }} puis {{a.since}}')).toEqual(['a', 'b', 'a']);
  });

  it('throws on an unknown figure instead of showing a placeholder to a young person', () => {
    expect(() => fillFigures('{{zz}} €', lookup)).toThrow(YearlyFigureError);
  });

  it('formats whole and decimal values', () => {
    expect(formatFigureValue(337)).toBe('337');
    expect(formatFigureValue(224.68)).toBe('224,68');
    expect(formatFigureSince('2025-04-01')).toBe('1er avril 2025');
  });
});

describe('the FAQ loader with figures', () => {
  it('fills placeholders in answers from the figures it is given', () => {
    const entries = JSON.parse(readFileSync(fixture('faq-valid-minimal.json'), 'utf8')) as { answer: string }[];
    entries[1]!.answer = 'Le SMIC est de {{smic_horaire_brut}} € brut de l’heure depuis le {{smic_horaire_brut.since}}.';
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'faq-figures-')), 'faq.json');
    writeFileSync(file, JSON.stringify(entries));
    const loaded = loadFaq(file, () => ({ value: 99.5, since: '2030-01-01' }));
    expect(loaded[1]!.answer).toBe('Le SMIC est de 99,50 € brut de l’heure depuis le 1er janvier 2030.');
  });

  it('fails the load, naming the entry and field, when an answer names a figure the file does not hold', () => {
    const entries = JSON.parse(readFileSync(fixture('faq-valid-minimal.json'), 'utf8')) as { key: string; answer: string }[];
    entries[2]!.answer = 'Le SMIC est de {{smic_horaire_brutt}} € brut de l’heure.';
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'faq-figures-')), 'faq.json');
    writeFileSync(file, JSON.stringify(entries));
    let error: unknown;
    try {
      loadFaq(file);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ContentFileError);
    expect((error as ContentFileError).problems).toEqual([
      expect.stringMatching(new RegExp(`^entry 2 \\(key "${entries[2]!.key}"\\), field "answer": .*smic_horaire_brutt`)),
    ]);
  });
});
