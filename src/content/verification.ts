import type { VerificationLevel } from './schema.js';

/**
 * What a verification level means, decided once:
 * - `verified`: a primary source (an official site or the text of the law) states the claim;
 * - `partial`: only secondary sources, or a primary source states part of it — shown with "à vérifier";
 * - `unverified`: no current source found — shown with "à vérifier" too.
 * A check older than {@link STALE_AFTER_MONTHS} months is shown as `partial`: rules and amounts change every year.
 */

/** After this many months without a new check, a `verified` entry is shown as `partial`. */
export const STALE_AFTER_MONTHS = 12;

/**
 * Hosts whose pages count as primary sources (official sites, the text of the law, the branch schemes' own sites).
 * A `verified` entry must cite one of them; the content tests hold every entry to it.
 */
export const PRIMARY_SOURCE_HOSTS: readonly string[] = [
  // State sites (*.gouv.fr) count without being listed; these are the other official or branch sites.
  'www.vie-publique.fr',
  'www.francetravail.fr',
  'www.unedic.fr',
  'www.ameli.fr',
  'www.defenseurdesdroits.fr',
  'www.cnil.fr',
  'www.fastt.org',
  'www.fpett.fr',
  'www.akto.fr',
  'www.visale.fr',
  'www.actionlogement.fr',
  'www.interimairessante.fr',
  'www.interimairesprevoyance.fr',
  'www.mission-locale.fr',
  'www.caf.fr',
  'monenfant.fr',
  'bo.francetravail.org',
  'www.inrs.fr',
];

/** True when the URL is on a State site (`*.gouv.fr`, prefectures included) or one of {@link PRIMARY_SOURCE_HOSTS}. */
export function isPrimarySource(url: string): boolean {
  const host = new URL(url).host;
  return host.endsWith('.gouv.fr') || PRIMARY_SOURCE_HOSTS.includes(host);
}

/**
 * The level to show for a stored level and check date, at `now` (the core's clock).
 *
 * @example
 * shownVerification('verified', new Date('2025-11-01'), new Date('2026-12-01')); // 'partial' (checked 13 months ago)
 */
export function shownVerification(level: string, lastVerifiedAt: Date, now: Date): VerificationLevel {
  if (level !== 'verified') return level === 'partial' ? 'partial' : 'unverified';
  // Check dates are calendar days stored at UTC midnight: adding months in UTC keeps the same calendar day.
  const staleFrom = new Date(lastVerifiedAt.getTime());
  staleFrom.setUTCMonth(staleFrom.getUTCMonth() + STALE_AFTER_MONTHS);
  return now.getTime() >= staleFrom.getTime() ? 'partial' : 'verified';
}

/** True when the entry must be shown with its "à vérifier auprès de ta Mission locale" note. */
export function needsCheckNote(level: string, lastVerifiedAt: Date, now: Date): boolean {
  return shownVerification(level, lastVerifiedAt, now) !== 'verified';
}
