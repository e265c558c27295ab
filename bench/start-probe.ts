/**
 * Where start-up goes: run by bench/start.ts as `node --import tsx bench/start-probe.ts <database url>`, this
 * repeats what src/main.ts does in the same order, one phase at a time, and prints each phase's milliseconds
 * as one JSON line. A module shared by two phases counts in the first that loads it.
 */
import { performance } from 'node:perf_hooks';

const url = process.argv[2];
if (!url) throw new Error('usage: start-probe.ts <DATABASE_URL>');
const phases: Record<string, number> = { processAndLoaderMs: +performance.now().toFixed(1) };
async function phase<T>(name: string, run: () => Promise<T>): Promise<T> {
  const t = performance.now();
  const result = await run();
  phases[name] = +(performance.now() - t).toFixed(1);
  return result;
}

await phase('configAndLoggerModulesMs', () => Promise.all([import('../src/config.js'), import('../src/shared/logger.js')]));
const { openStore } = await phase('storeModulesPrismaMs', () => import('../src/store/bootstrap.js'));
await phase('coreModulesMs', () => import('../src/core/assistant.js'));
await phase('httpAndMetricsModulesMs', () => import('../src/app.js'));
await phase('telegramModulesGrammyMs', () => import('../bots/telegram/index.js'));
await phase('teamsModulesBotFrameworkMs', () => import('../bots/teams/index.js'));
const opened = await phase('openStoreMigrateSyncMs', () => openStore({ url, seedIfEmpty: true }));
const { getNlu } = await import('../src/nlu/index.js');
// From the model cache in CACHE_DIR (bench/start.ts points it at the cache its earlier starts filled).
await phase('nluModelFromCacheMs', async () => getNlu());
await opened.connection.close();
phases.totalMs = +performance.now().toFixed(1);
phases.rssMb = Math.round(process.memoryUsage().rss / 2 ** 20);
console.log(JSON.stringify(phases));
