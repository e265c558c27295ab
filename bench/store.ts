/**
 * Store benchmark on large volumes. For each size (BENCH_SIZES, default "10000,100000" open missions; BENCH_LONG=1
 * adds 1,000,000, which takes about half an hour to seed once), seeds once a SQLite file in .tmp/bench/ (and, with
 * BENCH_PG=postgresql://user@host:port, a PostgreSQL database mj_bench_<missions>_<youth> on that server) with
 * that many missions and as many extra youth (at most 100,000; BENCH_PG_TAG=x names it mj_bench_x_<missions>_<youth>,
 * so two worktrees with different migrations do not share one), then runs each hot query twice in the same run:
 * through src/store, and as the very statements the store sent, replayed on a bare driver connection
 * (better-sqlite3 / pg). Prints p50/p95 of each and the ratio store ÷ driver. BENCH_EXPLAIN=1 adds the query
 * plans (EXPLAIN QUERY PLAN on SQLite, EXPLAIN ANALYZE on PostgreSQL) of every statement.
 * Run alone: tsx bench/store.ts.
 */
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import Database from 'better-sqlite3';
import pg from 'pg';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { connect } from '../src/store/client.js';
import { migrate } from '../src/store/migrate.js';
import { seedDemo } from '../src/store/seed/demo.js';
import { syncContent } from '../src/store/seed/content.js';
import { bindStore } from '../src/store/index.js';
import { repoRoot } from '../src/store/database-url.js';
import { statementObserver, type RenderedStatement } from '../src/store/sql.js';
import type { Store } from '../src/store/index.js';
import { endingWithin, noContactSince, noMissionSince, overviewWindows } from '../src/core/counsellor/definitions.js';

const SIZES = (process.env.BENCH_SIZES ?? '10000,100000')
  .split(',')
  .map(Number)
  .filter((n) => n > 0)
  .concat(process.env.BENCH_LONG === '1' ? [1_000_000] : []);
const DAY = 86_400_000;
/** Each measurement stops at this many runs or this much time, whichever comes first. */
const RUNS = Number(process.env.BENCH_RUNS ?? 300);
const BUDGET_MS = 1_500;
/**
 * Runs of each query, on both paths, before the measured ones (at least this many, and for at least this long):
 * the first calls of a path compile its code (with 40 runs and no warm-up, a 10 µs read's p95 was its first
 * call's, 10 times its p50; with 100 runs, the first query of the process still had a p95 above its steady one).
 */
const WARM_UP_RUNS = 100;
const WARM_UP_MS = 200;

function percentiles(samples: number[]) {
  const s = [...samples].sort((a, b) => a - b);
  const at = (p: number) => s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
  return { p50: +at(50).toFixed(2), p95: +at(95).toFixed(2), p99: +at(99).toFixed(2), max: +s[s.length - 1]!.toFixed(2) };
}


/** The default demo seed (what `npm start` does on first start), timed on fresh SQLite files. */
export async function benchDemoSeed(runs = 3): Promise<Record<string, number>> {
  const dir = path.join(repoRoot, '.tmp', 'bench');
  mkdirSync(dir, { recursive: true });
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const url = `file:${path.join(dir, `demo-seed-${process.pid}-${i}.db`)}`;
    await migrate(url);
    const c = connect(url);
    const t = performance.now();
    await syncContent(c.db);
    await seedDemo(c.db);
    samples.push(performance.now() - t);
    await c.close();
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${url.slice(5)}${suffix}`, { force: true });
  }
  return { runs, ...percentiles(samples) };
}

/** A bare driver connection that replays captured statements (prepared once, like any careful driver user). */
interface Replayer {
  run(s: RenderedStatement): Promise<unknown>;
  explain(s: RenderedStatement): Promise<string[]>;
  close(): Promise<void>;
}

function sqliteReplayer(file: string): Replayer {
  const conn = new Database(file);
  conn.pragma('busy_timeout = 5000');
  const prepared = new Map<string, Database.Statement>();
  const statement = (text: string) => {
    let st = prepared.get(text);
    if (!st) prepared.set(text, (st = conn.prepare(text)));
    return st;
  };
  return {
    async run(s) {
      const st = statement(s.text);
      return st.reader ? st.all(...s.values) : st.run(...s.values);
    },
    async explain(s) {
      return (conn.prepare(`EXPLAIN QUERY PLAN ${s.text}`).all(...s.values) as { detail: string }[]).map((r) => r.detail);
    },
    async close() {
      conn.close();
    },
  };
}

async function postgresReplayer(url: string): Promise<Replayer> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return {
    run: (s) => client.query({ text: s.text, values: s.values }),
    async explain(s) {
      if (!/^\s*SELECT/i.test(s.text)) return ['(write: not explained)'];
      return (await client.query({ text: `EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) ${s.text}`, values: s.values })).rows.map((r: Record<string, string>) => r['QUERY PLAN']!);
    },
    close: () => client.end(),
  };
}

interface HotQuery {
  name: string;
  /** The i-th call through the store (writes vary their key with i). */
  call: (store: Store, i: number) => Promise<unknown>;
  /**
   * The values the driver replays in place of the store's, for a write whose replay with the same key would do
   * nothing (an insert that meets its own row and does nothing is no measure of an insert).
   */
  driverValues?: (values: unknown[]) => unknown[];
}

function hotQueries(scope: { counsellorId: number }, managerScope: { missionLocaleId: number }, now: Date): HotQuery[] {
  const yearAgo = new Date(now.getTime() - 365 * DAY);
  return [
    { name: 'searchCommune', call: (s) => s.missions.searchOpenMissions({ communeCode: '69123' }) },
    { name: 'searchCommuneSectorPage3', call: (s) => s.missions.searchOpenMissions({ communeCode: '69123', sector: 'logistique', page: 3 }) },
    { name: 'searchAroundNearestFirst', call: (s) => s.missions.searchOpenMissions({ communeCode: '69266', epciCode: '200046977', page: 2 }) },
    { name: 'searchDepartement', call: (s) => s.missions.searchOpenMissions({ departementCode: '13' }) },
    {
      name: 'searchStartWindow',
      call: (s) => s.missions.searchOpenMissions({ departementCode: '69', startFrom: now, startTo: new Date(now.getTime() + 14 * DAY), activeOn: now }),
    },
    { name: 'missionDetails', call: (s, i) => s.missions.findMissionById(1 + (i % 1000)) },
    { name: 'caseloadOverviewCounsellor', call: (s) => s.caseload.caseloadOverview(scope, overviewWindows(now), now) },
    { name: 'caseloadOverviewManager', call: (s) => s.caseload.caseloadOverview(managerScope, overviewWindows(now), now) },
    { name: 'listWithoutMission30', call: (s) => s.caseload.youthWithoutMission(scope, noMissionSince(now, 30), now) },
    { name: 'listWithoutContact30', call: (s) => s.caseload.youthWithoutContact(scope, noContactSince(now, 30), now) },
    { name: 'listEndingWithin7', call: (s) => s.caseload.missionsEndingSoon(scope, endingWithin(now, 7), now) },
    { name: 'listWithBarrier', call: (s) => s.caseload.youthWithBarrier(scope, undefined, now) },
    { name: 'listInMissionNow', call: (s) => s.caseload.youthInMissionNow(scope, now) },
    { name: 'listPendingInterest', call: (s) => s.caseload.youthWithPendingInterest(scope, now) },
    { name: 'listOpenRequests', call: (s) => s.caseload.youthWithOpenRequests(scope, now) },
    { name: 'youthByNameTypo', call: (s) => s.youth.findYouthByName(scope, 'lea martn') },
    { name: 'youthByTelegramUser', call: (s, i) => s.youth.findYouthByTelegramUser(String(900_000 + (i % 50))) },
    { name: 'conversationLoad', call: (s, i) => s.conversation.loadConversationState('telegram', `bench-${i % 50}`) },
    { name: 'conversationSave', call: (s, i) => s.conversation.saveConversationState('telegram', `bench-${i % 50}`, { lastList: [i, i + 1, i + 2], page: i % 4 }) },
    {
      name: 'processedUpdateMark',
      call: (s, i) => s.conversation.markEventProcessed('telegram', `bench-${process.pid}-${Date.now()}-${i}`),
      driverValues: (values) => values.map((v) => (typeof v === 'string' && v.startsWith('bench-') ? `${v}-driver` : v)),
    },
    { name: 'programmeFigures', call: (s) => s.stats.programmeStats({ from: yearAgo, to: now }) },
  ];
}

const round = (x: number) => +x.toFixed(2);

/**
 * Runs every hot query through the store, capturing its statements, then replays them on the bare driver, in
 * alternation so both see the same machine load. Returns per query: store and driver p50/p95 (ms) and ratios.
 */
async function measure(store: Store, replayer: Replayer, queries: HotQuery[], explain: boolean) {
  const out: Record<string, unknown> = {};
  const plans: Record<string, string[][]> = {};
  for (const q of queries) {
    let captured: RenderedStatement[] = [];
    statementObserver.current = (s) => void captured.push(s);
    await q.call(store, 999);
    statementObserver.current = undefined;
    if (explain) {
      // One after the other: the replayer is one connection (pg deprecates overlapping queries on a client).
      plans[q.name] = [];
      for (const s of captured) plans[q.name]!.push(await replayer.explain(s));
    }
    const viaStore: number[] = [];
    const viaDriver: number[] = [];
    /** The i-th call through the store, then its statements on the driver: the two times, in ms. */
    const pair = async (i: number): Promise<[number, number]> => {
      captured = [];
      statementObserver.current = (s) => void captured.push(s);
      let t = performance.now();
      await q.call(store, i);
      const storeMs = performance.now() - t;
      statementObserver.current = undefined;
      const replayed = q.driverValues ? captured.map((s) => ({ ...s, values: q.driverValues!(s.values) })) : captured;
      t = performance.now();
      for (const s of replayed) await replayer.run(s);
      return [storeMs, performance.now() - t];
    };
    let started = performance.now();
    let i = 0;
    // A slow query's warm-up stops at a quarter of the budget, so that it still gets measured runs.
    const warming = () => (i < WARM_UP_RUNS || performance.now() - started < WARM_UP_MS) && performance.now() - started < BUDGET_MS / 4;
    for (; warming(); i++) await pair(i);
    started = performance.now();
    for (let runs = 0; runs < RUNS && (runs === 0 || performance.now() - started < BUDGET_MS); runs++, i++) {
      const [storeMs, driverMs] = await pair(i);
      viaStore.push(storeMs);
      viaDriver.push(driverMs);
    }
    const a = percentiles(viaStore);
    const b = percentiles(viaDriver);
    // Ratios of the unrounded percentiles: a 0.014 ms driver read printed as 0.01 would otherwise turn 0.025 into 2.5.
    const exact = (x: number[], p: number) => [...x].sort((u, v) => u - v)[Math.min(x.length - 1, Math.floor((p / 100) * x.length))]!;
    out[q.name] = {
      statements: captured.length,
      runs: viaStore.length,
      storeP50: a.p50,
      storeP95: a.p95,
      driverP50: b.p50,
      driverP95: b.p95,
      ratioP50: round(exact(viaStore, 50) / exact(viaDriver, 50)),
      ratioP95: round(exact(viaStore, 95) / exact(viaDriver, 95)),
    };
  }
  return explain ? { queries: out, plans } : { queries: out };
}

async function openBenchDatabase(kind: 'sqlite' | 'postgresql', missions: number, youth: number) {
  const dir = path.join(repoRoot, '.tmp', 'bench');
  mkdirSync(dir, { recursive: true });
  let url: string;
  if (kind === 'sqlite') {
    url = `file:${path.join(dir, `store-${missions}-${youth}.db`)}`;
  } else {
    // The server of BENCH_PG, whatever database its path names.
    const u = new URL(process.env.BENCH_PG!);
    const server = `${u.protocol}//${u.username ? `${u.username}${u.password ? `:${u.password}` : ''}@` : ''}${u.host}`;
    const name = `mj_bench_${process.env.BENCH_PG_TAG ? `${process.env.BENCH_PG_TAG}_` : ''}${missions}_${youth}`;
    const admin = new pg.Client({ connectionString: `${server}/postgres` });
    await admin.connect();
    const exists = (await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount;
    if (!exists) await admin.query(`CREATE DATABASE "${name}"`);
    await admin.end();
    url = `${server}/${name}`;
  }
  await migrate(url);
  const c = connect(url);
  let seedSeconds: number | undefined;
  if ((await c.db.missionLocale.count()) === 0) {
    const t = performance.now();
    await syncContent(c.db);
    await seedDemo(c.db, { missions, extraYouth: youth });
    // VACUUM too: right after a bulk load no page is marked all-visible, and every index-only scan reads the heap.
    if (kind === 'postgresql') await c.db.$executeRawUnsafe('VACUUM ANALYZE');
    seedSeconds = round((performance.now() - t) / 1000);
  }
  return { url, c, seedSeconds };
}

/** The store benchmark of one database kind over every size. */
export async function benchStore(kind: 'sqlite' | 'postgresql' = 'sqlite'): Promise<Record<string, unknown>> {
  const result: Record<string, unknown> = {};
  for (const missions of SIZES) {
    const youth = Math.min(missions, 100_000);
    const { url, c, seedSeconds } = await openBenchDatabase(kind, missions, youth);
    const replayer = kind === 'sqlite' ? sqliteReplayer(url.slice(5)) : await postgresReplayer(url);
    try {
      const store = bindStore(c.db);
      const bench = await c.db.counsellor.findFirst({ where: { email: 'bench1@ml.demo.invalid' } });
      const scope = { counsellorId: bench?.id ?? 1 };
      const managerScope = { missionLocaleId: bench?.missionLocaleId ?? 1 };
      const now = new Date();
      const measured = await measure(store, replayer, hotQueries(scope, managerScope, now), process.env.BENCH_EXPLAIN === '1');
      const ratios = Object.values(measured.queries).map((q) => (q as { ratioP50: number }).ratioP50);
      result[`${missions}`] = {
        database: kind,
        missions,
        extraYouth: youth,
        ...(seedSeconds !== undefined ? { seedSeconds } : {}),
        worstRatioP50: Math.max(...ratios),
        ...measured,
      };
    } finally {
      await replayer.close();
      await c.close();
    }
  }
  return result;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const report: Record<string, unknown> = { sqlite: await benchStore('sqlite') };
  if (process.env.BENCH_PG) report.postgresql = await benchStore('postgresql');
  console.log(JSON.stringify(report, null, 2));
}
