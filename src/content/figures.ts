import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

/**
 * Amounts and thresholds revalued every year (SMIC, CEJ allowance, CSS ceilings, Loca-Pass cap…), kept in one
 * data file, `prisma/content/yearly-figures.json`, each with its value, start date and source. Content answers
 * name them by key (`{{smic_horaire_brut}}`), so a new year's value is one line to change.
 */

/** Default location of the yearly figures, resolved from this module so it works from any working directory. */
const DEFAULT_YEARLY_FIGURES_PATH = new URL('../../prisma/content/yearly-figures.json', import.meta.url);

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD');

const yearlyFigure = z.object({
  key: z.string().regex(/^[a-z0-9_]{1,60}$/, 'a key is 1-60 characters: a-z, 0-9, _'),
  label: z.string().min(3).max(160),
  value: z.number().nonnegative(),
  /** e.g. "EUR", "EUR/h", "EUR/mois", "h". */
  unit: z.string().min(1).max(20),
  /** Date the value applies from (when no start is published: the date of the oldest checked source stating it). */
  since: isoDate,
  /** The specific page that states the value (never a homepage or a simulator). */
  source: z.url(),
  /** Date the value was last checked against its source. */
  checked: isoDate,
});
export type YearlyFigure = z.infer<typeof yearlyFigure>;

const yearlyFiguresFile = z
  .object({ figures: z.array(yearlyFigure).min(1) })
  .refine((f) => new Set(f.figures.map((x) => x.key)).size === f.figures.length, { message: 'figure keys must be unique' });

/** What an answer needs to know about one figure. */
export interface FigureView {
  value: number;
  since: string;
  source: string;
  label: string;
  unit: string;
}

/** The yearly figures file is missing, is not JSON, breaks its schema, or a key is asked that it does not hold. */
export class YearlyFigureError extends Error {
  override readonly name = 'YearlyFigureError';
}

/**
 * Reads and validates a yearly figures file.
 *
 * @param path - file to read, as a path or `file:` URL; defaults to `prisma/content/yearly-figures.json`.
 * @returns the figures by key.
 * @throws {YearlyFigureError} when the file cannot be read, is not JSON or breaks the schema.
 */
export function loadYearlyFigures(path: string | URL = DEFAULT_YEARLY_FIGURES_PATH): Map<string, YearlyFigure> {
  const file = path instanceof URL ? fileURLToPath(path) : path;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new YearlyFigureError(`Cannot read yearly figures ${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
  const parsed = yearlyFiguresFile.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  - ${i.path.join('.') || 'whole file'}: ${i.message}`);
    throw new YearlyFigureError(`Invalid yearly figures ${file}:\n${problems.join('\n')}`);
  }
  return new Map(parsed.data.figures.map((f) => [f.key, f]));
}

// Read once: the file changes with a deployment, not while the process runs.
let defaultFigures: Map<string, YearlyFigure> | undefined;

/**
 * One yearly figure of `prisma/content/yearly-figures.json` (read and validated once).
 *
 * @param key - e.g. `smic_horaire_brut`.
 * @throws {YearlyFigureError} when the key is not in the file.
 *
 * @example
 * const smic = figure('smic_horaire_brut'); // { value: 12.02, unit: 'EUR/h', since: '2026-01-01', … }
 */
export function figure(key: string): { value: number; since: string; source: string; label: string; unit: string } {
  defaultFigures ??= loadYearlyFigures();
  const f = defaultFigures.get(key);
  if (!f) throw new YearlyFigureError(`No yearly figure "${key}" in prisma/content/yearly-figures.json`);
  return { value: f.value, since: f.since, source: f.source, label: f.label, unit: f.unit };
}

/** `{{key}}` is the value, `{{key.since}}` its start date, both in French. */
const PLACEHOLDER = /\{\{\s*([a-z0-9_]+)(\.since)?\s*\}\}/g;

const decimals = new Intl.NumberFormat('fr-FR', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const whole = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 0 });
const day = new Intl.DateTimeFormat('fr-FR', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });

/**
 * A figure's value as a French reader expects it: "12,02", "1 823,03", "1 200" (no unit: the sentence says it).
 * Spaces are narrow no-break spaces, as `Intl` writes them, so "1 200 €" never wraps.
 */
export function formatFigureValue(value: number): string {
  return Number.isInteger(value) ? whole.format(value) : decimals.format(value);
}

/** A figure's start date in French ("1er janvier 2026", "18 juin 2021"): French writes the first of a month "1er". */
export function formatFigureSince(since: string): string {
  return day.format(new Date(`${since}T00:00:00Z`)).replace(/^1 /, '1er ');
}

/** The keys a text refers to, in order (repeats included). */
export function figureKeysIn(text: string): string[] {
  return [...text.matchAll(PLACEHOLDER)].map((m) => m[1]!);
}

/**
 * Replaces every `{{key}}` / `{{key.since}}` of a content text with the figure from `figures`.
 *
 * @param lookup - where figures come from; defaults to {@link figure} (the repository's file).
 * @throws {YearlyFigureError} when a placeholder names a figure that is not in the file, so a typo fails the start.
 */
export function fillFigures(text: string, lookup: (key: string) => Pick<FigureView, 'value' | 'since'> = figure): string {
  return text.replace(PLACEHOLDER, (_all, key: string, since: string | undefined) => {
    const f = lookup(key);
    return since ? formatFigureSince(f.since) : formatFigureValue(f.value);
  });
}
