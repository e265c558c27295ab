import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, sqliteFileFromUrl } from '../../src/store/database-url.js';
import { sqliteTestDatabase, type TestDatabase } from '../helpers/db.js';
import type { TcpProxy } from '../helpers/tcp-proxy.js';
import { deliverLikeTelegram, keptRepliesResent, runTraffic, startTrafficApp, startTrafficAppThroughProxy, turnsPerEvent, userUpdate, type TrafficResult } from './helpers/traffic.js';

/**
 * Faults under traffic, through the real webhook: the PostgreSQL connection cut for 20 s (a TCP proxy the test
 * controls), the SQLite file locked by another process, and concurrent redeliveries of the same updates.
 * Every update must be answered in the end, nothing half-written, nothing answered twice.
 */
const CUT_SECONDS = Number(process.env.RELIABILITY_CUT_SECONDS ?? 20);
const USERS = Number(process.env.RELIABILITY_USERS ?? 24);
const PER_USER = Number(process.env.RELIABILITY_UPDATES_PER_USER ?? 8);
const LINKED = 8;

/** Links the first `LINKED` chats to demo youth without a Telegram account; returns chat -> youth id. */
async function linkYouth(db: TestDatabase, chats: number[]): Promise<Map<number, number>> {
  const youth = await db.connection.db.youth.findMany({ where: { telegramUserId: null, anonymizedAt: null }, take: LINKED, orderBy: { id: 'asc' }, select: { id: true } });
  const linked = new Map<number, number>();
  for (const [i, y] of youth.entries()) {
    await db.store.youth.linkTelegram(y.id, String(chats[i]), String(chats[i]));
    linked.set(chats[i]!, y.id);
  }
  return linked;
}

/** "Tell my counsellor" audit events per linked youth, before the traffic. */
async function auditCounts(db: TestDatabase, linked: Map<number, number>): Promise<Map<number, number>> {
  const out = new Map<number, number>();
  for (const youthId of linked.values()) out.set(youthId, await db.connection.db.auditEvent.count({ where: { youthId, action: 'record_barrier' } }));
  return out;
}

/** The checks common to every fault: answered in the end, each turn committed once, each press written whole. */
async function expectConsistent(db: TestDatabase, result: TrafficResult, logs: string[], linked: Map<number, number>, auditsBefore: Map<number, number>, label: string) {
  const failedAtLeastOnce = result.updates.filter((u) => u.statuses.some((s) => s !== 200)).length;
  const notAnswered = result.updates.filter((u) => u.statuses.at(-1) !== 200);
  const turns = turnsPerEvent(logs);
  const twice = result.updates.filter((u) => (turns.get(String(u.updateId)) ?? 0) > 1);
  const resent = keptRepliesResent(logs);
  const never = result.updates.filter((u) => (turns.get(String(u.updateId)) ?? 0) === 0 && !resent.has(String(u.updateId)));
  const dropped = logs.filter((l) => l.includes('update dropped after repeated passing failures')).length;
  const p = db.connection.db;
  const halfWritten: string[] = [];
  for (const [chatId, youthId] of linked) {
    const presses = result.updates.filter((u) => u.chatId === chatId && u.press).length;
    const audits = (await p.auditEvent.count({ where: { youthId, action: 'record_barrier' } })) - (auditsBefore.get(youthId) ?? 0);
    const requests = await p.youthRequest.findMany({ where: { youthId, kind: 'barrier' }, select: { id: true } });
    const notified = await p.notification.count({ where: { youthId, kind: 'youth_request', dedupeKey: { in: requests.map((r) => `youth_request:${r.id}`) } } });
    if (audits !== presses) halfWritten.push(`youth ${youthId}: ${presses} presses, ${audits} audits`);
    if (notified !== requests.length) halfWritten.push(`youth ${youthId}: ${requests.length} requests, ${notified} notifications`);
  }
  console.log(
    `[reliability] ${label}: ${result.updates.length} updates in ${result.seconds.toFixed(1)} s, ${failedAtLeastOnce} redelivered at least once, ` +
      `${notAnswered.length} never answered 200, ${dropped} dropped, ${never.length} never committed, ${resent.size} kept replies sent by a redelivery, ${twice.length} committed twice, ${halfWritten.length} half-written files`,
  );
  expect(notAnswered).toEqual([]);
  expect(dropped).toBe(0);
  expect(never.map((u) => u.updateId)).toEqual([]);
  expect(twice.map((u) => u.updateId)).toEqual([]);
  expect(halfWritten).toEqual([]);
  return { failedAtLeastOnce };
}

describe('PostgreSQL cut mid-traffic', () => {
  let db: TestDatabase;
  let proxy: TcpProxy;
  let traffic: Awaited<ReturnType<typeof startTrafficApp>>;
  let close: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    ({ db, proxy, traffic, close } = await startTrafficAppThroughProxy());
  });
  afterAll(async () => close?.());

  it(`the database cut for ${CUT_SECONDS} s: every update answered in the end, once, nothing half-written`, async () => {
    const chats = Array.from({ length: USERS }, (_, i) => 8_100_000 + i);
    const linked = await linkYouth(db, chats);
    const auditsBefore = await auditCounts(db, linked);
    const run = runTraffic(traffic.app, chats, new Set(linked.keys()), PER_USER);
    await sleep(2_000);
    proxy.cut();
    await sleep(CUT_SECONDS * 1_000);
    proxy.restore();
    const result = await run;
    const { failedAtLeastOnce } = await expectConsistent(db, result, traffic.logs.lines, linked, auditsBefore, `PostgreSQL cut ${CUT_SECONDS} s`);
    expect(failedAtLeastOnce).toBeGreaterThan(0);
  });

  it('concurrent redeliveries of the same updates are each applied once', async () => {
    const chats = Array.from({ length: 12 }, (_, i) => 8_200_000 + i);
    const updates = chats.flatMap((c) => [0, 1, 2].map((s) => userUpdate(c, s, false).update));
    const before = traffic.logs.lines.length;
    const answers = await Promise.all(updates.flatMap((u) => [0, 1, 2].map(() => deliverLikeTelegram(traffic.app, u))));
    const turns = turnsPerEvent(traffic.logs.lines.slice(before));
    const applied = updates.map((u) => turns.get(String(u.update_id)) ?? 0);
    console.log(`[reliability] concurrent redeliveries: ${updates.length} updates × 3 deliveries, applied ${applied.reduce((a, b) => a + b, 0)} times`);
    expect(answers.every((s) => s.at(-1) === 200)).toBe(true);
    expect(applied.every((n) => n === 1)).toBe(true);
    const replies = chats.map((c) => traffic.api.messagesTo(c).filter((m) => m.method === 'sendMessage').length);
    expect(replies.every((n) => n >= 3)).toBe(true);
  });
});

describe('SQLite locked by another process mid-traffic', () => {
  let db: TestDatabase;
  let traffic: Awaited<ReturnType<typeof startTrafficApp>>;
  beforeAll(async () => {
    db = await sqliteTestDatabase();
    traffic = await startTrafficApp({ store: db.store, connection: db.connection }, db.now);
  });
  afterAll(async () => {
    await traffic?.stop();
    await db?.close();
  });

  /** Another process takes the write lock `times` times for `ms` each, as a backup or `npm run purge` would. */
  function lockRepeatedly(file: string, times: number, ms: number): Promise<void> {
    const script = `
      const Database = require('better-sqlite3');
      const db = new Database(process.argv[1]);
      let left = Number(process.argv[2]);
      const hold = () => { db.exec('BEGIN IMMEDIATE'); setTimeout(() => { db.exec('ROLLBACK'); if (--left > 0) setTimeout(hold, 1500); else db.close(); }, Number(process.argv[3])); };
      hold();
    `;
    const child = spawn(process.execPath, ['-e', script, file, String(times), String(ms)], { cwd: repoRoot, stdio: 'inherit' });
    return new Promise((resolve, reject) => child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`locker exited ${code}`)))));
  }

  it('every update answered in the end, once, nothing half-written; /healthz kept answering', async () => {
    const chats = Array.from({ length: USERS }, (_, i) => 8_300_000 + i);
    const linked = await linkYouth(db, chats);
    const auditsBefore = await auditCounts(db, linked);
    const run = runTraffic(traffic.app, chats, new Set(linked.keys()), PER_USER);
    await sleep(1_500);
    const locking = lockRepeatedly(sqliteFileFromUrl(db.url), 3, 4_000);
    const health: number[] = [];
    let locked = true;
    void locking.finally(() => (locked = false));
    while (locked) {
      const res = await fetch(`${traffic.app.url}/healthz`);
      health.push(res.status);
      await res.arrayBuffer();
      await sleep(500);
    }
    const result = await run;
    await expectConsistent(db, result, traffic.logs.lines, linked, auditsBefore, 'SQLite locked 3 × 4 s');
    console.log(`[reliability] /healthz answered ${health.length} times while locked: ${JSON.stringify([...new Set(health)])}`);
    expect(health.length).toBeGreaterThanOrEqual(8);
    expect(health.every((s) => s === 200)).toBe(true);
  });
});
