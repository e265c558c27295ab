import { tz } from '@date-fns/tz';
import { differenceInCalendarDays, startOfDay } from 'date-fns';
import { describe, expect, it } from 'vitest';
import { ageOn, calendarDaysBetween, describePeriod, parisClock, parisDate, parisDayStart, periodSpan, startOfParisDay } from '../../src/shared/time.js';

const iso = (d: Date) => d.toISOString();

describe('the Paris calendar', () => {
  it('starts "today" at midnight in Paris, not at midnight UTC (winter and summer)', () => {
    // Wednesday 2 December 2026, 00:30 in Paris = 23:30 UTC the day before.
    expect(iso(startOfParisDay(new Date('2026-12-01T23:30:00Z')))).toBe('2026-12-01T23:00:00.000Z');
    // 2 July 2026, 00:30 in Paris (UTC+2) = 22:30 UTC the day before.
    expect(iso(startOfParisDay(new Date('2026-07-01T22:30:00Z')))).toBe('2026-07-01T22:00:00.000Z');
    // 23:30 in Paris is still the same day.
    expect(iso(startOfParisDay(new Date('2026-12-01T22:30:00Z')))).toBe('2026-11-30T23:00:00.000Z');
  });

  it('counts calendar days across a daylight saving change', () => {
    // Sunday 29 March 2026: clocks go forward; the day is 23 hours long.
    expect(iso(parisDayStart(new Date('2026-03-28T12:00:00Z'), 1))).toBe('2026-03-28T23:00:00.000Z');
    expect(iso(parisDayStart(new Date('2026-03-28T12:00:00Z'), 2))).toBe('2026-03-29T22:00:00.000Z');
    expect(calendarDaysBetween(new Date('2026-12-01T22:50:00Z'), new Date('2026-12-01T23:10:00Z'))).toBe(1);
  });

  it('counts days and finds midnight as date-fns does in the Paris zone, every quarter hour of 2026 against a date-only value and an instant', () => {
    const paris = { in: tz('Europe/Paris') };
    const dateOnly = new Date('2026-06-15T00:00:00Z');
    const instant = new Date('2026-03-29T00:59:59Z');
    const differing: string[] = [];
    for (let t = Date.UTC(2026, 0, 1); t < Date.UTC(2027, 0, 2); t += 15 * 60_000) {
      const at = new Date(t);
      for (const other of [dateOnly, instant]) {
        if (calendarDaysBetween(other, at) !== differenceInCalendarDays(at, other, paris)) differing.push(`${iso(other)} -> ${iso(at)}`);
      }
      if (startOfParisDay(at).getTime() !== startOfDay(at, paris).getTime()) differing.push(`start of ${iso(at)}`);
    }
    expect(differing).toEqual([]);
  });

  it('"la semaine pro" is next Monday to Sunday; "cette semaine" ends on Sunday', () => {
    const wednesday = new Date('2026-12-02T10:00:00Z');
    expect(periodSpan('next_week', wednesday)).toEqual({ from: new Date('2026-12-06T23:00:00Z'), to: new Date('2026-12-13T23:00:00Z') });
    expect(periodSpan('this_week', wednesday)).toEqual({ from: new Date('2026-12-01T23:00:00Z'), to: new Date('2026-12-06T23:00:00Z') });
    // On a Sunday, "cette semaine" is today only and "la semaine pro" starts tomorrow.
    const sunday = new Date('2026-12-06T10:00:00Z');
    expect(periodSpan('this_week', sunday).to).toEqual(new Date('2026-12-06T23:00:00Z'));
    expect(periodSpan('next_week', sunday).from).toEqual(new Date('2026-12-06T23:00:00Z'));
    expect(describePeriod('next_week', wednesday)).toBe('la semaine prochaine (du lundi 7 décembre au dimanche 13 décembre)');
  });

  it('the year is the calendar year in Paris', () => {
    // 31 December 2026, 23:30 UTC = 1 January 2027, 00:30 in Paris.
    expect(periodSpan('this_year', new Date('2026-12-31T23:30:00Z')).from).toEqual(new Date('2026-12-31T23:00:00Z'));
    expect(describePeriod('this_year', new Date('2026-06-15T10:00:00Z'))).toBe('l’année 2026 (depuis le 1er janvier)');
  });

  it('age changes on the birthday in Paris, whatever the hour', () => {
    const birth = new Date('2001-12-02T00:00:00Z');
    expect(ageOn(birth, new Date('2026-12-01T22:59:00Z'))).toBe(24); // 1 December, 23:59 in Paris
    expect(ageOn(birth, new Date('2026-12-01T23:00:00Z'))).toBe(25); // 2 December, 00:00 in Paris
    // Born on 29 February: one year older on 1 March of a common year.
    expect(ageOn(new Date('2004-02-29T00:00:00Z'), new Date('2026-02-28T12:00:00Z'))).toBe(21);
    expect(ageOn(new Date('2004-02-29T00:00:00Z'), new Date('2026-03-01T12:00:00Z'))).toBe(22);
  });

  it('reads the Paris wall clock for schedules (date, hour, weekday), across midnight and the daylight-saving changes', () => {
    // 09:30 UTC in winter is 10:30 in Paris; 23:30 UTC on Sunday is already Monday.
    expect(parisClock(new Date('2026-12-02T09:30:00Z'))).toEqual({ date: '2026-12-02', hour: 10, minute: 30, weekday: 3 });
    expect(parisClock(new Date('2026-12-27T23:30:00Z'))).toEqual({ date: '2026-12-28', hour: 0, minute: 30, weekday: 1 });
    expect(parisClock(new Date('2026-07-01T08:30:00Z'))).toMatchObject({ hour: 10, minute: 30 });
    // "In 7 days" is 7 calendar days in Paris, over the change to summer time (29 March 2026) as well.
    expect(parisDate(new Date('2026-03-25T09:00:00Z'), 7)).toBe('2026-04-01');
    expect(parisDate(new Date('2026-12-31T23:30:00Z'), 1)).toBe('2027-01-02');
    expect(parisDate(new Date('2026-12-02T12:00:00Z'))).toBe('2026-12-02');
  });
});
