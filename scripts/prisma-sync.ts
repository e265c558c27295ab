/**
 * Derives prisma/postgres/schema.prisma from prisma/schema.prisma (the one source of truth).
 * Prisma allows one provider per schema, and a generated client only accepts adapters of its provider,
 * so the PostgreSQL path needs its own copy and its own generated client.
 */
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../src/store/database-url.js';

const source = readFileSync(path.join(repoRoot, 'prisma', 'schema.prisma'), 'utf8');
const derived = source
  .replace('provider = "sqlite"', 'provider = "postgresql"')
  .replace('output       = "../src/store/generated/sqlite"', 'output       = "../../src/store/generated/postgres"')
  .replace(/^\/\/ Source of truth[\s\S]*?\n\n/m, '// GENERATED from prisma/schema.prisma by scripts/prisma-sync.ts: do not edit.\n\n');
if (!derived.includes('"postgresql"') || !derived.includes('generated/postgres')) {
  throw new Error('prisma-sync: prisma/schema.prisma no longer has the expected provider/output lines');
}
mkdirSync(path.join(repoRoot, 'prisma', 'postgres'), { recursive: true });
const target = path.join(repoRoot, 'prisma', 'postgres', 'schema.prisma');
const check = process.argv.includes('--check');
if (check) {
  const current = readFileSync(target, 'utf8');
  if (current !== derived) {
    console.error('prisma/postgres/schema.prisma is out of date: run npm run db:generate');
    process.exit(1);
  }
} else {
  writeFileSync(target, derived);
}
