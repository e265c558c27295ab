/** `npm run bench`: every benchmark script, one JSON report. Scripts, not timed tests: figures vary by machine. */
import { benchNlu } from './nlu.js';
import { benchDemoSeed, benchStore } from './store.js';
import { benchHttp } from './http.js';
import { benchStart } from './start.js';
import { benchRoundTrips } from './round-trips.js';
import { benchWebhook } from './webhook.js';
import { benchImports } from './imports.js';
import { benchAlerts } from './alerts.js';

const report: Record<string, unknown> = { node: process.version, at: new Date().toISOString() };
report.start = await benchStart();
report.nlu = await benchNlu();
report.demoSeedMs = await benchDemoSeed();
report.http = await benchHttp();
report.roundTrips = await benchRoundTrips();
report.webhook = await benchWebhook();
report.storeSqlite = await benchStore('sqlite');
if (process.env.BENCH_PG) report.storePostgres = await benchStore('postgresql');
report.imports = await benchImports();
report.alertsSqlite = await benchAlerts('sqlite');
if (process.env.BENCH_PG) report.alertsPostgres = await benchAlerts('postgresql');
console.log(JSON.stringify(report, null, 2));
