/**
 * `npm run import:counsellors -- FILE [--dry-run]`: the counsellor file (nom, prenom, email, identifiant Teams,
 * Mission locale, rôle). Upsert by e-mail; counsellors of the file's Missions locales missing from it are deactivated
 * and their youth listed for reassignment. Exit 0, 2 (rows rejected) or 1 (unreadable).
 */
import { parseArgs } from 'node:util';
import { cliActor, runImportCommand } from '../src/import/cli.js';
import { importCounsellors } from '../src/import/counsellors.js';
import { readTable } from '../src/import/read.js';

const USAGE = 'usage: npm run import:counsellors -- FILE [--dry-run]';
const { values, positionals } = parseArgs({ allowPositionals: true, options: { 'dry-run': { type: 'boolean', default: false } } });

process.exitCode = await runImportCommand(positionals[0], USAGE, (store, file) =>
  importCounsellors(store, readTable(file.bytes, 'counsellors'), { dryRun: values['dry-run'], now: new Date(), actor: cliActor(), fileHash: file.hash }),
);
