/**
 * `npm run import:youth -- FILE --mission-locale <id or exact name> [--dry-run]`: the caseload file a Mission locale
 * exports (i-milo CSV). Prints the report (line numbers and ids, never a name); exit 0, 2 (rows rejected) or 1.
 */
import { parseArgs } from 'node:util';
import { CliUsageError, cliActor, runImportCommand } from '../src/import/cli.js';
import { importYouth } from '../src/import/youth.js';
import { readTable } from '../src/import/read.js';

const USAGE = 'usage: npm run import:youth -- FILE --mission-locale <id ou nom exact> [--dry-run]';
const { values, positionals } = parseArgs({ allowPositionals: true, options: { 'mission-locale': { type: 'string' }, 'dry-run': { type: 'boolean', default: false } } });

process.exitCode = await runImportCommand(values['mission-locale'] ? positionals[0] : undefined, USAGE, async (store, file) => {
  const locales = await store.peopleImports.findMissionLocalesByIdOrName(values['mission-locale']!);
  if (locales.length !== 1) throw new CliUsageError(locales.length ? `plusieurs Missions locales portent ce nom : indiquez l'identifiant (${locales.map((l) => l.id).join(', ')})` : 'Mission locale inconnue');
  return importYouth(store, readTable(file.bytes, 'youth'), { missionLocaleId: locales[0]!.id, dryRun: values['dry-run'], now: new Date(), actor: cliActor(), fileHash: file.hash });
});
