/**
 * Latency benchmark of `understand()`: `tsx bench/nlu.ts`.
 * Builds the model, warms up, then runs every held-out message ~200 times and reports
 * per-message latency percentiles (ms) and throughput as JSON.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { getNlu, type Role } from '../src/nlu/index.js';

const HELDOUT = fileURLToPath(new URL('../test/nlu/heldout.jsonl', import.meta.url));
const ROUNDS = 200;

function percentile(sorted: Float64Array, p: number): number {
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

const round = (x: number) => Math.round(x * 10000) / 10000;

/** Runs the benchmark; returns build time, p50/p95/p99/max latency in ms and messages per second. */
export async function benchNlu(): Promise<Record<string, number>> {
  const messages = readFileSync(HELDOUT, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as { text: string; role: Role });

  const t0 = performance.now();
  const nlu = getNlu();
  const buildMs = performance.now() - t0;

  for (let r = 0; r < 5; r++) for (const m of messages) nlu.understand(m.text, m.role);

  const times = new Float64Array(messages.length * ROUNDS);
  let k = 0;
  const start = performance.now();
  for (let r = 0; r < ROUNDS; r++) {
    for (const m of messages) {
      const s = performance.now();
      nlu.understand(m.text, m.role);
      times[k++] = performance.now() - s;
    }
  }
  const total = performance.now() - start;
  times.sort();
  return {
    messages: messages.length,
    runs: times.length,
    buildMs: round(buildMs),
    p50Ms: round(percentile(times, 50)),
    p95Ms: round(percentile(times, 95)),
    p99Ms: round(percentile(times, 99)),
    maxMs: round(times[times.length - 1]!),
    messagesPerSecond: Math.round(times.length / (total / 1000)),
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  console.log(JSON.stringify(await benchNlu()));
}
