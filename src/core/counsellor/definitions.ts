import type { CaseloadWindows, EndWindow } from '../../store/index.js';
import { parisDayStart, startOfParisDay, type Span } from '../../shared/time.js';

const DAY = 86_400_000;

/**
 * What the caseload alerts mean, and their default windows in days: the one place they are decided. The store
 * receives the cut-off instants computed here and only filters on them.
 */
export const DEFAULT_DAYS = {
  /** "Sans mission depuis 30 jours": no placement ended in the last 30 Paris days, and none runs today. */
  without_mission: 30,
  /** "Sans contact depuis 30 jours": no logged contact in the last 30 × 24 hours. */
  without_contact: 30,
  /** "Fin de mission dans les 7 jours": a current placement ends between the start of today and 7 × 24 hours from now. */
  ending_soon: 7,
} as const;

/**
 * "Without a mission for N days" = the last placement ended on or before today − N (whole Paris days), and none
 * runs today. Returns the earliest end date that disqualifies: a placement ending at or after it is too recent.
 * N = 0 means "no placement running today" (one ending today still counts as a mission today).
 */
export function noMissionSince(now: Date, days: number): Date {
  // Ended on or before today − N  ⇔  ended before the start of the Paris day today − N + 1.
  return days === 0 ? startOfParisDay(now) : parisDayStart(now, 1 - days);
}

/** "Without contact for N days" = no contact logged at or after this instant (N × 24 hours ago). */
export function noContactSince(now: Date, days: number): Date {
  return new Date(now.getTime() - days * DAY);
}

/**
 * "Ending within N days": current placements whose end date falls from the start of today (Paris) to N × 24 hours
 * from now, both included; or within a calendar span ("cette semaine" = until Sunday night, its `to` excluded).
 */
export function endingWithin(now: Date, days: number, span?: Span): EndWindow {
  return span ? { from: span.from, to: new Date(span.to.getTime() - 1) } : { from: startOfParisDay(now), to: new Date(now.getTime() + days * DAY) };
}

/** The windows of the caseload overview's alerts, at their default lengths. */
export function overviewWindows(now: Date): CaseloadWindows {
  return {
    noMissionSince: noMissionSince(now, DEFAULT_DAYS.without_mission),
    noContactSince: noContactSince(now, DEFAULT_DAYS.without_contact),
    ending: endingWithin(now, DEFAULT_DAYS.ending_soon),
  };
}
