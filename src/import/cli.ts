import { readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { loadConfig } from '../config.js';
import { openStore } from '../store/bootstrap.js';
import type { Store } from '../store/index.js';
import { UnreadableFileError } from './read.js';
import { exitCodeOf, fileHash, formatReport, type ImportActor, type ImportReport } from './report.js';

/**
 * The shared frame of the `npm run import:*` commands: read the file, open the configured store, run the import,
 * print the report, and exit 0 (all imported), 2 (some rows rejected) or 1 (file unreadable, nothing written).
 */

/** A command-line mistake (bad option, unknown agency): printed as is, exit code 1, nothing written. */
export class CliUsageError extends Error {
  override name = 'CliUsageError';
}

/** The person running the command, as the audit trail records it (their system login, not a name from a file). */
export function cliActor(): ImportActor {
  let login = 'unknown';
  try {
    login = userInfo().username;
  } catch {
    // No passwd entry (some containers): the audit still records the file hash and counts.
  }
  return { id: `cli:${login}`.slice(0, 80) };
}

export interface ImportFile {
  bytes: Buffer;
  hash: string;
}

/** Runs one import command and returns its exit code. */
export async function runImportCommand(file: string | undefined, usage: string, run: (store: Store, input: ImportFile) => Promise<ImportReport>): Promise<number> {
  if (!file) {
    console.error(usage);
    return 1;
  }
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch {
    console.error(`fichier illisible : ${file} n'existe pas ou ne peut pas être lu`);
    return 1;
  }
  const opened = await openStore({ url: loadConfig().DATABASE_URL });
  try {
    const report = await run(opened.store, { bytes, hash: fileHash(bytes) });
    for (const line of formatReport(report)) console.log(line);
    return exitCodeOf(report);
  } catch (err) {
    if (err instanceof UnreadableFileError) {
      console.error(`fichier illisible : ${err.message} (rien n'a été importé)`);
      return 1;
    }
    if (err instanceof CliUsageError) {
      console.error(err.message);
      return 1;
    }
    throw err;
  } finally {
    await opened.connection.close();
  }
}
