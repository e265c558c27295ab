import { parse } from 'csv-parse/sync';
import iconv from 'iconv-lite';

/**
 * Turns the bytes of an import file into rows of raw values, whatever the file's form:
 * CSV with `;` or `,` (UTF-8 with or without BOM, UTF-16 with BOM, or Windows-1252, as Excel writes them in France),
 * or JSON (an array of objects, or `{ "missions": [...] }`). Values stay raw; each import validates them with zod.
 */

/** One data row and where a person finds it: "ligne 4" in a spreadsheet (header = line 1), "élément 3" in JSON. */
export interface RawRow {
  /** Spreadsheet line (CSV, header = 1) or 1-based position in the JSON array. */
  line: number;
  /** Header as written -> raw value (strings from CSV, any JSON value from JSON). */
  values: Record<string, unknown>;
}

export interface RawTable {
  format: 'csv' | 'json';
  /** The file's column names as written, in order (JSON: every key seen, in first-seen order). */
  headers: string[];
  rows: RawRow[];
  /** Rows that are not objects (JSON only): reported as rejected by the import. */
  invalidRows: number[];
}

/** The file cannot be read at all (not CSV or JSON, broken quoting, no header): nothing is imported. */
export class UnreadableFileError extends Error {
  override name = 'UnreadableFileError';
}

/** Decodes the bytes: BOMs first, then strict UTF-8, else Windows-1252 (the encoding of French Excel "CSV"). */
export function decodeText(bytes: Uint8Array): string {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return b.subarray(3).toString('utf8');
  if (b[0] === 0xff && b[1] === 0xfe) return iconv.decode(b.subarray(2), 'utf16le');
  if (b[0] === 0xfe && b[1] === 0xff) return iconv.decode(b.subarray(2), 'utf16be');
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(b);
  } catch {
    return iconv.decode(b, 'win1252');
  }
}

/** Reads an import file's bytes into a raw table. @throws UnreadableFileError */
export function readTable(bytes: Uint8Array, key = 'missions'): RawTable {
  const text = decodeText(bytes);
  const first = text.trimStart()[0];
  if (first === '[' || first === '{') {
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch {
      throw new UnreadableFileError('le fichier JSON est mal formé');
    }
    return tableFromJson(data, key);
  }
  return readCsv(text);
}

/**
 * A JSON value as a table: an array of objects, or an object holding that array under `key`.
 * @throws UnreadableFileError when there is no such array.
 */
export function tableFromJson(data: unknown, key = 'missions'): RawTable {
  const list = Array.isArray(data) ? data : data && typeof data === 'object' ? (data as Record<string, unknown>)[key] : undefined;
  if (!Array.isArray(list)) throw new UnreadableFileError(`le JSON doit être un tableau d'objets, ou un objet avec un tableau "${key}"`);
  const headers = new Set<string>();
  const rows: RawRow[] = [];
  const invalidRows: number[] = [];
  list.forEach((item, i) => {
    if (!item || typeof item !== 'object' || Array.isArray(item)) {
      invalidRows.push(i + 1);
      return;
    }
    for (const k of Object.keys(item)) headers.add(k);
    rows.push({ line: i + 1, values: item as Record<string, unknown> });
  });
  return { format: 'json', headers: [...headers], rows, invalidRows };
}

// The header line decides the separator: French Excel writes ";" (the decimal comma forbids ","), others ",".
function detectDelimiter(text: string): ';' | ',' {
  const header = text.slice(0, text.search(/\r?\n|$/));
  const count = (c: string) => header.split(c).length - 1;
  return count(';') >= count(',') && count(';') > 0 ? ';' : ',';
}

function readCsv(text: string): RawTable {
  if (!text.trim()) throw new UnreadableFileError('le fichier est vide');
  let records: string[][];
  try {
    // Empty lines are kept so that line numbers are the spreadsheet's; they are skipped below.
    records = parse(text, { delimiter: detectDelimiter(text), relax_column_count: true, skip_empty_lines: false }) as string[][];
  } catch (err) {
    const line = (err as { lines?: number }).lines;
    throw new UnreadableFileError(`le CSV est mal formé${line ? ` (vers la ligne ${line})` : ''} : guillemets non refermés ?`);
  }
  const [header, ...data] = records;
  const headers = (header ?? []).map((h) => h.trim());
  if (headers.filter(Boolean).length === 0) throw new UnreadableFileError("la première ligne doit donner le nom des colonnes");
  const rows: RawRow[] = [];
  data.forEach((record, i) => {
    if (record.every((v) => v.trim() === '')) return;
    const values: Record<string, unknown> = {};
    headers.forEach((h, j) => {
      if (h && values[h] === undefined) values[h] = record[j] ?? '';
    });
    rows.push({ line: i + 2, values });
  });
  return { format: 'csv', headers: headers.filter(Boolean), rows, invalidRows: [] };
}
