import { copyFileSync } from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { connect, type StoreConnection } from '../../src/store/client.js';
import { bindStore, type Store } from '../../src/store/index.js';

/** A private copy of the seeded demo database for one test file. */
export interface TestDatabase {
  kind: 'sqlite' | 'postgresql';
  url: string;
  store: Store;
  connection: StoreConnection;
  /** The fixed "now" the demo was seeded with; pass it to the core's clock. */
  now: Date;
  close(): Promise<void>;
}

export function testNow(): Date {
  return new Date(inject('testNow'));
}

/** A fresh SQLite file copied from the seeded template. */
export async function sqliteTestDatabase(): Promise<TestDatabase> {
  const template = inject('sqliteTemplate');
  const file = path.join(path.dirname(template), `t-${randomUUID()}.db`);
  copyFileSync(template, file);
  const url = `file:${file}`;
  const connection = connect(url);
  return { kind: 'sqlite', url, connection, store: bindStore(connection.db), now: testNow(), close: () => connection.close() };
}

/** A fresh PostgreSQL database created from the seeded template database. */
export async function postgresTestDatabase(): Promise<TestDatabase> {
  const adminUrl = inject('pgAdminUrl');
  const name = `${inject('pgPrefix')}_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${inject('pgTemplate')}"`);
  await admin.end();
  const url = adminUrl.replace(/\/[^/]*$/, `/${name}`);
  const connection = connect(url);
  return {
    kind: 'postgresql',
    url,
    connection,
    store: bindStore(connection.db),
    now: testNow(),
    async close() {
      await connection.close();
      const a = new pg.Client({ connectionString: adminUrl });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await a.end();
    },
  };
}

/** Both real databases, for suites that must pass on each. */
export const databaseFactories = [
  ['sqlite', sqliteTestDatabase],
  ['postgresql', postgresTestDatabase],
] as const;
