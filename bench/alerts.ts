/**
 * Mission alert benchmark: one run of the alert job (`missionAlerts` of src/delivery/scheduled-jobs.ts, the very
 * function the scheduler and `npm run jobs` call) over BENCH_ALERT_YOUTH (default 100,000) linked young people
 * with a saved search each and BENCH_ALERT_MISSIONS (default 1,000) missions published since the last run.
 * Seeds once a SQLite file in .tmp/bench/ (and, with BENCH_PG=postgresql://user@host:port, a database
 * mj_bench_alerts_<youth> on that server) with the bulk seed of src/store/seed. Prints the time of the run and its
 * counts, and in the same run a ceiling: the same matching as one bare SQL statement on the driver
 * (better-sqlite3 / pg), without the grouping and the writes. Run alone: tsx bench/alerts.ts.
 */
import { mkdirSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import pg from 'pg';
import { missionAlerts } from '../src/delivery/scheduled-jobs.js';
import { connect, type StoreConnection } from '../src/store/client.js';
import { repoRoot } from '../src/store/database-url.js';
import { bindStore } from '../src/store/index.js';
import { migrate } from '../src/store/migrate.js';
import { matchNewMissionsSql } from '../src/store/repos/alerts.js';
import { syncContent } from '../src/store/seed/content.js';
import { seedDemo } from '../src/store/seed/demo.js';
import { render } from '../src/store/sql.js';

const YOUTH = Number(process.env.BENCH_ALERT_YOUTH ?? 100_000);
const NEW_MISSIONS = Number(process.env.BENCH_ALERT_MISSIONS ?? 1_000);
/** Missions of the seed (the new ones are copies of some of them, published now). */
const SEED_MISSIONS = 10_000;
const round = (x: number) => +x.toFixed(1);

async function openDatabase(kind: 'sqlite' | 'postgresql'): Promise<{ url: string; c: StoreConnection; seedSeconds?: number }> {
  let url: string;
  if (kind === 'sqlite') {
    const dir = path.join(repoRoot, '.tmp', 'bench');
    mkdirSync(dir, { recursive: true });
    url = `file:${path.join(dir, `alerts-${YOUTH}.db`)}`;
  } else {
    const u = new URL(process.env.BENCH_PG!);
    const server = `${u.protocol}//${u.username ? `${u.username}${u.password ? `:${u.password}` : ''}@` : ''}${u.host}`;
    const name = `mj_bench_alerts_${YOUTH}`;
    const admin = new pg.Client({ connectionString: `${server}/postgres` });
    await admin.connect();
    if (!(await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount) await admin.query(`CREATE DATABASE "${name}"`);
    await admin.end();
    url = `${server}/${name}`;
  }
  await migrate(url);
  const c = connect(url);
  if ((await c.db.missionLocale.count()) > 0) return { url, c };
  const t = performance.now();
  await syncContent(c.db);
  await seedDemo(c.db, { missions: SEED_MISSIONS, extraYouth: YOUTH });
  return { url, c, seedSeconds: round((performance.now() - t) / 1000) };
}

/**
 * Puts the database in the state of a run: every bulk youth linked with consent and one saved search (their
 * commune and a sector, one in ten their département and a sector, one in three with a 60-day start window),
 * no alert sent yet, and NEW_MISSIONS open missions published 30 minutes ago.
 */
async function prepare(c: StoreConnection, kind: 'sqlite' | 'postgresql', now: Date): Promise<{ since: Date }> {
  const db = c.db;
  const ts = (d: Date) => (kind === 'sqlite' ? d.toISOString().replace('Z', '+00:00') : d.toISOString());
  const cast = kind === 'postgresql' ? '::timestamp(3)' : '';
  await db.alertedMission.deleteMany({});
  await db.notification.deleteMany({ where: { kind: 'mission_alert' } });
  await db.jobRun.deleteMany({ where: { name: 'mission-alerts' } });
  await db.savedSearch.deleteMany({});
  await db.mission.deleteMany({ where: { reference: { startsWith: 'BENCH-ALERT-' } } });
  const concat = (a: string, b: string) => (kind === 'sqlite' ? `${a} || ${b}` : `CONCAT(${a}, ${b})`);
  await db.$executeRawUnsafe(
    `UPDATE "Youth" SET "telegramChatId" = ${concat("'9'", 'CAST("id" AS TEXT)')}, "telegramUserId" = ${concat("'9'", 'CAST("id" AS TEXT)')}, "consentAt" = '${ts(now)}'${cast}
     WHERE "lastName" LIKE '%-%' AND "telegramUserId" IS NULL`,
  );
  const sectors = ['logistique', 'btp', 'industrie', 'hotellerie_restauration', 'commerce', 'proprete', 'transport', 'agriculture', 'tertiaire', 'services_personne'];
  const sectorCase = `CASE (y."id" % 10) ${sectors.map((s, i) => `WHEN ${i} THEN '${s}'`).join(' ')} END`;
  const sector = kind === 'postgresql' ? `(${sectorCase})::"Sector"` : sectorCase;
  const dep = kind === 'sqlite' ? 'substr(y."communeCode", 1, 2)' : 'substring(y."communeCode" from 1 for 2)';
  const created = new Date(now.getTime() - 86_400_000);
  await db.$executeRawUnsafe(
    `INSERT INTO "SavedSearch" ("youthId", "communeCode", "departementCode", "sector", "startWithinDays", "criteriaKey", "createdAt")
     SELECT y."id",
            CASE WHEN y."id" % 10 = 0 THEN NULL ELSE y."communeCode" END,
            CASE WHEN y."id" % 10 = 0 THEN ${dep} ELSE NULL END,
            ${sector},
            CASE WHEN y."id" % 3 = 0 THEN 60 ELSE NULL END,
            CAST(y."id" AS TEXT), '${ts(created)}'${cast}
     FROM "Youth" y WHERE y."telegramChatId" IS NOT NULL AND y."lastName" LIKE '%-%'`,
  );
  const published = new Date(now.getTime() - 30 * 60_000);
  await db.$executeRawUnsafe(
    `INSERT INTO "Mission" ("title", "sector", "romeCode", "description", "communeCode", "communeName", "postcode", "departementCode", "epciCode",
       "startDate", "endDate", "weeklyHours", "hourlyGrossPay", "requirements", "places", "status", "agencyId", "reference", "publishedAt", "createdAt", "updatedAt")
     SELECT m."title", m."sector", m."romeCode", m."description", m."communeCode", m."communeName", m."postcode", m."departementCode", m."epciCode",
       m."startDate", m."endDate", m."weeklyHours", m."hourlyGrossPay", m."requirements", m."places", m."status", m."agencyId",
       ${concat("'BENCH-ALERT-'", 'CAST(m."id" AS TEXT)')}, '${ts(published)}'${cast}, '${ts(published)}'${cast}, '${ts(published)}'${cast}
     FROM "Mission" m WHERE m."status" = 'open' AND m."endDate" > '${ts(now)}'${cast}
     ORDER BY m."id" LIMIT ${NEW_MISSIONS}`,
  );
  if (kind === 'postgresql') await db.$executeRawUnsafe('ANALYZE');
  return { since: new Date(now.getTime() - 2 * 3_600_000) };
}

/** The matching statement alone, on a bare driver connection (rows counted, nothing written). */
async function bareMatch(kind: 'sqlite' | 'postgresql', url: string, since: Date, now: Date): Promise<{ ms: number; pairs: number }> {
  const { text, values } = render(kind, matchNewMissionsSql(kind, since, now));
  if (kind === 'sqlite') {
    const conn = new Database(url.slice(5), { readonly: true });
    const st = conn.prepare(text);
    const t = performance.now();
    const rows = st.all(...values);
    const ms = performance.now() - t;
    conn.close();
    return { ms: round(ms), pairs: rows.length };
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const t = performance.now();
  const res = await client.query({ text, values });
  const ms = performance.now() - t;
  await client.end();
  return { ms: round(ms), pairs: res.rowCount ?? 0 };
}

export async function benchAlerts(kind: 'sqlite' | 'postgresql' = 'sqlite'): Promise<Record<string, unknown>> {
  const { url, c, seedSeconds } = await openDatabase(kind);
  try {
    const now = new Date();
    // The 10:00 Paris slot of today would be "now" itself: the run is timed as if it were due now, outside quiet hours.
    const { since } = await prepare(c, kind, now);
    const savedSearches = await c.db.savedSearch.count();
    const ceiling = await bareMatch(kind, url, since, now);
    const store = bindStore(c.db);
    // The previous run, two hours ago: "since the last run" is what the job reads.
    await c.db.jobRun.create({ data: { name: 'mission-alerts', runKey: 'mission-alerts:bench-previous', asOf: since, outcome: 'ok', finishedAt: since } });
    const load = loadavg()[0]!;
    const t = performance.now();
    const result = await missionAlerts(store).run(now);
    const runMs = performance.now() - t;
    const queued = await c.db.notification.count({ where: { kind: 'mission_alert' } });
    return {
      database: kind,
      youthWithSavedSearch: savedSearches,
      newMissions: NEW_MISSIONS,
      ...(seedSeconds !== undefined ? { seedSeconds } : {}),
      loadAverage1m: round(load),
      runMs: round(runMs),
      result,
      messagesQueued: queued,
      ceilingBareMatchMs: ceiling.ms,
      ceilingPairs: ceiling.pairs,
      ratioToCeiling: round(runMs / Math.max(ceiling.ms, 0.1)),
    };
  } finally {
    await c.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const report: Record<string, unknown> = {};
  for (const kind of ['sqlite', ...(process.env.BENCH_PG ? ['postgresql' as const] : [])] as const) {
    report[kind] = await benchAlerts(kind);
    console.error(JSON.stringify(report[kind]));
  }
  console.log(JSON.stringify(report, null, 2));
}
