import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../../src/shared/logger.js';
import type { TestDatabase } from './db.js';

/** A real pino logger writing into memory, so tests can read exactly what production would log. */
export function capturingLogger(level = 'debug'): { log: Logger; lines: string[] } {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  return { log: createLogger(level, sink), lines };
}

/** Every personal value of the seeded database: names, phones, e-mails of youth and counsellors. */
export async function personalValues(db: TestDatabase): Promise<string[]> {
  const youth = await db.connection.db.youth.findMany({ select: { firstName: true, lastName: true, phone: true, email: true } });
  const counsellors = await db.connection.db.counsellor.findMany({ select: { firstName: true, lastName: true, email: true } });
  const values = new Set<string>();
  for (const p of [...youth, ...counsellors]) {
    values.add(`${p.firstName} ${p.lastName}`);
    if (p.lastName.length >= 5) values.add(p.lastName);
    if ('phone' in p && p.phone) values.add(p.phone);
    if (p.email) values.add(p.email);
  }
  return [...values];
}

/** The personal values found in log lines (empty = clean). */
export function leaks(lines: string[], values: string[]): string[] {
  const text = lines.join('\n');
  return values.filter((v) => text.includes(v));
}
