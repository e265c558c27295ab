import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { z } from 'zod';
import {
  faqFile,
  supportCatalogueFile,
  type FaqEntryContent,
  type SupportMeasureContent,
} from './schema.js';
import { figure, fillFigures, YearlyFigureError, type FigureView } from './figures.js';

/** Where the loaders take yearly figures from; tests pass their own. */
type FigureLookup = (key: string) => Pick<FigureView, 'value' | 'since'>;

/** Default location of the support catalogue, resolved from this module so it works from any working directory. */
export const DEFAULT_SUPPORT_CATALOGUE_PATH = new URL('../../prisma/content/support-measures.json', import.meta.url);

/** Default location of the FAQ file, resolved from this module so it works from any working directory. */
export const DEFAULT_FAQ_PATH = new URL('../../prisma/content/faq.json', import.meta.url);

/** Beyond this many problems the message stops listing them: a broken file usually repeats one mistake. */
const MAX_LISTED_PROBLEMS = 10;

/**
 * A content file could not be read, is not JSON, or does not match its schema.
 *
 * The message is meant for the person editing the file: it names the file and, for each problem,
 * the entry (index and key when it has one) and the field, e.g.
 * `entry 4 (key "ifm"), field "variants": Too small: expected array to have >=3 items`.
 */
export class ContentFileError extends Error {
  override readonly name = 'ContentFileError';

  constructor(
    /** Absolute path of the offending file. */
    readonly file: string,
    /** One line per problem, without the file name. */
    readonly problems: readonly string[],
  ) {
    const listed = problems.slice(0, MAX_LISTED_PROBLEMS).map((p) => `  - ${p}`);
    if (problems.length > MAX_LISTED_PROBLEMS) listed.push(`  - … and ${problems.length - MAX_LISTED_PROBLEMS} more`);
    super(`Invalid content file ${file}:\n${listed.join('\n')}`);
  }
}

/**
 * Reads and validates the support catalogue (`prisma/content/support-measures.json`).
 *
 * Use it when seeding the store; the assistant itself answers from store rows, not from this file.
 * `{{key}}` placeholders in summaries and how-to texts are filled from the yearly figures file.
 * Synchronous on purpose: the file is small and read once at start-up, before anything else can run.
 *
 * @param path - file to read, as a path or `file:` URL; defaults to the repository's catalogue.
 * @param figures - where `{{key}}` placeholders take their values; defaults to `prisma/content/yearly-figures.json`.
 * @returns the measures, in file order.
 * @throws {ContentFileError} when the file is missing, is not JSON, breaks the schema or repeats a key.
 *
 * @example
 * const measures = loadSupportCatalogue();
 * const housing = measures.filter((m) => m.topic === 'housing');
 */
export function loadSupportCatalogue(
  path: string | URL = DEFAULT_SUPPORT_CATALOGUE_PATH,
  figures: FigureLookup = figure,
): SupportMeasureContent[] {
  return withFigures(path, loadContentFile(path, supportCatalogueFile), ['summary', 'howToRequest'], figures);
}

/**
 * Reads and validates the FAQ (`prisma/content/faq.json`).
 *
 * Use it when seeding the store; the assistant itself answers from store rows, not from this file.
 * Synchronous for the same reason as {@link loadSupportCatalogue}.
 *
 * @param path - file to read, as a path or `file:` URL; defaults to the repository's FAQ.
 * @param figures - where `{{key}}` placeholders in answers take their values; defaults to the yearly figures file.
 * @returns the entries, in file order.
 * @throws {ContentFileError} when the file is missing, is not JSON, breaks the schema or repeats a key.
 *
 * @example
 * const faq = loadFaq();
 * const ifm = faq.find((e) => e.key === 'indemnite_fin_mission');
 */
export function loadFaq(path: string | URL = DEFAULT_FAQ_PATH, figures: FigureLookup = figure): FaqEntryContent[] {
  return withFigures(path, loadContentFile(path, faqFile), ['answer'], figures);
}

/**
 * Fills the `{{figure}}` placeholders of the given text fields from the yearly figures file, so an amount that
 * changes every year is written once (see `figures.ts`). An unknown figure fails the load, naming the entry.
 */
function withFigures<T extends { key: string }>(path: string | URL, entries: T[], fields: (keyof T & string)[], figures: FigureLookup): T[] {
  const problems: string[] = [];
  const filled = entries.map((entry, index) => {
    const copy = { ...entry };
    for (const field of fields) {
      const value = copy[field];
      if (typeof value !== 'string') continue;
      try {
        copy[field] = fillFigures(value, figures) as T[typeof field];
      } catch (err) {
        if (!(err instanceof YearlyFigureError)) throw err;
        problems.push(`entry ${index} (key "${entry.key}"), field "${field}": ${err.message}`);
      }
    }
    return copy;
  });
  if (problems.length > 0) throw new ContentFileError(path instanceof URL ? fileURLToPath(path) : path, problems);
  return filled;
}

function loadContentFile<T extends { key: string }>(path: string | URL, schema: z.ZodType<T[]>): T[] {
  const file = path instanceof URL ? fileURLToPath(path) : path;

  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ContentFileError(file, [`cannot be read (${describe(err)})`]);
  }

  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new ContentFileError(file, [`is not valid JSON (${describe(err)})`]);
  }

  const parsed = schema.safeParse(raw);
  // Duplicates are reported alongside schema problems so an editor fixes everything in one pass.
  const problems = [
    ...(parsed.success ? [] : parsed.error.issues.map((issue) => formatIssue(raw, issue))),
    ...findDuplicateKeys(raw),
  ];
  if (problems.length > 0 || !parsed.success) throw new ContentFileError(file, problems);
  return parsed.data;
}

/** Turns a zod issue into "entry N (key "x"), field "a.b[0]": message", naming the entry by its key when it has one. */
function formatIssue(raw: unknown, issue: z.core.$ZodIssue): string {
  const [head, ...rest] = issue.path;
  if (typeof head !== 'number') return `whole file: ${issue.message}`;
  const where = [describeEntry(raw, head)];
  if (rest.length > 0) where.push(`field "${formatPath(rest)}"`);
  return `${where.join(', ')}: ${issue.message}`;
}

function describeEntry(raw: unknown, index: number): string {
  const entry = Array.isArray(raw) ? (raw[index] as unknown) : undefined;
  const key = isRecord(entry) && typeof entry.key === 'string' ? entry.key : undefined;
  return key === undefined ? `entry ${index}` : `entry ${index} (key "${key}")`;
}

/** Renders a zod path the way one would write it in code: `eligibility[0].question`. */
function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((part, i) => (typeof part === 'number' ? `[${part}]` : `${i === 0 ? '' : '.'}${String(part)}`))
    .join('');
}

function findDuplicateKeys(raw: unknown): string[] {
  if (!Array.isArray(raw)) return [];
  const seen = new Map<string, number[]>();
  raw.forEach((entry: unknown, index) => {
    if (isRecord(entry) && typeof entry.key === 'string') {
      seen.set(entry.key, [...(seen.get(entry.key) ?? []), index]);
    }
  });
  return [...seen]
    .filter(([, indexes]) => indexes.length > 1)
    .map(([key, indexes]) => `duplicate key "${key}" in entries ${indexes.join(', ')}`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
