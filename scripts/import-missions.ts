/**
 * `npm run import:missions -- FILE --agency <id or exact name> [--close-missing] [--dry-run]`: an agency's mission
 * feed (CSV `;` or `,`, UTF-8 or Windows-1252, or JSON). Prints the report; exit 0, 2 (rows rejected) or 1 (unreadable).
 */
import { parseArgs } from 'node:util';
import { CliUsageError, cliActor, runImportCommand } from '../src/import/cli.js';
import { importMissions } from '../src/import/missions.js';
import { readTable } from '../src/import/read.js';

const USAGE = 'usage: npm run import:missions -- FILE --agency <id ou nom exact> [--close-missing] [--dry-run]';
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { agency: { type: 'string' }, 'close-missing': { type: 'boolean', default: false }, 'dry-run': { type: 'boolean', default: false } },
});

process.exitCode = await runImportCommand(values.agency ? positionals[0] : undefined, USAGE, async (store, file) => {
  const agencies = await store.imports.findAgenciesByIdOrName(values.agency!);
  if (agencies.length !== 1) throw new CliUsageError(agencies.length ? `plusieurs agences portent ce nom : indiquez l'identifiant (${agencies.map((a) => a.id).join(', ')})` : 'agence inconnue');
  return importMissions(store, readTable(file.bytes, 'missions'), {
    agencyId: agencies[0]!.id,
    closeMissing: values['close-missing'],
    dryRun: values['dry-run'],
    now: new Date(),
    actor: cliActor(),
    fileHash: file.hash,
  });
});
