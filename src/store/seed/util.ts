import { communeByCode, type Commune } from '../../geo/communes.js';

export const DAY = 86_400_000;
/** Rows per createMany: few round trips, bounded memory for the million-row benchmark seeds. */
export const BATCH = 5_000;

/** A date `offsetDays` from `now` at a given UTC hour: seeds are relative to now so the demo never goes stale. */
export function day(now: Date, offsetDays: number, hour = 9): Date {
  const d = new Date(now.getTime() + offsetDays * DAY);
  d.setUTCHours(hour, 0, 0, 0);
  return d;
}

export function mustCommune(code: string): Commune {
  const c = communeByCode(code);
  if (!c) throw new Error(`demo.json names an unknown INSEE commune code: ${code}`);
  return c;
}
