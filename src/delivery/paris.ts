/**
 * The Paris calendar for schedules ("10:00 Paris time", "in 7 days"). Kept minimal and local to the delivery
 * engine; when the shared Europe/Paris helper (src/shared/time.ts) is merged, these should be its calls.
 */
const parts = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/Paris',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** The Paris date ("2026-12-01") and time of an instant. */
export function parisClock(d: Date): { date: string; hour: number; minute: number } {
  const p = Object.fromEntries(parts.formatToParts(d).map((x) => [x.type, x.value]));
  return { date: `${p.year}-${p.month}-${p.day}`, hour: Number(p.hour), minute: Number(p.minute) };
}

/** The Paris date `days` calendar days after the Paris date of `d`. */
export function parisDatePlus(d: Date, days: number): string {
  const [y, m, day] = parisClock(d).date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, day + days, 12)).toISOString().slice(0, 10);
}
