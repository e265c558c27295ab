import { TZDate, tz } from '@date-fns/tz';
import { addDays, addMonths, addWeeks, addYears, startOfDay, startOfMonth, startOfWeek, startOfYear } from 'date-fns';

/**
 * The one calendar of the assistant: Europe/Paris. "Today", day boundaries, weeks (Monday to Sunday), months,
 * the calendar year and ages are all computed here, so that just after midnight in Paris (22:00 or 23:00 UTC the
 * day before) "today" is already the new day, and daylight saving changes never shift a boundary by an hour.
 *
 * Instants go in and out as plain `Date`s. Date-only values of the store (a placement's end date, a birth date)
 * are kept at 00:00 UTC of their day: they fall inside the Paris day of the same date, so the boundaries below
 * work for them as well.
 */
export const TIME_ZONE = 'Europe/Paris';
const paris = { in: tz(TIME_ZONE) };

/** The calendar periods a message can name ("la semaine pro", "cette semaine", "stats de l'année"). */
export const CALENDAR_PERIODS = ['today', 'tomorrow', 'this_week', 'next_week', 'this_month', 'next_month', 'this_year'] as const;
export type CalendarPeriod = (typeof CALENDAR_PERIODS)[number];

/** A span of time: `from` included, `to` excluded. */
export interface Span {
  from: Date;
  to: Date;
}

const plain = (d: Date): Date => new Date(d.getTime());

/** 00:00 in Paris of the day `at` falls in. */
export function startOfParisDay(at: Date): Date {
  // Paris midnight of that day number, at the offset in force at midnight (a daylight-saving change happens at
  // 01:00 UTC, later in the day than midnight): the offset of the first guess is the one to use.
  const localMidnight = parisDayNumber(at.getTime()) * DAY_MS;
  return new Date(localMidnight - parisOffsetMs(localMidnight - parisOffsetMs(at.getTime())));
}

/** 00:00 in Paris of the Monday of the week of `at`. */
export function startOfParisWeek(at: Date): Date {
  return plain(startOfWeek(at, { ...paris, weekStartsOn: 1 }));
}

/** 00:00 in Paris of the first day of the month of `at`. */
export function startOfParisMonth(at: Date): Date {
  return plain(startOfMonth(at, paris));
}

/** 00:00 in Paris, `days` calendar days after the day of `at` (negative = before). */
export function parisDayStart(at: Date, days: number): Date {
  return plain(startOfDay(addDays(at, days, paris), paris));
}

/** The hour (0-23) of `at` on Paris clocks. */
export function parisHour(at: Date): number {
  return new TZDate(at, TIME_ZONE).getHours();
}

/** The instant at `hour`:00 Paris time on the Paris day `days` after the day of `at` (daylight saving included). */
export function parisTimeOn(at: Date, days: number, hour: number): Date {
  const d = new TZDate(parisDayStart(at, days), TIME_ZONE);
  d.setHours(hour, 0, 0, 0);
  return plain(d);
}

/**
 * Formatters are built once: building an `Intl.DateTimeFormat` costs about 90 µs here, formatting with one 1 µs.
 * "2026-12-02" (en-CA writes year-month-day) on Paris clocks.
 */
const isoDay = new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit', timeZone: TIME_ZONE });
const yearOnly = new Intl.DateTimeFormat('en', { year: 'numeric', timeZone: TIME_ZONE });

/** "2026-12-02": the Paris calendar date of `at`, as a key (one message a day, one run a day). */
export function parisDateKey(at: Date): string {
  return isoDay.format(at);
}

/** Calendar days from the Paris day of `from` to the Paris day of `to` (0 = same day, 1 = `to` is the next day). */
export function calendarDaysBetween(from: Date, to: Date): number {
  return parisDayNumber(to.getTime()) - parisDayNumber(from.getTime());
}

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
/** Paris's UTC offset by UTC hour: it changes only on whole hours (01:00 UTC on daylight-saving days). */
const offsetByHour = new Map<number, number>();
const MAX_CACHED_HOURS = 50_000;
const parisOffsetAt = (t: number): number => -new TZDate(t, TIME_ZONE).getTimezoneOffset() * 60_000;

/**
 * The number of the Paris calendar day of the instant `t` (days since 1970-01-01 on Paris clocks). Why not
 * date-fns (differenceInCalendarDays, startOfDay in the zone): they build several zoned dates per call, and a
 * counsellor's list asks for dozens of day counts (3% of a Teams turn's CPU); the offset of each UTC hour is
 * computed once instead.
 */
function parisDayNumber(t: number): number {
  return Math.floor((t + parisOffsetMs(t)) / DAY_MS);
}

/** Paris's offset from UTC at the instant `t`, in ms (+1 h in winter, +2 h in summer). */
function parisOffsetMs(t: number): number {
  const hour = Math.floor(t / HOUR_MS);
  let offset = offsetByHour.get(hour);
  if (offset === undefined) {
    offset = parisOffsetAt(hour * HOUR_MS);
    // An hour in which the offset changes (none since 1976, but the zone's history has some) is not cached.
    if (offset !== parisOffsetAt(hour * HOUR_MS + HOUR_MS - 1)) return parisOffsetAt(t);
    if (offsetByHour.size >= MAX_CACHED_HOURS) offsetByHour.clear();
    offsetByHour.set(hour, offset);
  }
  return offset;
}

/** The span of a calendar period seen from `now`. "this_…" periods start today (what is already past is not asked for). */
export function periodSpan(period: CalendarPeriod, now: Date): Span {
  const today = startOfParisDay(now);
  const monday = startOfWeek(now, { ...paris, weekStartsOn: 1 });
  switch (period) {
    case 'today':
      return { from: today, to: parisDayStart(now, 1) };
    case 'tomorrow':
      return { from: parisDayStart(now, 1), to: parisDayStart(now, 2) };
    case 'this_week':
      return { from: today, to: plain(addWeeks(monday, 1, paris)) };
    case 'next_week':
      return { from: plain(addWeeks(monday, 1, paris)), to: plain(addWeeks(monday, 2, paris)) };
    case 'this_month':
      return { from: today, to: plain(addMonths(startOfMonth(now, paris), 1, paris)) };
    case 'next_month': {
      const next = addMonths(startOfMonth(now, paris), 1, paris);
      return { from: plain(next), to: plain(addMonths(next, 1, paris)) };
    }
    case 'this_year':
      // The calendar year so far: figures "de l'année" start on 1 January.
      return { from: plain(startOfYear(now, paris)), to: plain(addYears(startOfYear(now, paris), 1, paris)) };
  }
}

const dayMonth = new Intl.DateTimeFormat('fr-FR', { weekday: 'long', day: 'numeric', month: 'long', timeZone: TIME_ZONE });
const dayMonthYear = new Intl.DateTimeFormat('fr-FR', { day: 'numeric', month: 'long', year: 'numeric', timeZone: TIME_ZONE });

/** The last day of a span, for labels ("jusqu’au dimanche 6 décembre"). */
export function lastDayOf(span: Span): Date {
  return new Date(span.to.getTime() - 1);
}

/** French words for a period, with its dates: "la semaine prochaine (du lundi 7 au dimanche 13 décembre)". */
export function describePeriod(period: CalendarPeriod, now: Date): string {
  const span = periodSpan(period, now);
  const from = dayMonth.format(span.from);
  const to = dayMonth.format(lastDayOf(span));
  switch (period) {
    case 'today':
      return `aujourd’hui (${from})`;
    case 'tomorrow':
      return `demain (${from})`;
    case 'this_week':
      return `cette semaine (jusqu’au ${to})`;
    case 'next_week':
      return `la semaine prochaine (du ${from} au ${to})`;
    case 'this_month':
      return `ce mois-ci (jusqu’au ${to})`;
    case 'next_month':
      return `le mois prochain (du ${from} au ${to})`;
    case 'this_year':
      return `l’année ${parisYear(now)} (depuis le 1er janvier)`;
  }
}

/** "1 décembre 2026" in Paris. */
export function formatParisDate(at: Date): string {
  return dayMonthYear.format(at);
}

/** The calendar year in Paris at `now`. */
export function parisYear(now: Date): number {
  return Number(yearOnly.format(now));
}

/**
 * Age in whole years on the Paris calendar date of `now`: a birthday counts from its first minute in Paris.
 * `birthDate` is a date-only value (00:00 UTC of the birth day), read by its UTC calendar date.
 */
export function ageOn(birthDate: Date, now: Date): number {
  const [y, m, d] = isoDay.format(now).split('-').map(Number) as [number, number, number];
  let age = y - birthDate.getUTCFullYear();
  const month = m - 1 - birthDate.getUTCMonth();
  if (month < 0 || (month === 0 && d < birthDate.getUTCDate())) age--;
  return age;
}

const clockParts = new Intl.DateTimeFormat('en-CA', {
  timeZone: TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  weekday: 'short',
  hourCycle: 'h23',
});
const WEEKDAYS: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

/** The Paris wall clock at an instant, for schedules ("from 10:00 Paris time"): date "2026-12-01", hour, minute, weekday 1 (Monday) … 7. */
export function parisClock(at: Date): { date: string; hour: number; minute: number; weekday: number } {
  const p = Object.fromEntries(clockParts.formatToParts(at).map((x) => [x.type, x.value]));
  return { date: `${p.year}-${p.month}-${p.day}`, hour: Number(p.hour), minute: Number(p.minute), weekday: WEEKDAYS[p.weekday!] ?? 0 };
}

/** The Paris date ("2026-12-08") `days` calendar days after the Paris day of `at`. */
export function parisDate(at: Date, days = 0): string {
  return parisClock(parisDayStart(at, days)).date;
}

/** Easter Sunday of a year (Gregorian computus, Meeus/Jones/Butcher), as "yyyy-mm-dd". */
function easterSunday(year: number): Date {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return new Date(Date.UTC(year, month - 1, day));
}

/**
 * The French public holidays of a year (Code du travail, art. L3133-1), as Paris dates: the eight fixed ones,
 * Easter Monday, Ascension Thursday and Whit Monday. Whit Monday is kept although many employers make it the
 * "journée de solidarité": a Mission locale is usually closed. The extra days of Alsace-Moselle (Good Friday,
 * 26 December) are not included.
 */
export function frenchPublicHolidays(year: number): Set<string> {
  const easter = easterSunday(year).getTime();
  const after = (days: number) => new Date(easter + days * 86_400_000).toISOString().slice(0, 10);
  const fixed = ['01-01', '05-01', '05-08', '07-14', '08-15', '11-01', '11-11', '12-25'].map((md) => `${year}-${md}`);
  return new Set([...fixed, after(1), after(39), after(50)]);
}

/** True on a working day in Paris: Monday to Friday, and not a French public holiday. */
export function isParisWorkingDay(at: Date): boolean {
  const clock = parisClock(at);
  return clock.weekday <= 5 && !frenchPublicHolidays(Number(clock.date.slice(0, 4))).has(clock.date);
}
