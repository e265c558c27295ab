import { calendarDaysBetween } from '../shared/time.js';
import type { Moment } from './types.js';

/** French formatting of the values shown to users; one place so both channels read the same. */
const dateFmt = new Intl.DateTimeFormat('fr-FR', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Europe/Paris' });
const shortDateFmt = new Intl.DateTimeFormat('fr-FR', { day: '2-digit', month: '2-digit', year: 'numeric', timeZone: 'Europe/Paris' });
const dateTimeFmt = new Intl.DateTimeFormat('fr-FR', {
  weekday: 'long',
  day: 'numeric',
  month: 'long',
  hour: '2-digit',
  minute: '2-digit',
  timeZone: 'Europe/Paris',
});
const euro = new Intl.NumberFormat('fr-FR', { style: 'currency', currency: 'EUR', minimumFractionDigits: 2 });
/** Built once: building an `Intl.NumberFormat` costs about 20 µs here, formatting with it 0.5 µs. */
const frenchNumber = new Intl.NumberFormat('fr-FR');

export const formatDate = (d: Date): string => dateFmt.format(d);
export const formatShortDate = (d: Date): string => shortDateFmt.format(d);
export const formatDateTime = (d: Date): string => dateTimeFmt.format(d);
/** A point in time for the reply model (`Moment`): UTC, whole seconds, as Adaptive Card date functions want it. */
export const momentOf = (d: Date, withTime = false): Moment => ({ iso: d.toISOString().replace(/\.\d{3}Z$/, 'Z'), ...(withTime ? { withTime } : {}) });
export const formatPay = (hourly: number): string => `${euro.format(hourly)} brut/h`;
export const formatNumber = (n: number): string => frenchNumber.format(n);

/** Calendar days in Paris from `from` to `to` (negative when `to` is earlier): yesterday 23:50 is 1 day ago. */
export const daysBetween = calendarDaysBetween;

export function formatDaysAgo(d: Date | null, now: Date): string {
  if (!d) return 'jamais';
  const days = daysBetween(d, now);
  if (days <= 0) return "aujourd'hui";
  if (days === 1) return 'hier';
  return `il y a ${days} jours`;
}

export const SECTOR_LABELS: Record<string, string> = {
  logistique: 'Logistique',
  btp: 'BTP',
  industrie: 'Industrie',
  hotellerie_restauration: 'Hôtellerie-restauration',
  commerce: 'Commerce',
  proprete: 'Propreté',
  transport: 'Transport',
  agriculture: 'Agriculture',
  tertiaire: 'Tertiaire',
  services_personne: 'Services à la personne',
};

export const TOPIC_LABELS: Record<string, string> = {
  housing: 'Logement',
  mobility: 'Mobilité',
  childcare: 'Garde d’enfants',
  health: 'Santé',
  money: 'Argent',
  training: 'Formation',
};

export const APPLICATION_STATUS_LABELS: Record<string, string> = {
  proposed: 'proposée, en attente de réponse',
  sent: 'envoyée',
  seen: 'vue par l’agence',
  accepted: 'acceptée',
  refused: 'non retenue',
  withdrawn: 'retirée',
  declined: 'déclinée',
};

/** What a young person asked through the bot, as a noun ("demande de rappel du 02/12/2026"). */
export const REQUEST_LABELS: Record<string, string> = {
  contact: 'demande de rappel',
  appointment: 'demande de rendez-vous',
  barrier: 'aide sur un frein',
  reschedule: 'demande d’une autre date de rendez-vous',
};

/** The same request as what the young person does ("Léa Martin demande à être rappelé·e"). */
export const REQUEST_PHRASES: Record<'contact' | 'appointment' | 'barrier' | 'reschedule', string> = {
  contact: 'demande à être rappelé·e',
  appointment: 'demande un rendez-vous',
  barrier: 'demande de l’aide sur un frein',
  reschedule: 'ne peut pas venir à son rendez-vous et demande une autre date',
};

export const YOUTH_STATUS_LABELS: Record<string, string> = {
  active: 'actif',
  in_mission: 'en mission',
  paused: 'en pause',
  exited: 'sorti',
};
