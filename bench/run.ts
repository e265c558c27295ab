/** `npm run bench`: every benchmark script, one JSON report. Scripts, not timed tests: figures vary by machine. */
import { benchNlu } from './nlu.js';
import { benchDemoSeed, benchStore } from './store.js';
import { benchHttp } from './http.js';
import { benchImports } from './imports.js';

const report: Record<string, unknown> = { node: process.version, at: new Date().toISOString() };
report.nlu = await benchNlu();
report.demoSeedMs = await benchDemoSeed();
report.http = await benchHttp();
report.storeSqlite = await benchStore();
if (process.env.BENCH_PG) report.storePostgres = await benchStore(process.env.BENCH_PG);
report.imports = await benchImports();
console.log(JSON.stringify(report, null, 2));
