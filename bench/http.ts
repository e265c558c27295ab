/**
 * HTTP round trip of the Teams endpoint: the real service (teams-ai adapter, core, SQLite demo database) in this
 * process, a counsellor's typed requests POSTed to /api/messages with deliveryMode "expectReplies" (the replies
 * come back in the HTTP response). Run: tsx bench/http.ts, or as part of npm run bench.
 */
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/shared/logger.js';
import { startApp } from '../src/app.js';
import { openStore } from '../src/store/bootstrap.js';
import { repoRoot } from '../src/store/database-url.js';
import { createTeamsChannel } from '../bots/teams/index.js';

const SOPHIE = '00000000-0000-4000-8000-000000000001';

function percentiles(samples: number[]) {
  const s = [...samples].sort((a, b) => a - b);
  const at = (p: number) => +s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!.toFixed(2);
  return { n: s.length, p50: at(50), p95: at(95), p99: at(99), max: at(100) };
}

export async function benchHttp(runs = 100): Promise<Record<string, unknown>> {
  const dir = path.join(repoRoot, '.tmp', 'bench');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `http-${process.pid}.db`);
  const opened = await openStore({ url: `file:${file}`, seedIfEmpty: true });
  const config = loadConfig({ PORT: '0', LOG_LEVEL: 'silent', RATE_LIMIT_PER_MINUTE: '10000', NOTIFY_INTERVAL_MS: '3600000' });
  const app = await startApp({ config, log: createLogger('silent'), channels: [createTeamsChannel], opened });
  let n = 0;
  const send = async (text: string) => {
    const res = await fetch(`${app.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        type: 'message',
        id: `bench-${++n}`,
        channelId: 'msteams',
        serviceUrl: app.url,
        deliveryMode: 'expectReplies',
        from: { id: `29:${SOPHIE}`, aadObjectId: SOPHIE },
        recipient: { id: '28:bot' },
        conversation: { id: `a:bench-${SOPHIE}`, conversationType: 'personal', tenantId: 't' },
        text,
      }),
    });
    if (res.status !== 200) throw new Error(`HTTP ${res.status}`);
    await res.json();
  };
  const result: Record<string, unknown> = {};
  try {
    for (const [name, text] of [
      ['overview', 'mon portefeuille'],
      ['withoutMission', 'jeunes sans mission depuis 45 jours'],
      ['youthFile', 'fiche de Léa Martin'],
    ] as const) {
      await send(text);
      const samples: number[] = [];
      for (let i = 0; i < runs; i++) {
        const t = performance.now();
        await send(text);
        samples.push(performance.now() - t);
      }
      result[name] = percentiles(samples);
    }
  } finally {
    await app.stop();
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
  }
  return { teamsPostMs: result };
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(JSON.stringify(await benchHttp(), null, 2));
