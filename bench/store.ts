/**
 * Store benchmark on large volumes: seeds (once, kept in .tmp/bench/) a SQLite file with BENCH_MISSIONS open
 * missions (default 100,000; 1,000,000 works, takes minutes) and BENCH_YOUTH extra youth (default 100,000),
 * then times the hot queries. Set BENCH_PG=postgresql://… to run the same on PostgreSQL.
 */
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { connect } from '../src/store/client.js';
import { migrate } from '../src/store/migrate.js';
import { seedDemo } from '../src/store/seed/demo.js';
import { syncContent } from '../src/store/seed/content.js';
import { bindStore } from '../src/store/index.js';
import { repoRoot } from '../src/store/database-url.js';

const MISSIONS = Number(process.env.BENCH_MISSIONS ?? 100_000);
const YOUTH = Number(process.env.BENCH_YOUTH ?? 100_000);

function percentiles(samples: number[]) {
  const s = [...samples].sort((a, b) => a - b);
  const at = (p: number) => s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
  return { p50: +at(50).toFixed(2), p95: +at(95).toFixed(2), p99: +at(99).toFixed(2), max: +s[s.length - 1]!.toFixed(2) };
}

async function time(runs: number, fn: () => Promise<unknown>) {
  await fn();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    samples.push(performance.now() - t);
  }
  return percentiles(samples);
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

export async function benchStore(url?: string): Promise<Record<string, unknown>> {
  const dir = path.join(repoRoot, '.tmp', 'bench');
  mkdirSync(dir, { recursive: true });
  const dbUrl = url ?? `file:${path.join(dir, `store-${MISSIONS}-${YOUTH}.db`)}`;
  const fresh = !dbUrl.startsWith('file:') || !existsSync(dbUrl.slice(5));
  await migrate(dbUrl);
  const c = connect(dbUrl);
  const result: Record<string, unknown> = { database: c.kind, missions: MISSIONS, extraYouth: YOUTH };
  try {
    if (fresh && (await c.db.missionLocale.count()) === 0) {
      const t = performance.now();
      await syncContent(c.db);
      const seeded = await seedDemo(c.db, { missions: MISSIONS, extraYouth: YOUTH });
      result.seedSeconds = +((performance.now() - t) / 1000).toFixed(1);
      result.seeded = seeded;
    }
    const store = bindStore(c.db);
    const bench = await c.db.counsellor.findFirstOrThrow({ where: { email: 'bench1@ml.demo.invalid' } }).catch(() => null);
    const scope = bench ? { counsellorId: bench.id } : { counsellorId: 1 };
    const now = new Date();
    result.queriesMs = {
      searchCommune: await time(50, () => store.missions.searchOpenMissions({ communeCode: '69123' })),
      searchCommuneSectorPage3: await time(50, () => store.missions.searchOpenMissions({ communeCode: '69123', sector: 'logistique', page: 3 })),
      searchAroundNearestFirst: await time(50, () => store.missions.searchOpenMissions({ communeCode: '69266', epciCode: '200046977', page: 2 })),
      searchDepartement: await time(50, () => store.missions.searchOpenMissions({ departementCode: '13' })),
      caseloadOverviewCounsellor: await time(30, () => store.caseload.caseloadOverview(scope, now)),
      youthWithoutMission30: await time(30, () => store.caseload.youthWithoutMission(scope, 30, now)),
      youthWithoutContact30: await time(30, () => store.caseload.youthWithoutContact(scope, 30, now)),
      caseloadOverviewManager: await time(10, () => store.caseload.caseloadOverview({ missionLocaleId: 1 }, now)),
      findYouthByNameTypo: await time(30, () => store.youth.findYouthByName(scope, 'lea martn')),
      programmeStatsAll: await time(10, () => store.stats.programmeStats({ from: new Date(now.getTime() - 365 * 86_400_000), to: now })),
    };
  } finally {
    await c.close();
  }
  return result;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(JSON.stringify(await benchStore(process.env.BENCH_PG), null, 2));
}
