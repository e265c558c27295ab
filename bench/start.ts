/**
 * Start-up of the service as `npm start` runs it (`node --import tsx src/main.ts`, Telegram off, Teams in local
 * mode): milliseconds from spawn to the first 200 of /healthz and of /readyz, on a fresh database (migrated and
 * seeded on that start) and on an existing one (median of several starts), resident memory at rest, and where
 * the time goes (bench/start-probe.ts, phase by phase). Run: tsx bench/start.ts, or as part of npm run bench.
 * Targets (issue 14): under 1.5 s to /healthz on an existing database, under 200 MB resident at rest.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
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

/** One start of the real service on `databaseUrl`: time to /healthz and /readyz, then RSS after `restMs` idle. */
async function startOnce(databaseUrl: string, restMs = 2000): Promise<StartRun> {
  const started = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: repoRoot,
    env: { ...process.env, DATABASE_URL: databaseUrl, PORT: '0', LOG_LEVEL: 'warn', TELEGRAM_BOT_TOKEN: '', MICROSOFT_APP_ID: '', SEED_DEMO: 'true' },
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

function probe(databaseUrl: string): Promise<Record<string, number>> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'bench/start-probe.ts', databaseUrl], { cwd: repoRoot, env: { ...process.env, LOG_LEVEL: 'silent' } });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.once('exit', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').pop()!)) : reject(new Error(out))));
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function benchStart(existingRuns = Number(process.env.BENCH_START_RUNS ?? 5)): Promise<Record<string, unknown>> {
  const dir = path.join(repoRoot, '.tmp', 'bench');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `start-${process.pid}.db`);
  const url = `file:${file}`;
  try {
    const fresh = await startOnce(url);
    const existing: StartRun[] = [];
    for (let i = 0; i < existingRuns; i++) existing.push(await startOnce(url));
    const healthzMs = median(existing.map((r) => r.healthzMs));
    const rss = median(existing.map((r) => r.rssAtRestMb));
    return {
      freshDatabase: fresh,
      existingDatabase: { runs: existing.length, healthzMsMedian: healthzMs, readyzMsMedian: median(existing.map((r) => r.readyzMs)), rssAtRestMbMedian: rss, all: existing },
      targets: { healthzMs: TARGET_HEALTHZ_MS, rssMb: TARGET_RSS_MB, healthzMet: healthzMs < TARGET_HEALTHZ_MS, rssMet: rss < TARGET_RSS_MB },
      phasesOnExistingDatabase: await probe(url),
      loadAverage: (await import('node:os')).loadavg().map((l) => +l.toFixed(1)),
    };
  } finally {
    for (const f of [file, `${file}-wal`, `${file}-shm`]) rmSync(f, { force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(JSON.stringify(await benchStart(), null, 2));
