/**
 * Database chores on the configured DATABASE_URL (the SQLite file under data/ by default):
 *   npm run db:migrate                        apply committed migrations
 *   npm run db:seed -- [--missions N] [--youth N]   seed the demo into an empty database (N extra youth for benchmarks)
 *   npm run db:reset                          delete the SQLite file (or empty the PostgreSQL schema), migrate and seed again
 */
import { rmSync, existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { loadConfig } from '../src/config.js';
import { connect } from '../src/store/client.js';
import { migrate } from '../src/store/migrate.js';
import { isPostgresUrl, sqliteFileFromUrl } from '../src/store/database-url.js';
import { seedDemo } from '../src/store/seed/demo.js';
import { syncContent } from '../src/store/seed/content.js';

const [command = 'migrate', ...rest] = process.argv.slice(2);
const { values } = parseArgs({ args: rest, options: { missions: { type: 'string' }, youth: { type: 'string' } } });
const url = loadConfig().DATABASE_URL;

async function reset() {
  if (isPostgresUrl(url)) {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    await c.query('DROP SCHEMA public CASCADE; CREATE SCHEMA public;');
    await c.end();
  } else {
    const file = sqliteFileFromUrl(url);
    for (const f of [file, `${file}-wal`, `${file}-shm`]) if (existsSync(f)) rmSync(f);
  }
}

async function seed() {
  const c = connect(url);
  try {
    if ((await c.db.missionLocale.count()) > 0) {
      console.log('The database already has data: run npm run db:reset first.');
      return;
    }
    await syncContent(c.db);
    const summary = await seedDemo(c.db, {
      ...(values.missions ? { missions: Number(values.missions) } : {}),
      ...(values.youth ? { extraYouth: Number(values.youth) } : {}),
    });
    console.log(JSON.stringify(summary));
  } finally {
    await c.close();
  }
}

if (command === 'reset') await reset();
const { applied } = await migrate(url);
console.log(applied.length ? `migrations applied: ${applied.join(', ')}` : 'migrations: up to date');
if (command === 'seed' || command === 'reset') await seed();
