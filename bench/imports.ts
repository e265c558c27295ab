/**
 * Import benchmark: a generated feed of BENCH_IMPORT_MISSIONS missions (default 100,000) as a `;` CSV, imported into
 * a fresh SQLite file (BENCH_PG=postgresql://… adds PostgreSQL): first import (all created), the same file again
 * (all unchanged), then a feed where 5% of the rows changed. The ceiling measured in the same run is the driver
 * alone (better-sqlite3 prepared INSERTs of as many rows in one transaction; on PostgreSQL, `pg` multi-row INSERTs of
 * 500 rows in one transaction): the import's cost as a ratio to it.
 * Budget from issue 12: 100,000 missions in under a minute.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import pg from 'pg';
import { connect } from '../src/store/client.js';
import { migrate } from '../src/store/migrate.js';
import { bindStore } from '../src/store/index.js';
import { repoRoot } from '../src/store/database-url.js';
import { importMissions } from '../src/import/missions.js';
import { readTable } from '../src/import/read.js';
import { fileHash } from '../src/import/report.js';

const COUNT = Number(process.env.BENCH_IMPORT_MISSIONS ?? 100_000);
const BUDGET_MS = 60_000;
const PLACES = [
  ['69003', 'Lyon'],
  ['69100', 'Villeurbanne'],
  ['69200', 'Vénissieux'],
  ['69800', 'Saint-Priest'],
  ['13001', 'Marseille'],
  ['59000', 'Lille'],
] as const;
const TITLES = ['Cariste H/F', 'Préparateur de commandes', 'Serveur / Serveuse', 'Agent de propreté', 'Opérateur de production', 'Manœuvre BTP', 'Vendeur', 'Chauffeur livreur'];

/** The feed as an agency would send it; `changed` rows (every 20th) get another hourly pay. */
function feed(count: number, changed = false): Buffer {
  const lines = ['reference;intitule;code_postal;commune;date_debut;date_fin;heures_hebdo;taux_horaire_brut;nb_postes;exigences;description'];
  for (let i = 0; i < count; i++) {
    const [cp, city] = PLACES[i % PLACES.length]!;
    const start = 1 + (i % 28);
    const pay = (12.1 + (i % 40) * 0.05 + (changed && i % 20 === 0 ? 0.5 : 0)).toFixed(2).replace('.', ',');
    lines.push(`B-${i};${TITLES[i % TITLES.length]};${cp};${city};${String(start).padStart(2, '0')}/02/2027;${String(start).padStart(2, '0')}/04/2027;${20 + (i % 16)};${pay};${1 + (i % 3)};"Permis B, EPI";Mission ${i} : équipe de jour.`);
  }
  return Buffer.from(lines.join('\n'), 'utf8');
}

/** Wall time, and this process's CPU time: on a shared machine the wall time also counts waiting for a core. */
async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; cpuMs: number; result: T }> {
  const t = performance.now();
  const cpu = process.cpuUsage();
  const result = await fn();
  const used = process.cpuUsage(cpu);
  return { ms: Math.round(performance.now() - t), cpuMs: Math.round((used.user + used.system) / 1000), result };
}

/** The floor: the same rows through better-sqlite3 directly, one prepared INSERT each, one transaction. */
function driverCeilingMs(file: string, agencyId: number, count: number): number {
  const db = new Database(file);
  const insert = db.prepare(
    `INSERT INTO "Mission" ("title","sector","description","communeCode","communeName","postcode","departementCode","epciCode","startDate","endDate","weeklyHours","hourlyGrossPay","requirements","places","status","agencyId","reference","publishedAt","createdAt","updatedAt")
     VALUES (?, 'logistique', ?, '69123', 'Lyon', '69003', '69', '200046977', ?, ?, ?, ?, '["Permis B","EPI"]', ?, 'open', ?, ?, ?, ?, ?)`,
  );
  const t = performance.now();
  db.transaction(() => {
    const now = new Date().toISOString();
    for (let i = 0; i < count; i++) insert.run(TITLES[i % TITLES.length], `Mission ${i}`, now, now, 35, 12.5, 1, agencyId, `C-${i}`, now, now, now);
  })();
  const ms = performance.now() - t;
  db.close();
  return Math.round(ms);
}

/** The PostgreSQL floor: the same number of rows through `pg` directly, multi-row INSERTs of 500 rows, one transaction. */
async function pgDriverCeilingMs(url: string, agencyId: number, count: number): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const columns = '"title","sector","description","communeCode","communeName","postcode","departementCode","epciCode","startDate","endDate","weeklyHours","hourlyGrossPay","requirements","places","status","agencyId","reference","publishedAt","createdAt","updatedAt"';
  const t = performance.now();
  try {
    await client.query('BEGIN');
    const now = new Date();
    for (let from = 0; from < count; from += 500) {
      const values: unknown[] = [];
      const tuples: string[] = [];
      for (let i = from; i < Math.min(count, from + 500); i++) {
        const n = values.length;
        tuples.push(`($${n + 1}, 'logistique', $${n + 2}, '69123', 'Lyon', '69003', '69', '200046977', $${n + 3}, $${n + 4}, 35, 12.5, '["Permis B","EPI"]', 1, 'open', $${n + 5}, $${n + 6}, $${n + 7}, $${n + 7}, $${n + 7})`);
        values.push(TITLES[i % TITLES.length], `Mission ${i}`, now, now, agencyId, `C-${i}`, now);
      }
      await client.query(`INSERT INTO "Mission" (${columns}) VALUES ${tuples.join(', ')}`, values);
    }
    await client.query('COMMIT');
  } finally {
    await client.end();
  }
  return Math.round(performance.now() - t);
}

async function run(url: string, sqliteFile?: string): Promise<Record<string, unknown>> {
  await migrate(url);
  const c = connect(url);
  const store = bindStore(c.db);
  try {
    const agency = await c.db.agency.create({ data: { name: 'Bench Intérim', brand: 'Bench', communeCode: '69123', communeName: 'Lyon', phone: '-', email: 'bench@example.invalid' } });
    const options = (bytes: Buffer) => ({ agencyId: agency.id, now: new Date(), actor: { id: 'bench' }, fileHash: fileHash(bytes) });
    const first = feed(COUNT);
    const parse = await timed(async () => readTable(first));
    const created = await timed(() => importMissions(store, readTable(first), options(first)));
    const again = await timed(() => importMissions(store, readTable(first), options(first)));
    const changedFeed = feed(COUNT, true);
    const changed = await timed(() => importMissions(store, readTable(changedFeed), options(changedFeed)));
    const out: Record<string, unknown> = {
      missions: COUNT,
      csvBytes: first.length,
      parseMs: parse.ms,
      firstImportMs: created.ms,
      firstImportCpuMs: created.cpuMs,
      firstImport: `created ${created.result.created}, rejected ${created.result.rejections.length}`,
      missionsPerSecond: Math.round((COUNT / created.ms) * 1000),
      reimportUnchangedMs: again.ms,
      reimportUnchangedCpuMs: again.cpuMs,
      reimport: `unchanged ${again.result.unchanged}`,
      fivePercentChangedMs: changed.ms,
      fivePercentChangedCpuMs: changed.cpuMs,
      fivePercentChanged: `updated ${changed.result.updated}, unchanged ${changed.result.unchanged}`,
      // The budget is for 100,000 rows; smaller runs are scaled linearly.
      budgetMs: Math.round((BUDGET_MS * COUNT) / 100_000),
      withinBudget: created.ms < (BUDGET_MS * COUNT) / 100_000,
      loadAverage: loadavg()[0]!.toFixed(1),
    };
    if (sqliteFile) {
      const ceiling = driverCeilingMs(sqliteFile, agency.id, COUNT);
      out.driverCeilingMs = ceiling;
      out.firstImportToDriverRatio = +(created.ms / Math.max(1, ceiling)).toFixed(1);
    } else {
      const ceiling = await pgDriverCeilingMs(url, agency.id, COUNT);
      out.driverCeilingMs = ceiling;
      out.firstImportToDriverRatio = +(created.ms / Math.max(1, ceiling)).toFixed(1);
    }
    return out;
  } finally {
    await c.close();
  }
}

export async function benchImports(): Promise<Record<string, unknown>> {
  const dir = path.join(repoRoot, '.tmp', 'bench');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `imports-${process.pid}.db`);
  const result: Record<string, unknown> = {};
  try {
    result.sqlite = await run(`file:${file}`, file);
  } finally {
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
  }
  if (process.env.BENCH_PG) {
    const name = `mj_bench_imports_${process.pid}`;
    const admin = new pg.Client({ connectionString: process.env.BENCH_PG });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${name}"`);
    try {
      result.postgresql = await run(process.env.BENCH_PG.replace(/\/[^/]*$/, `/${name}`));
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.end();
    }
  }
  return result;
}

// `npx tsx bench/imports.ts` runs this benchmark alone.
if (import.meta.url === `file://${process.argv[1]}`) console.log(JSON.stringify(await benchImports(), null, 2));
