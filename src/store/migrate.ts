import { createHash, randomUUID } from 'node:crypto';
import { readdirSync, readFileSync, existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { repoRoot, sqliteFileFromUrl, isPostgresUrl } from './database-url.js';

/**
 * Applies the committed migrations (prisma/migrations for SQLite, prisma/postgres/migrations for PostgreSQL)
 * and records them in Prisma's own `_prisma_migrations` table, so `prisma migrate status` agrees with us.
 *
 * Why not `prisma migrate deploy`: on PostgreSQL the offline JS engine fails on it (prisma/orm#27403),
 * and running a CLI at start-up is slower than applying a few SQL files. SQLite and PostgreSQL share this one path.
 */
export interface MigrationResult {
  applied: string[];
  alreadyApplied: number;
}

interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

function migrationsDir(postgres: boolean): string {
  return postgres ? path.join(repoRoot, 'prisma', 'postgres', 'migrations') : path.join(repoRoot, 'prisma', 'migrations');
}

function readMigrations(dir: string): Migration[] {
  if (!existsSync(dir)) throw new Error(`No migrations folder at ${dir}`);
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(path.join(dir, d.name, 'migration.sql')))
    .map((d) => d.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(path.join(dir, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    });
}

function checkChecksums(migrations: Migration[], applied: Map<string, string>): void {
  for (const m of migrations) {
    const known = applied.get(m.name);
    if (known && known !== m.checksum) {
      throw new Error(`Migration ${m.name} was changed after it was applied; add a new migration instead of editing it.`);
    }
  }
}

function migrateSqlite(url: string, migrations: Migration[]): MigrationResult {
  const file = sqliteFileFromUrl(url);
  // A fresh clone has no data/ folder, and a configured DATABASE_URL may name a folder that does not exist yet.
  if (file !== ':memory:') mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('busy_timeout = 10000');
    db.exec(`CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
      "id" TEXT PRIMARY KEY NOT NULL, "checksum" TEXT NOT NULL, "finished_at" DATETIME,
      "migration_name" TEXT NOT NULL, "logs" TEXT, "rolled_back_at" DATETIME,
      "started_at" DATETIME NOT NULL DEFAULT current_timestamp, "applied_steps_count" INTEGER UNSIGNED NOT NULL DEFAULT 0)`);
    const applied: string[] = [];
    // IMMEDIATE takes the write lock first, so two processes starting together apply each migration once.
    const run = db.transaction(() => {
      const rows = db
        .prepare('SELECT migration_name, checksum FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL')
        .all() as { migration_name: string; checksum: string }[];
      const done = new Map(rows.map((r) => [r.migration_name, r.checksum]));
      checkChecksums(migrations, done);
      for (const m of migrations) {
        if (done.has(m.name)) continue;
        db.exec(m.sql);
        db.prepare(
          'INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, applied_steps_count) VALUES (?, ?, ?, ?, 1)',
        ).run(randomUUID(), m.checksum, Date.now(), m.name);
        applied.push(m.name);
      }
      return done.size;
    });
    const alreadyApplied = run.immediate();
    return { applied, alreadyApplied };
  } finally {
    db.close();
  }
}

async function migratePostgres(url: string, migrations: Migration[]): Promise<MigrationResult> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    // One advisory lock serialises concurrent starts across processes.
    await client.query('SELECT pg_advisory_lock(727274)');
    await client.query(`CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
      "id" VARCHAR(36) PRIMARY KEY NOT NULL, "checksum" VARCHAR(64) NOT NULL, "finished_at" TIMESTAMPTZ,
      "migration_name" VARCHAR(255) NOT NULL, "logs" TEXT, "rolled_back_at" TIMESTAMPTZ,
      "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(), "applied_steps_count" INTEGER NOT NULL DEFAULT 0)`);
    const { rows } = await client.query<{ migration_name: string; checksum: string }>(
      'SELECT migration_name, checksum FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL',
    );
    const done = new Map(rows.map((r) => [r.migration_name, r.checksum]));
    checkChecksums(migrations, done);
    const applied: string[] = [];
    for (const m of migrations) {
      if (done.has(m.name)) continue;
      await client.query('BEGIN');
      try {
        await client.query(m.sql);
        await client.query(
          'INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, applied_steps_count) VALUES ($1, $2, now(), $3, 1)',
          [randomUUID(), m.checksum, m.name],
        );
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK');
        throw err;
      }
      applied.push(m.name);
    }
    return { applied, alreadyApplied: done.size };
  } finally {
    await client.query('SELECT pg_advisory_unlock(727274)').catch(() => undefined);
    await client.end();
  }
}

/** Names of the committed migrations for this kind of database, in the order they apply. */
export function committedMigrationNames(postgres: boolean): string[] {
  return readMigrations(migrationsDir(postgres)).map((m) => m.name);
}

/** Brings the database named by `url` to the latest committed migration. Safe to call on every start. */
export async function migrate(url: string): Promise<MigrationResult> {
  const postgres = isPostgresUrl(url);
  const migrations = readMigrations(migrationsDir(postgres));
  return postgres ? migratePostgres(url, migrations) : migrateSqlite(url, migrations);
}
