import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { fold } from '../shared/text.js';
import type { RawRow, RawTable } from './read.js';

/**
 * Column names of each import, French first with their aliases (data/columns.json).
 * Names compare case-, accent- and punctuation-insensitively: "Date début", "date_debut" and "DATE-DEBUT" are one column.
 */
const columnsFile = z.object({
  missions: z.record(z.string(), z.array(z.string()).min(1)),
  youth: z.record(z.string(), z.array(z.string()).min(1)),
  counsellors: z.record(z.string(), z.array(z.string()).min(1)),
});
export type ImportKind = keyof z.infer<typeof columnsFile>;

const aliases = columnsFile.parse(JSON.parse(readFileSync(new URL('./data/columns.json', import.meta.url), 'utf8')));

/** "Date début" -> "datedebut": the comparison key of a column name. */
export function columnKey(name: string): string {
  return fold(name).replace(/ /g, '');
}

export interface ColumnMatch {
  /** Every canonical column of the import, in data-file order. */
  fields: string[];
  /** Canonical column (French name) -> the file's headers naming it (JSON objects may use different aliases). */
  byField: Map<string, string[]>;
  /** Headers that match no column, listed once in the report. */
  ignored: string[];
}

/** Matches the file's headers to the canonical columns of `kind`. */
export function matchColumns(kind: ImportKind, headers: readonly string[]): ColumnMatch {
  const lookup = new Map<string, string>();
  for (const [field, names] of Object.entries(aliases[kind])) for (const n of names) lookup.set(columnKey(n), field);
  const byField = new Map<string, string[]>();
  const ignored: string[] = [];
  for (const h of headers) {
    const field = lookup.get(columnKey(h));
    if (field) byField.set(field, [...(byField.get(field) ?? []), h]);
    else ignored.push(h);
  }
  return { fields: Object.keys(aliases[kind]), byField, ignored };
}

function blank(v: unknown): boolean {
  return v === undefined || v === null || (typeof v === 'string' && v.trim() === '');
}

/**
 * A row's values keyed by canonical column, every column present; a blank or absent value is `null`,
 * so "no such column" and "empty cell" read alike. When two headers name one column, the first non-blank wins.
 */
export function canonicalValues(row: RawRow, match: ColumnMatch): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of match.fields) {
    const header = match.byField.get(field)?.find((h) => !blank(row.values[h]));
    out[field] = header === undefined ? null : row.values[header];
  }
  return out;
}

/** The canonical columns of `kind` missing from the file among `required`. */
export function missingColumns(match: ColumnMatch, required: readonly string[]): string[] {
  return required.filter((c) => !match.byField.has(c));
}

export type { RawTable };
