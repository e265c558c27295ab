/**
 * Start-up of the service as `npm start` runs it (`node scripts/start.mjs`: src/main.ts compiled once by esbuild,
 * Telegram off, Teams in local mode): milliseconds from spawn to the first 200 of /healthz and of /readyz (the NLU
 * model loaded), and resident memory at rest, for
 * - cold: the first start of a fresh clone (no compiled build, no NLU model, a fresh database migrated and seeded);
 * - warm: an existing database, build and model cached (median of BENCH_START_RUNS starts);
 * - a fresh database with the build and model cached (a second database on the same checkout);
 * - the previous start command, `node --import tsx src/main.ts`, on the existing database (median);
 * - the ceiling: a bare `node -e` HTTP server answering /healthz (median), so each figure is also a ratio to what
 *   this machine needs just to start Node and answer, measured in the same run.
 * Phases (bench/start-probe.ts) are measured under tsx, module by module. Run: tsx bench/start.ts, or npm run bench.
 * Targets (issue 14): under 1.5 s to /healthz on an existing database, under 200 MB resident at rest.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { repoRoot } from '../src/store/database-url.js';

const TARGET_HEALTHZ_MS = 1500;
const TARGET_RSS_MB = 200;

interface StartRun {
  healthzMs: number;
  readyzMs: number;
  rssAtRestMb: number;
}

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Math.round(Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024);
}

async function firstOk(url: string, deadline: number): Promise<void> {
  while (performance.now() < deadline) {
    const ok = await fetch(url).then((r) => r.ok, () => false);
    if (ok) return;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`${url} did not answer 200 in time`);
}

const NPM_START = ['scripts/start.mjs'];
const TSX_START = ['--import', 'tsx', 'src/main.ts'];
/** The ceiling: Node itself starting and answering one route, nothing loaded. */
const BARE_SERVER = [
  '-e',
  "require('http').createServer((q, r) => r.end('ok')).listen(0, '127.0.0.1', function () { console.log('prêt sur http://127.0.0.1:' + this.address().port); })",
];

/** One start of `args` (the real service by default) on `databaseUrl`: time to /healthz and /readyz, then RSS after `restMs` idle. */
async function startOnce(databaseUrl: string, cacheDir: string, args = NPM_START, restMs = 2000): Promise<StartRun> {
  const started = performance.now();
  const child = spawn(process.execPath, args, {
    cwd: repoRoot,
    env: { ...process.env, DATABASE_URL: databaseUrl, CACHE_DIR: cacheDir, PORT: '0', LOG_LEVEL: 'warn', TELEGRAM_BOT_TOKEN: '', MICROSOFT_APP_ID: '', SEED_DEMO: 'true' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  try {
    const base = await new Promise<string>((resolve, reject) => {
      let out = '';
      const onData = (d: Buffer) => {
        out += d;
        const m = /prêt sur (http:\/\/[\d.]+:\d+)/.exec(out);
        if (m) resolve(m[1]!);
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
      child.once('exit', (code) => reject(new Error(`service exited with ${code}: ${out.slice(-1000)}`)));
    });
    const deadline = started + 120_000;
    await firstOk(`${base}/healthz`, deadline);
    const healthzMs = performance.now() - started;
    await firstOk(`${base}/readyz`, deadline);
    const readyzMs = performance.now() - started;
    await new Promise((r) => setTimeout(r, restMs));
    return { healthzMs: Math.round(healthzMs), readyzMs: Math.round(readyzMs), rssAtRestMb: rssMb(child.pid!) };
  } finally {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  }
}

function probe(databaseUrl: string, cacheDir: string): Promise<Record<string, number>> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'bench/start-probe.ts', databaseUrl], { cwd: repoRoot, env: { ...process.env, LOG_LEVEL: 'silent', CACHE_DIR: cacheDir } });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.once('exit', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').pop()!)) : reject(new Error(out))));
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function summary(runs: StartRun[], ceilingMs?: number) {
  const healthzMs = median(runs.map((r) => r.healthzMs));
  return {
    runs: runs.length,
    healthzMsMedian: healthzMs,
    readyzMsMedian: median(runs.map((r) => r.readyzMs)),
    rssAtRestMbMedian: median(runs.map((r) => r.rssAtRestMb)),
    ...(ceilingMs ? { healthzToCeiling: +(healthzMs / ceilingMs).toFixed(1) } : {}),
    all: runs,
  };
}

export async function benchStart(runs = Number(process.env.BENCH_START_RUNS ?? 5)): Promise<Record<string, unknown>> {
  const dir = path.join(repoRoot, '.tmp', 'bench');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `start-${process.pid}.db`);
  const second = path.join(dir, `start-${process.pid}-second.db`);
  // An empty cache folder of its own: the first start is the first start of a fresh clone.
  const cache = path.join(dir, `cache-${process.pid}`);
  const loadBefore = os.loadavg().map((l) => +l.toFixed(1));
  try {
    const repeat = async (n: number, run: () => Promise<StartRun>) => {
      const out: StartRun[] = [];
      for (let i = 0; i < n; i++) out.push(await run());
      return out;
    };
    const ceiling = summary(await repeat(runs, () => startOnce('file:unused', cache, BARE_SERVER, 200)));
    const ceilingMs = ceiling.healthzMsMedian;
    const cold = await startOnce(`file:${file}`, cache);
    const warm = summary(await repeat(runs, () => startOnce(`file:${file}`, cache)), ceilingMs);
    const freshDatabaseWarmCache = await startOnce(`file:${second}`, cache);
    const tsx = summary(await repeat(runs, () => startOnce(`file:${file}`, cache, TSX_START)), ceilingMs);
    return {
      ceilingBareNodeServer: ceiling,
      coldFreshCloneAndDatabase: { ...cold, healthzToCeiling: +(cold.healthzMs / ceilingMs).toFixed(1) },
      warmExistingDatabase: warm,
      freshDatabaseWarmCache: { ...freshDatabaseWarmCache, healthzToCeiling: +(freshDatabaseWarmCache.healthzMs / ceilingMs).toFixed(1) },
      previousCommandTsxExistingDatabase: tsx,
      targets: { healthzMs: TARGET_HEALTHZ_MS, rssMb: TARGET_RSS_MB, healthzMet: warm.healthzMsMedian < TARGET_HEALTHZ_MS, rssMet: warm.rssAtRestMbMedian < TARGET_RSS_MB },
      phasesUnderTsxOnExistingDatabase: await probe(`file:${file}`, cache),
      loadAverage: { before: loadBefore, after: os.loadavg().map((l) => +l.toFixed(1)) },
    };
  } finally {
    for (const f of [file, second]) for (const x of [f, `${f}-wal`, `${f}-shm`]) rmSync(x, { force: true });
    rmSync(cache, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(JSON.stringify(await benchStart(), null, 2));
