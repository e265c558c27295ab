import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type App } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/shared/logger.js';
import { connect } from '../../src/store/client.js';
import { bindStore } from '../../src/store/index.js';
import { committedMigrationNames } from '../../src/store/migrate.js';
import { sqliteTestDatabase, type TestDatabase } from '../helpers/db.js';
import { recordDelivery, recordJobRun, setQueueDepth } from '../../src/shared/metrics.js';

const config = loadConfig({ PORT: '0', NOTIFY_INTERVAL_MS: '3600000', LOG_LEVEL: 'silent' });
const log = createLogger('silent');

describe('/readyz and /metrics on a migrated database', () => {
  let db: TestDatabase;
  let app: App;
  beforeAll(async () => {
    db = await sqliteTestDatabase();
    app = await startApp({ config, log, now: () => db.now, opened: { store: db.store, connection: db.connection } });
  });
  afterAll(async () => {
    await app.stop();
  });

  it('is ready when the database answers and every committed migration is applied', async () => {
    const res = await fetch(`${app.url}/readyz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ready' });
  });

  it('counts turns by channel, intent and outcome, and times them, in the Prometheus format', async () => {
    const event = (n: number, text: string) => ({ channel: 'terminal' as const, channelUserId: 'metrics-user', channelConversationId: 'c', text, receivedAt: db.now, eventId: `metrics-${n}` });
    await app.assistant.handle(event(1, 'bonjour'));
    await app.assistant.handle(event(2, 'je cherche une mission de cariste à Lyon'));
    await app.assistant.handle(event(2, 'je cherche une mission de cariste à Lyon')); // a redelivery
    const res = await fetch(`${app.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const body = await res.text();
    expect(body).toMatch(/^mj_turns_total\{channel="terminal",intent="greeting",outcome="answered"\} 1$/m);
    expect(body).toMatch(/^mj_turns_total\{channel="terminal",intent="search_missions",outcome="answered"\} 1$/m);
    expect(body).toMatch(/^mj_turns_total\{channel="terminal",intent="duplicate",outcome="duplicate"\} 1$/m);
    expect(body).toMatch(/^mj_turn_duration_seconds_count\{channel="terminal"\} 3$/m);
    expect(body).toMatch(/^# TYPE mj_deliveries_total counter$/m);
    expect(body).toMatch(/^# TYPE mj_queue_depth gauge$/m);
    expect(body).toMatch(/^# TYPE mj_job_runs_total counter$/m);
    expect(body).toMatch(/^mj_process_resident_memory_bytes \d+/m);
    // Labels carry names of intents, never what the user wrote.
    expect(body).not.toMatch(/cariste|Lyon/);
    // The first turn builds the NLU (about a second alone, much more on a loaded machine).
  }, 120_000);
});

describe('the recording functions the delivery engine and the jobs call', () => {
  it('show deliveries by state, queue depths and job runs on /metrics', async () => {
    const db = await sqliteTestDatabase();
    const app = await startApp({ config, log, opened: { store: db.store, connection: db.connection } });
    try {
      recordDelivery('telegram', 'sent', 3);
      recordDelivery('telegram', 'unreachable');
      recordDelivery('teams', 'retry', 0); // nothing to count: no series
      setQueueDepth('notifications', 7);
      setQueueDepth('notifications', 4);
      recordJobRun('reminders', 'ok', 0.2);
      recordJobRun('reminders', 'error', 1.5);
      const body = await (await fetch(`${app.url}/metrics`)).text();
      expect(body).toMatch(/^mj_deliveries_total\{channel="telegram",state="sent"\} 3$/m);
      expect(body).toMatch(/^mj_deliveries_total\{channel="telegram",state="unreachable"\} 1$/m);
      expect(body).not.toMatch(/mj_deliveries_total\{channel="teams"/);
      expect(body).toMatch(/^mj_queue_depth\{queue="notifications"\} 4$/m);
      expect(body).toMatch(/^mj_job_runs_total\{job="reminders",outcome="ok"\} 1$/m);
      expect(body).toMatch(/^mj_job_runs_total\{job="reminders",outcome="error"\} 1$/m);
      expect(body).toMatch(/^mj_job_duration_seconds_sum\{job="reminders"\} 1\.7$/m);
    } finally {
      await app.stop();
    }
  });
});

describe('/readyz when not ready', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mj-ready-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('answers 503 "migrations pending" on a reachable database that was never migrated', async () => {
    const empty = connect(`file:${path.join(dir, 'empty.db')}`);
    const app = await startApp({ config, log, opened: { store: bindStore(empty.db), connection: empty } });
    try {
      const res = await fetch(`${app.url}/readyz`);
      expect(res.status).toBe(503);
      expect(await res.json()).toEqual({ status: 'not ready', reason: 'migrations pending', pending: committedMigrationNames(false).length });
    } finally {
      await app.stop();
    }
  });

  it('answers 503 "database unreachable" when the database is down', async () => {
    const dead = connect('postgresql://postgres@127.0.0.1:1/nothing');
    const app = await startApp({ config, log, opened: { store: bindStore(dead.db), connection: dead } });
    try {
      const res = await fetch(`${app.url}/readyz`);
      expect(res.status).toBe(503);
      expect(await res.json()).toEqual({ status: 'not ready', reason: 'database unreachable' });
    } finally {
      await app.stop();
    }
  });
});
