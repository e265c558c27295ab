import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import Database from 'better-sqlite3';
import { describe, it, expect, beforeAll, afterAll, inject } from 'vitest';
import { databaseFactories, type TestDatabase } from '../helpers/db.js';
import { migrate } from '../../src/store/migrate.js';
import { connect, type Db, type StoreConnection } from '../../src/store/client.js';
import { seedDemo } from '../../src/store/seed/demo.js';
import { syncContent } from '../../src/store/seed/content.js';
import { openStore } from '../../src/store/bootstrap.js';
import { bindStore, isUnavailable } from '../../src/store/index.js';
import { isUniqueViolation } from '../../src/store/errors.js';
import { loadFaq, loadSupportCatalogue } from '../../src/content/load.js';
import { repoRoot } from '../../src/store/database-url.js';

/** The committed migrations, in order (both databases have the same names). */
const MIGRATIONS = readdirSync(path.join(repoRoot, 'prisma', 'migrations'), { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();
const INIT = MIGRATIONS[0]!;

/** Throwaway empty databases of one kind, dropped at the end. */
class EmptyDatabases {
  private readonly dir = mkdtempSync(path.join(tmpdir(), 'mj-store-migrate-'));
  private readonly pgNames: string[] = [];
  constructor(private readonly kind: 'sqlite' | 'postgresql') {}

  async create(): Promise<string> {
    if (this.kind === 'sqlite') return `file:${path.join(this.dir, `${randomUUID()}.db`)}`;
    const adminUrl = inject('pgAdminUrl');
    // The run's prefix: the global teardown drops whatever a crashed run leaves behind.
    const name = `${inject('pgPrefix')}_e${randomUUID().replace(/-/g, '').slice(0, 12)}`;
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${name}"`);
    await admin.end();
    this.pgNames.push(name);
    return adminUrl.replace(/\/[^/]*$/, `/${name}`);
  }

  async dropAll(): Promise<void> {
    rmSync(this.dir, { recursive: true, force: true });
    if (this.pgNames.length === 0) return;
    const admin = new pg.Client({ connectionString: inject('pgAdminUrl') });
    await admin.connect();
    for (const name of this.pgNames) await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
  }
}

/** Runs SQL on the database at `url` outside Prisma. */
async function sql<T = Record<string, unknown>>(url: string, text: string, params: unknown[] = []): Promise<T[]> {
  if (url.startsWith('file:')) {
    const db = new Database(url.slice('file:'.length));
    try {
      const stmt = db.prepare(text);
      return (stmt.reader ? stmt.all(...params) : (stmt.run(...params), [])) as T[];
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text.replace(/\?/g, (_m, i: number) => `$${text.slice(0, i).split('?').length}`), params)).rows as T[];
  } finally {
    await client.end();
  }
}

function omit<T extends Record<string, unknown>>(rows: T[], keys: string[]): Record<string, unknown>[] {
  return rows.map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => !keys.includes(k))));
}

/** The demo's rows, without primary keys and the columns the database fills with the current time. */
async function dump(db: Db) {
  const byId = { orderBy: { id: 'asc' as const } };
  return {
    missionLocales: omit(await db.missionLocale.findMany(byId), ['id', 'createdAt']),
    counsellors: omit(await db.counsellor.findMany(byId), ['id', 'createdAt']),
    agencies: omit(await db.agency.findMany(byId), ['id', 'createdAt']),
    conventions: omit(await db.agencyConvention.findMany(byId), ['id']),
    // Open missions get a createdAt relative to `now`; the seed's past (filled) missions take the database default.
    missions: omit(await db.mission.findMany(byId), ['id', 'updatedAt']).map((m) => (m.status === 'open' ? m : omit([m], ['createdAt'])[0]!)),
    youth: omit(await db.youth.findMany(byId), ['id', 'createdAt', 'updatedAt']),
    placements: omit(await db.placement.findMany(byId), ['id']),
    interactions: omit(await db.interaction.findMany(byId), ['id']),
    barriers: omit(await db.barrier.findMany(byId), ['id', 'updatedAt']),
    applications: omit(await db.application.findMany(byId), ['id', 'updatedAt']),
    requests: omit(await db.youthRequest.findMany(byId), ['id']),
    appointments: omit(await db.appointment.findMany(byId), ['id']),
  };
}

describe.each(databaseFactories)('migrations and demo seed on %s', (kind, open) => {
  let db: TestDatabase;
  let empties: EmptyDatabases;
  const connections: StoreConnection[] = [];
  const track = (c: StoreConnection) => (connections.push(c), c);

  beforeAll(async () => {
    db = await open();
    empties = new EmptyDatabases(kind);
  });
  afterAll(async () => {
    for (const c of connections) await c.close().catch(() => undefined);
    await db?.close();
    await empties?.dropAll();
  });

  it('migrate applies the migrations once; a second run is a no-op', async () => {
    const url = await empties.create();
    const first = await migrate(url);
    expect(first).toEqual({ applied: MIGRATIONS, alreadyApplied: 0 });
    const second = await migrate(url);
    expect(second).toEqual({ applied: [], alreadyApplied: MIGRATIONS.length });
    const rows = await sql<{ migration_name: string; checksum: string }>(url, 'SELECT migration_name, checksum FROM "_prisma_migrations"');
    expect(rows.map((r) => r.migration_name).sort()).toEqual(MIGRATIONS);
    expect(rows[0]!.checksum).toMatch(/^[a-f0-9]{64}$/);
    const c = track(connect(url));
    expect(await c.db.youth.count()).toBe(0);
    expect(await c.db.mission.count()).toBe(0);
  });

  it('migrate on the seeded database applies nothing and keeps the data', async () => {
    const before = await db.connection.db.youth.count();
    expect(before).toBe(66);
    expect(await migrate(db.url)).toEqual({ applied: [], alreadyApplied: MIGRATIONS.length });
    expect(await db.connection.db.youth.count()).toBe(before);
    expect(await db.connection.db.mission.count({ where: { status: 'open' } })).toBe(420);
  });

  it('migrate refuses a migration whose checksum changed after it was applied', async () => {
    const url = await empties.create();
    await migrate(url);
    const [{ checksum }] = (await sql<{ checksum: string }>(url, 'SELECT checksum FROM "_prisma_migrations" WHERE migration_name = ?', [INIT])) as [{ checksum: string }];
    await sql(url, 'UPDATE "_prisma_migrations" SET checksum = ? WHERE migration_name = ?', ['0'.repeat(64), INIT]);
    await expect(migrate(url)).rejects.toThrow(new RegExp(`${INIT} was changed after it was applied`));
    expect(await sql(url, 'SELECT * FROM "_prisma_migrations"')).toHaveLength(MIGRATIONS.length);
    await sql(url, 'UPDATE "_prisma_migrations" SET checksum = ? WHERE migration_name = ?', [checksum, INIT]);
    expect(await migrate(url)).toEqual({ applied: [], alreadyApplied: MIGRATIONS.length });
  });

  it('seedDemo is deterministic for a seed and a now, and differs for another seed', async () => {
    const now = new Date('2026-03-02T10:00:00Z');
    const seeded: { dump: Awaited<ReturnType<typeof dump>>; millis: number }[] = [];
    // PostgreSQL seeds take a few seconds each: there, two runs with the same seed (plus openStore below).
    for (const seed of kind === 'sqlite' ? [7, 7, 8] : [7, 7]) {
      const url = await empties.create();
      await migrate(url);
      const c = track(connect(url));
      const started = Date.now();
      const summary = await seedDemo(c.db, { now, seed });
      const millis = Date.now() - started;
      expect(summary).toMatchObject({ missionLocales: 3, counsellors: 6, agencies: 12, youth: 66, openMissions: 420 });
      expect(summary.placements).toBe(await c.db.placement.count());
      seeded.push({ dump: await dump(c.db), millis });
    }
    const [a, b, other] = seeded as [(typeof seeded)[0], (typeof seeded)[0], (typeof seeded)[0] | undefined];
    expect(a.dump.youth).toHaveLength(66);
    expect(a.dump.missions.length).toBeGreaterThan(420);
    expect(b.dump).toEqual(a.dump);
    if (other) {
      expect(other.dump.missions).not.toEqual(a.dump.missions);
      expect(other.dump.youth).not.toEqual(a.dump.youth);
      // The fixed people do not depend on the random seed.
      expect(other.dump.counsellors).toEqual(a.dump.counsellors);
    }
  });

  it('openStore on an empty database migrates, syncs the content and seeds the demo once', async () => {
    const url = await empties.create();
    const first = await openStore({ url, seedIfEmpty: true, now: db.now });
    track(first.connection);
    expect(first.migrationsApplied).toEqual(MIGRATIONS);
    expect(first.seeded).toMatchObject({ missionLocales: 3, youth: 66, openMissions: 420 });
    expect(await first.connection.db.faqEntry.count()).toBe(loadFaq().length);
    expect(await first.connection.db.supportMeasure.count()).toBe(loadSupportCatalogue().length);
    // Same now and default seed as the test template: the same demo.
    expect(await dump(first.connection.db)).toEqual(await dump(db.connection.db));
    expect(await first.store.ping()).toBe(true);

    const second = await openStore({ url, seedIfEmpty: true, now: db.now });
    track(second.connection);
    expect(second.migrationsApplied).toEqual([]);
    expect(second.seeded).toBeNull();
    expect(await second.connection.db.youth.count()).toBe(66);
    // Unchanged content: nothing is written at the next start.
    expect(await syncContent(second.connection.db)).toEqual({ faq: loadFaq().length, measures: loadSupportCatalogue().length, written: 0 });
    expect(await second.connection.db.faqEntry.count()).toBe(loadFaq().length);
    // A row edited in the database, a measure whose rules changed and a stray entry: the files win, only those are written.
    const [firstFaq] = loadFaq();
    const [firstMeasure] = loadSupportCatalogue();
    await second.connection.db.faqEntry.update({ where: { key: firstFaq!.key }, data: { answer: 'edited by hand' } });
    await second.connection.db.supportMeasure.update({ where: { key: firstMeasure!.key }, data: { eligibility: [] } });
    await second.connection.db.faqEntry.create({ data: { ...firstFaq!, key: 'stray', lastVerifiedAt: new Date() } });
    expect(await syncContent(second.connection.db)).toMatchObject({ written: 3 });
    expect((await second.connection.db.faqEntry.findUnique({ where: { key: firstFaq!.key } }))?.answer).toBe(firstFaq!.answer);
    expect((await second.connection.db.supportMeasure.findUnique({ where: { key: firstMeasure!.key } }))?.eligibility).toEqual(firstMeasure!.eligibility);
    expect(await second.connection.db.faqEntry.count({ where: { key: 'stray' } })).toBe(0);
    expect(await syncContent(second.connection.db)).toMatchObject({ written: 0 });
  });
});

describe('store availability', () => {
  it('an unreachable PostgreSQL answers ping false and its errors read as unavailable', async () => {
    const c = connect('postgresql://postgres@127.0.0.1:1/nowhere');
    try {
      expect(await bindStore(c.db).ping()).toBe(false);
      const err = await c.db.youth.count().then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).not.toBeNull();
      expect(isUnavailable(err)).toBe(true);
      expect(isUniqueViolation(err)).toBe(false);
    } finally {
      await c.close().catch(() => undefined);
    }
  });
});
