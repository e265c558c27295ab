import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Repository root, from this file's location (src/store/). */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The embedded default: a SQLite file under data/, so a fresh clone runs with no configuration. */
export function defaultDatabaseUrl(): string {
  return `file:${path.join(repoRoot, 'data', 'mission-jeunes.db')}`;
}

export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//.test(url);
}

/** Path of the SQLite file named by a `file:` URL; relative paths are taken from the repository root. */
export function sqliteFileFromUrl(url: string): string {
  const raw = url.replace(/^file:/, '').replace(/\?.*$/, '');
  if (raw === ':memory:') return raw;
  return path.isAbsolute(raw) ? raw : path.join(repoRoot, raw);
}
