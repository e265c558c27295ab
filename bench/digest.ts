/**
 * The counsellor digest on a large caseload: seeds once a SQLite file in .tmp/bench/ with BENCH_YOUTH extra youth
 * (default 10,000) spread over the demo counsellors, subscribes every counsellor, then measures in the same run
 * (BENCH_RUNS times each, p50):
 *  - the job's run (one notification queued per subscriber, in one transaction each);
 *  - rendering each digest from the store, for a counsellor and for a manager (their Mission locale);
 *  - the ceiling: the same scope's caseload lists the digest reuses, read directly (missions ending in 7 days,
 *    without contact for 30 days, twice), which the rendering cannot beat.
 * Prints JSON with the ratio render ÷ ceiling. Run alone: tsx bench/digest.ts.
 */
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { connect } from '../src/store/client.js';
import { migrate } from '../src/store/migrate.js';
import { seedDemo } from '../src/store/seed/demo.js';
import { syncContent } from '../src/store/seed/content.js';
import { bindStore } from '../src/store/index.js';
import { repoRoot } from '../src/store/database-url.js';
import { renderCounsellorDigest } from '../src/core/counsellor/digest.js';
import { scopeOf } from '../src/core/identity.js';
import { counsellorDigest } from '../src/delivery/scheduled-jobs.js';
import { DEFAULT_DAYS, endingWithin, noContactSince } from '../src/core/counsellor/definitions.js';

const YOUTH = Number(process.env.BENCH_YOUTH ?? 10_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 10);
const DAY = 86_400_000;

const p50 = (xs: number[]) => +[...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!.toFixed(2);
async function time(fn: () => Promise<unknown>): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    await fn();
    samples.push(performance.now() - t);
  }
  return p50(samples);
}

const dir = path.join(repoRoot, '.tmp', 'bench');
mkdirSync(dir, { recursive: true });
const file = path.join(dir, `digest-${YOUTH}.db`);
const url = `file:${file}`;
const fresh = !existsSync(file);
await migrate(url);
const c = connect(url);
const now = new Date();
if (fresh) {
  await syncContent(c.db);
  await seedDemo(c.db, { now, extraYouth: YOUTH });
}
const store = bindStore(c.db);
const counsellors = await c.db.counsellor.findMany({ where: { active: true }, select: { id: true, role: true, missionLocaleId: true } });
const since = new Date(now.getTime() - DAY);
await c.db.counsellor.updateMany({ data: { digestOptInAt: since, lastDigestAt: null } });

const job = counsellorDigest(store);
const jobMs = await time(async () => {
  await c.db.notification.deleteMany({ where: { kind: 'counsellor_digest' } });
  await job.run(now);
});

const out: Record<string, unknown> = { youth: await c.db.youth.count(), counsellors: counsellors.length, runs: RUNS, jobRunMs: jobMs };
for (const role of ['counsellor', 'manager'] as const) {
  const who = counsellors.find((x) => x.role === role)!;
  const scope = scopeOf(who);
  const payload = { kind: 'counsellor_digest' as const, counsellorId: who.id, day: now.toISOString().slice(0, 10), since: since.toISOString(), until: now.toISOString() };
  const rendered = await renderCounsellorDigest(store, payload);
  const renderMs = await time(() => renderCounsellorDigest(store, payload));
  const ceilingMs = await time(() =>
    Promise.all([store.caseload.missionsEndingSoon(scope, endingWithin(now, DEFAULT_DAYS.ending_soon), now), store.caseload.youthWithoutContact(scope, noContactSince(now, DEFAULT_DAYS.without_contact), now), store.caseload.youthWithoutContact(scope, noContactSince(since, DEFAULT_DAYS.without_contact), since)]),
  );
  const followed = await c.db.youth.count({ where: { ...scope, status: { not: 'exited' }, anonymizedAt: null } });
  out[role] = { followed, lines: rendered?.lines ?? 0, renderMs, ceilingMs, ratio: +(renderMs / ceilingMs).toFixed(2) };
}
console.log(JSON.stringify(out));
await c.close();
