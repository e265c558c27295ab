/**
 * Shared helpers of the store suites: who is who in the seeded demo, read straight from the raw Prisma client
 * (never through the repository under test), and an assertion for rejected inputs.
 */
import { createHash, randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { InvalidInputError } from '../../src/store/index.js';
import type { TestDatabase } from '../helpers/db.js';

export const DAY = 86_400_000;

/** Start of the UTC day of `d`. */
export function startOfDay(d: Date): Date {
  const x = new Date(d);
  x.setUTCHours(0, 0, 0, 0);
  return x;
}

/** A fresh sha256 hex digest, as the link-code service stores them. */
export function randomHash(): string {
  return createHash('sha256').update(randomUUID()).digest('hex');
}

/** Expects `call` to reject with an InvalidInputError whose message matches `field`. */
export async function expectInvalid(call: Promise<unknown>, field: RegExp): Promise<void> {
  const err = await call.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err, 'the call should have been rejected').toBeInstanceOf(InvalidInputError);
  expect((err as Error).message).toMatch(field);
}

export interface DemoPeople {
  missionLocales: { lyon: number; marseille: number; lille: number };
  counsellors: { sophie: number; marc: number; nadia: number; julien: number; claire: number; thomas: number };
  /** Counsellor id -> Mission locale id. */
  mlOfCounsellor: Map<number, number>;
  named: { lea: number; kevin: number; yanis: number; chloe: number; ines: number };
}

/** Ids of the demo's Missions locales, counsellors and named youth, read from raw rows. */
export async function demoPeople(db: TestDatabase): Promise<DemoPeople> {
  const raw = db.connection.db;
  const mls = await raw.missionLocale.findMany({ select: { id: true, name: true } });
  const ml = (word: string) => {
    const found = mls.find((m) => m.name.includes(word));
    if (!found) throw new Error(`no Mission locale named like ${word}`);
    return found.id;
  };
  const counsellors = await raw.counsellor.findMany({ select: { id: true, email: true, missionLocaleId: true } });
  const c = (prefix: string) => {
    const found = counsellors.find((x) => x.email.startsWith(`${prefix}.`));
    if (!found) throw new Error(`no counsellor ${prefix}`);
    return found.id;
  };
  const youth = await raw.youth.findMany({ select: { id: true, firstName: true, lastName: true } });
  const y = (first: string, last: string) => {
    const found = youth.filter((x) => x.firstName === first && x.lastName === last);
    if (found.length !== 1) throw new Error(`expected one youth ${first} ${last}, found ${found.length}`);
    return found[0]!.id;
  };
  return {
    missionLocales: { lyon: ml('Lyon'), marseille: ml('Marseille'), lille: ml('Lilloise') },
    counsellors: { sophie: c('sophie'), marc: c('marc'), nadia: c('nadia'), julien: c('julien'), claire: c('claire'), thomas: c('thomas') },
    mlOfCounsellor: new Map(counsellors.map((x) => [x.id, x.missionLocaleId])),
    named: {
      lea: y('Léa', 'Martin'),
      kevin: y('Kevin', 'Bernard'),
      yanis: y('Yanis', 'Haddad'),
      chloe: y('Chloé', 'Petit'),
      ines: y('Inès', 'Moreau'),
    },
  };
}
