import { createHash } from 'node:crypto';

/** A row the import refused, and why, in plain French. */
export interface RowRejection {
  /** Spreadsheet line (header = 1) for CSV, 1-based position for a JSON array. */
  line: number;
  /** The canonical (French) column name, or "ligne" for the row as a whole. */
  field: string;
  reason: string;
}

/**
 * The rule for a natural key given twice in one file: the first line wins, a later one is refused naming it.
 * Returns the rejection of `line` when `key` was seen before, and records it otherwise (absent keys are ignored).
 */
export function repeatedKey(seen: Map<string, number>, key: string | undefined, line: number, field: string): RowRejection | undefined {
  if (!key) return undefined;
  const first = seen.get(key);
  if (first !== undefined) return { line, field, reason: `en double (déjà ligne ${first})` };
  seen.set(key, line);
  return undefined;
}

/** What an import did (or, in a dry run, would do). Ids and counts only: never a name. */
export interface ImportReport {
  format: 'csv' | 'json';
  dryRun: boolean;
  created: number;
  updated: number;
  unchanged: number;
  /** Missions closed by --close-missing; counsellors deactivated; always 0 for youth (an import never removes). */
  closed: number;
  rejections: RowRejection[];
  ignoredColumns: string[];
  /** Extra lines after the rejections: youth absent from the file, youth to reassign. Ids only. */
  notes: string[];
}

/** The report's lines: `created N, updated N, unchanged N, closed N, rejected N`, then one line per rejected row. */
export function formatReport(report: ImportReport): string[] {
  const where = report.format === 'json' ? 'élément' : 'ligne';
  const lines = [
    `created ${report.created}, updated ${report.updated}, unchanged ${report.unchanged}, closed ${report.closed}, rejected ${report.rejections.length}`,
    ...[...report.rejections].sort((a, b) => a.line - b.line).map((r) => `${where} ${r.line} : ${r.field} : ${r.reason}`),
  ];
  if (report.ignoredColumns.length) lines.push(`colonnes ignorées : ${report.ignoredColumns.join(', ')}`);
  lines.push(...report.notes);
  if (report.dryRun) lines.push('simulation (--dry-run) : rien n’a été écrit');
  return lines;
}

/** 0 when every row was imported, 2 when some were rejected (the good ones kept). 1 is for unreadable files. */
export function exitCodeOf(report: ImportReport): 0 | 2 {
  return report.rejections.length > 0 ? 2 : 0;
}

/** sha256 of the file, recorded in the audit event so an import can be traced back to the exact file. */
export function fileHash(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Who ran an import, as the audit trail records it. */
export interface ImportActor {
  /** "cli:<login>" or "agency-token:<id>". */
  id: string;
}
