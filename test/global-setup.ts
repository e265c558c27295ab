import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { migrate } from '../src/store/migrate.js';
import { connect } from '../src/store/client.js';
import { seedDemo } from '../src/store/seed/demo.js';
import { syncContent } from '../src/store/seed/content.js';
import { repoRoot } from '../src/store/database-url.js';

export const PG_ADMIN_URL = process.env.TEST_PG_ADMIN_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
/** Runs of the suite may overlap on one machine (several terminals): each run has its own files and databases. */
const RUN = `mj_t${process.pid}`;
const TEMPLATE_DB = `${RUN}_template`;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Seeds the demo once into a SQLite template file and a PostgreSQL template database;
 * each test file then copies the template (fast) instead of seeding again.
 * The seed's "now" is fixed for the run and handed to tests, so day boundaries never make a test flaky.
 */
export default async function setup(project: TestProject) {
  const now = new Date();
  now.setUTCHours(10, 0, 0, 0);
  const root = path.join(repoRoot, '.tmp', 'test-db');
  mkdirSync(root, { recursive: true });
  for (const d of readdirSync(root)) {
    const pid = /^(\d+)$/.exec(d)?.[1];
    if (pid && !alive(Number(pid))) rmSync(path.join(root, d), { recursive: true, force: true });
  }
  const dir = path.join(root, String(process.pid));
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const sqliteTemplate = path.join(dir, 'template.db');

  await migrate(`file:${sqliteTemplate}`);
  const sqlite = connect(`file:${sqliteTemplate}`);
  await syncContent(sqlite.db);
  await seedDemo(sqlite.db, { now });
  await sqlite.db.$executeRawUnsafe('PRAGMA wal_checkpoint(TRUNCATE)');
  await sqlite.close();

  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  try {
    await admin.connect();
  } catch (err) {
    throw new Error(`PostgreSQL is not reachable at ${PG_ADMIN_URL}: start it (see .ci/run). ${(err as Error).message}`);
  }
  const stale = await admin.query<{ datname: string }>("SELECT datname FROM pg_database WHERE datname ~ '^mj_t[0-9]+_'");
  for (const { datname } of stale.rows) {
    const pid = Number(/^mj_t(\d+)_/.exec(datname)?.[1]);
    if (pid === process.pid || !alive(pid)) await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
  }
  await admin.query(`CREATE DATABASE "${TEMPLATE_DB}"`);
  await admin.end();
  const templateUrl = PG_ADMIN_URL.replace(/\/[^/]*$/, `/${TEMPLATE_DB}`);
  await migrate(templateUrl);
  const postgres = connect(templateUrl);
  await syncContent(postgres.db);
  await seedDemo(postgres.db, { now });
  await postgres.close();

  project.provide('testNow', now.toISOString());
  project.provide('sqliteTemplate', sqliteTemplate);
  project.provide('pgTemplate', TEMPLATE_DB);
  project.provide('pgPrefix', RUN);
  project.provide('pgAdminUrl', PG_ADMIN_URL);

  return async function teardown() {
    const a = new pg.Client({ connectionString: PG_ADMIN_URL });
    await a.connect();
    const mine = await a.query<{ datname: string }>('SELECT datname FROM pg_database WHERE datname LIKE $1', [`${RUN}_%`]);
    for (const { datname } of mine.rows) await a.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    await a.end();
    rmSync(dir, { recursive: true, force: true });
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    testNow: string;
    sqliteTemplate: string;
    pgTemplate: string;
    pgPrefix: string;
    pgAdminUrl: string;
  }
}
