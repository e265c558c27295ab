import path from 'node:path';
import { defineConfig } from 'prisma/config';
import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import { defaultDatabaseUrl, isPostgresUrl, sqliteFileFromUrl } from './src/store/database-url.js';

// The Prisma CLI runs offline here only with the JS engine and a driver adapter (no native engine download).
const url = process.env.DATABASE_URL ?? defaultDatabaseUrl();
process.env.DATABASE_URL = url;
const postgres = isPostgresUrl(url);

export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  schema: postgres ? path.join('prisma', 'postgres', 'schema.prisma') : path.join('prisma', 'schema.prisma'),
  async adapter() {
    return postgres
      ? new PrismaPg({ connectionString: url })
      : new PrismaBetterSQLite3({ url: sqliteFileFromUrl(url) });
  },
});
