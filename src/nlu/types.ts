/**
 * Public types of the NLU contract. `index.ts` re-exports them; they live here so that the
 * small modules can import them without importing the orchestrator.
 */

/** Who is writing: a young person on Telegram or a counsellor in Teams. Intents are role-specific. */
export type Role = 'youth' | 'counsellor';

export const YOUTH_INTENTS = [
  'greeting',
  'help',
  'thanks',
  'search_missions',
  'mission_details',
  'apply_mission',
  'my_applications',
  'support',
  'faq',
  'contact_counsellor',
  'appointment',
  'link_account',
  'delete_data',
  'alerts',
  'stop_messages',
  'resume_messages',
  'out_of_scope',
] as const;

export const COUNSELLOR_INTENTS = [
  'greeting',
  'help',
  'thanks',
  'caseload_overview',
  'youth_in_mission',
  'youth_without_mission',
  'youth_without_contact',
  'missions_ending_soon',
  'youth_with_barrier',
  'youth_summary',
  'create_link_code',
  'propose_mission',
  'log_contact',
  'programme_stats',
  'daily_digest',
  'search_missions',
  'mission_details',
  'out_of_scope',
] as const;

export type YouthIntent = (typeof YOUTH_INTENTS)[number];
export type CounsellorIntent = (typeof COUNSELLOR_INTENTS)[number];
export type IntentName = YouthIntent | CounsellorIntent;

/** The fields of a mission a question can be about ("combien c payé" = pay, "c'est quoi les horaires" = hours). */
export const MISSION_ASPECTS = ['pay', 'hours', 'dates', 'place', 'agency', 'requirements'] as const;
export type MissionAspect = (typeof MISSION_ASPECTS)[number];

/** How a contact with a youth happened, as a contact note tells it ("appelée" = phone, "reçu en rdv" = meeting). */
export const CONTACT_CHANNELS = ['phone', 'meeting', 'message'] as const;
export type ContactChannel = (typeof CONTACT_CHANNELS)[number];

/**
 * Word signals of data/markers.json (`requestWords`): what a handler needs to know about how a request is worded,
 * so no handler reads the text again ("exporte…" = the right of access, "annule" = drop the note being asked for,
 * "supprimer" = deletion rather than a look at one's data, "je veux un rdv" = a new appointment).
 */
export const REQUEST_SIGNALS = ['export', 'cancel', 'deletion', 'newAppointment', 'stopping', 'listing'] as const;

export { SECTORS, TOPICS, type Sector, type Topic } from '../shared/domain.js';
import type { Sector, Topic } from '../shared/domain.js';
import type { CalendarPeriod } from '../shared/time.js';

export interface Entities {
  /** Official commune name as in the INSEE list, e.g. "Saint-Étienne". */
  city?: string;
  /** INSEE code of `city`, e.g. "42218". */
  cityCode?: string;
  /** Département code when the user named a département (or gave a postcode). */
  departement?: string;
  /** "autour de", "près de", "vers", "dans le coin de"…: search the wider area. */
  around?: boolean;
  sector?: Sector;
  topic?: Topic;
  /** A period in days: "3 semaines" -> 21, "cette semaine" -> 7. */
  days?: number;
  /** The calendar period named, when it is one: "la semaine pro" -> next_week (Monday to Sunday), "de l'année" -> this_year. */
  period?: CalendarPeriod;
  /** The number the user gave for a mission: list position ("la 2") or reference ("mission 3417"). */
  mission_ref?: string;
  /** The field of a mission asked about ("combien c payé" -> pay). */
  aspect?: MissionAspect;
  /** Link code, upper case, separators removed. */
  code?: string;
  /** A youth's name as written by the counsellor. */
  person?: string;
  /** Free text of a contact log (never the whole message: a message with no note part has none). */
  note?: string;
  /** Counsellor side: how the contact told in the note (or, without a note, in the message) happened; absent = a message. */
  contactChannel?: ContactChannel;
}

export interface Signals {
  /** "voir plus", "d'autres", "suivant". */
  more?: boolean;
  /** "oui", "ouais", "ok", "vas-y". */
  yes?: boolean;
  /** "non", "nan", "annule". */
  no?: boolean;
  /**
   * Set only when the whole message is a yes or a no and nothing else ("oui", "ouais ok", "nan laisse tomber"):
   * the one signal allowed to answer a question the assistant asked (a confirmation).
   */
  answer?: 'yes' | 'no';
  /** List position: "la 2", "la deuxième", "le premier". */
  ordinal?: number;
  /** "celle-là", "cette mission": to resolve against the last list shown. */
  deictic?: boolean;
  /**
   * The message only changes something of the previous request: it starts with "et", "plutôt", "sinon"… or holds
   * nothing but entities ("à Marseille", "en logistique"). A follow-up keeps the other criteria; a new request does not.
   */
  followUp?: boolean;
  /** The message starts with a request for a youth's data ("exporte les données de Léa", "télécharger…"). */
  export?: boolean;
  /** The message starts by calling off ("annuler", "stop", "laisse tomber", "non…"): drops the note being asked for. */
  cancel?: boolean;
  /** The message asks for deletion ("supprimer mes données", "effacer") rather than to see what is kept. */
  deletion?: boolean;
  /** The message asks to stop something ("arrête le digest", "je ne veux plus de messages", "désactive"). */
  stopping?: boolean;
  /** The message asks to see a list ("mes alertes", "quelles alertes", "montre"). */
  listing?: boolean;
  /** The message asks for an appointment to be made ("je veux un rdv", "demander un rendez-vous"), not the next one shown. */
  newAppointment?: boolean;
}

export interface Understanding {
  intent: IntentName;
  /** 0..1. Below ~0.5 the caller should ask rather than act. */
  confidence: number;
  /** Next best intents, best first (up to 3). */
  alternatives: { intent: IntentName; confidence: number }[];
  entities: Entities;
  signals: Signals;
}
