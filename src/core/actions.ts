import { COUNSELLOR_INTENTS, YOUTH_INTENTS, type IntentName } from '../nlu/index.js';
import { MAX_ACTION_LENGTH } from './types.js';

/**
 * Intents of the core that no message is classified as: steps a button starts ("Demander un rendez-vous", the
 * deletion's "Supprimer mes données") or that the policy decides from a signal (an export request).
 */
export const CORE_INTENTS = ['appointment_request', 'delete_data_confirm', 'export_youth_data', 'alerts_list', 'alerts_stop_all'] as const;
/** Every intent a router handles: the NLU's (`IntentName`, from the NLU data) and the core's own. */
export type CoreIntent = IntentName | (typeof CORE_INTENTS)[number];
const KNOWN_INTENTS = new Set<string>([...YOUTH_INTENTS, ...COUNSELLOR_INTENTS, ...CORE_INTENTS]);
const isCoreIntent = (s: string): s is CoreIntent => KNOWN_INTENTS.has(s);

/**
 * Button payloads. Short, stable strings ("md:123") so they fit Telegram's 64-byte callback data and
 * never depend on free text. Every press is untrusted input: `decodeAction` validates the shape,
 * and handlers re-check rights on the ids it carries.
 */
export type Action =
  | { kind: 'intent'; intent: CoreIntent }
  | { kind: 'mission_details'; missionId: number }
  | { kind: 'apply'; missionId: number }
  | { kind: 'search_page'; page: number }
  | { kind: 'search_widen'; scope: 'epci' | 'departement' | 'any_sector' }
  | { kind: 'support_topic'; topic: string }
  | { kind: 'measure'; key: string }
  | { kind: 'eligibility_answer'; key: string; rule: number; yes: boolean }
  | { kind: 'tell_counsellor_barrier'; topic: string }
  | { kind: 'faq'; key: string }
  | { kind: 'confirm'; yes: boolean }
  | { kind: 'youth_summary'; youthId: number }
  | { kind: 'caseload_list'; list: CaseloadListKind; days?: number; topic?: string }
  | { kind: 'create_link_code'; youthId: number }
  | { kind: 'propose'; youthId: number; missionId: number }
  /** Counsellor: "Proposer à…" on a mission card, to pick the youth. */
  | { kind: 'propose_pick'; missionId: number }
  /** Counsellor: "Proposer une mission" on a youth file: the missions near that youth, each to propose (with confirmation). */
  | { kind: 'propose_for'; youthId: number }
  | { kind: 'log_contact'; youthId: number }
  | { kind: 'export_youth'; youthId: number }
  /** Youth: "ça m'intéresse" / "non merci" on a counsellor's proposal. */
  | { kind: 'proposal_answer'; missionId: number; yes: boolean }
  /** Youth: "je confirme" / "je ne peux pas" on an appointment reminder. */
  | { kind: 'reminder_answer'; appointmentId: number; yes: boolean }
  /** Counsellor: subscribe to (or stop) the daily digest. */
  | { kind: 'digest'; on: boolean }
  | { kind: 'list_page'; page: number }
  /** "🔔 Préviens-moi": save the last search as an alert. */
  | { kind: 'alert_save' }
  /** "mes alertes": stop one alert. */
  | { kind: 'alert_stop'; savedSearchId: number }
  /** A grouped alert's "voir les N autres": the next missions of that message. */
  | { kind: 'alert_more'; notificationId: number; page: number }
  /** Commands (src/core/commands.ts): abandon the pending question, the settings, the list of commands. */
  | { kind: 'cancel' }
  | { kind: 'settings' }
  | { kind: 'commands_help' };

const LIST_CODES = {
  wm: 'without_mission',
  wc: 'without_contact',
  es: 'ending_soon',
  br: 'barrier',
  im: 'in_mission',
  pi: 'pending_interest',
  or: 'open_requests',
} as const;
/** The caseload lists a button can open. */
export type CaseloadListKind = (typeof LIST_CODES)[keyof typeof LIST_CODES];
const LIST_KEYS = Object.fromEntries(Object.entries(LIST_CODES).map(([k, v]) => [v, k])) as Record<string, string>;
const WIDEN = { e: 'epci', d: 'departement', s: 'any_sector' } as const;
const WIDEN_KEYS = { epci: 'e', departement: 'd', any_sector: 's' } as const;

export function encodeAction(a: Action): string {
  const encoded = (() => {
    switch (a.kind) {
      case 'intent':
        return `i:${a.intent}`;
      case 'mission_details':
        return `md:${a.missionId}`;
      case 'apply':
        return `ap:${a.missionId}`;
      case 'search_page':
        return `sp:${a.page}`;
      case 'search_widen':
        return `sw:${WIDEN_KEYS[a.scope]}`;
      case 'support_topic':
        return `st:${a.topic}`;
      case 'measure':
        return `ms:${a.key}`;
      case 'eligibility_answer':
        return `el:${a.key}:${a.rule}:${a.yes ? 'y' : 'n'}`;
      case 'tell_counsellor_barrier':
        return `tb:${a.topic}`;
      case 'faq':
        return `fq:${a.key}`;
      case 'confirm':
        return `cf:${a.yes ? 'y' : 'n'}`;
      case 'youth_summary':
        return `ys:${a.youthId}`;
      case 'caseload_list':
        return `cl:${LIST_KEYS[a.list]}:${a.days ?? ''}:${a.topic ?? ''}`;
      case 'create_link_code':
        return `lc:${a.youthId}`;
      case 'propose':
        return `pm:${a.youthId}:${a.missionId}`;
      case 'propose_pick':
        return `pp:${a.missionId}`;
      case 'propose_for':
        return `pf:${a.youthId}`;
      case 'log_contact':
        return `lg:${a.youthId}`;
      case 'export_youth':
        return `ex:${a.youthId}`;
      case 'list_page':
        return `lp:${a.page}`;
      case 'proposal_answer':
        return `pa:${a.missionId}:${a.yes ? 'y' : 'n'}`;
      case 'reminder_answer':
        return `ra:${a.appointmentId}:${a.yes ? 'y' : 'n'}`;
      case 'digest':
        return `dg:${a.on ? 'y' : 'n'}`;
      case 'alert_save':
        return 'al';
      case 'alert_stop':
        return `ax:${a.savedSearchId}`;
      case 'alert_more':
        return `ao:${a.notificationId}:${a.page}`;
      case 'cancel':
        return 'cx';
      case 'settings':
        return 'se';
      case 'commands_help':
        return 'ch';
    }
  })();
  if (Buffer.byteLength(encoded) > MAX_ACTION_LENGTH) throw new Error(`action too long for a button: ${a.kind}`);
  return encoded;
}

const ID = /^[1-9]\d{0,9}$/;
/** Ids are 32-bit database integers: anything larger is a forged payload. */
const MAX_ID = 2_147_483_647;
const KEY = /^[a-z0-9_]{1,58}$/;

/** Parses a button payload; returns null for anything malformed (old, forged or foreign buttons). */
export function decodeAction(raw: string | undefined): Action | null {
  if (!raw || Buffer.byteLength(raw) > MAX_ACTION_LENGTH) return null;
  const [code, a = '', b = '', c = '', ...rest] = raw.split(':');
  if (rest.length > 0) return null;
  const id = (s: string) => (ID.test(s) && Number(s) <= MAX_ID ? Number(s) : null);
  switch (code) {
    case 'i':
      return isCoreIntent(a) ? { kind: 'intent', intent: a } : null;
    case 'md':
    case 'ap':
    case 'pp': {
      const missionId = id(a);
      if (missionId === null) return null;
      return code === 'md' ? { kind: 'mission_details', missionId } : code === 'ap' ? { kind: 'apply', missionId } : { kind: 'propose_pick', missionId };
    }
    case 'sp':
    case 'lp': {
      if (!/^\d{1,4}$/.test(a)) return null;
      return code === 'sp' ? { kind: 'search_page', page: Number(a) } : { kind: 'list_page', page: Number(a) };
    }
    case 'sw':
      return Object.hasOwn(WIDEN, a) ? { kind: 'search_widen', scope: WIDEN[a as keyof typeof WIDEN] } : null;
    case 'st':
    case 'tb':
      if (!KEY.test(a)) return null;
      return code === 'st' ? { kind: 'support_topic', topic: a } : { kind: 'tell_counsellor_barrier', topic: a };
    case 'ms':
    case 'fq':
      if (!KEY.test(a)) return null;
      return code === 'ms' ? { kind: 'measure', key: a } : { kind: 'faq', key: a };
    case 'el':
      if (!KEY.test(a) || !/^\d{1,2}$/.test(b) || (c !== 'y' && c !== 'n')) return null;
      return { kind: 'eligibility_answer', key: a, rule: Number(b), yes: c === 'y' };
    case 'cf':
      return a === 'y' || a === 'n' ? { kind: 'confirm', yes: a === 'y' } : null;
    case 'ys':
    case 'lc':
    case 'lg':
    case 'ex':
    case 'pf': {
      const youthId = id(a);
      if (youthId === null) return null;
      const kind = ({ ys: 'youth_summary', lc: 'create_link_code', lg: 'log_contact', ex: 'export_youth', pf: 'propose_for' } as const)[code];
      return { kind, youthId };
    }
    case 'cl': {
      const list = Object.hasOwn(LIST_CODES, a) ? LIST_CODES[a as keyof typeof LIST_CODES] : undefined;
      if (!list || (b !== '' && !/^\d{1,4}$/.test(b)) || (c !== '' && !KEY.test(c))) return null;
      return { kind: 'caseload_list', list, ...(b ? { days: Number(b) } : {}), ...(c ? { topic: c } : {}) };
    }
    case 'pm': {
      const youthId = id(a);
      const missionId = id(b);
      return youthId !== null && missionId !== null ? { kind: 'propose', youthId, missionId } : null;
    }
    case 'pa':
    case 'ra': {
      const ref = id(a);
      if (ref === null || (b !== 'y' && b !== 'n') || c !== '') return null;
      return code === 'pa' ? { kind: 'proposal_answer', missionId: ref, yes: b === 'y' } : { kind: 'reminder_answer', appointmentId: ref, yes: b === 'y' };
    }
    case 'dg':
      return (a === 'y' || a === 'n') && b === '' && raw.split(':').length === 2 ? { kind: 'digest', on: a === 'y' } : null;
    case 'al':
      return raw === 'al' ? { kind: 'alert_save' } : null;
    case 'ax': {
      const savedSearchId = id(a);
      return savedSearchId !== null && b === '' && !raw.endsWith(':') ? { kind: 'alert_stop', savedSearchId } : null;
    }
    case 'ao': {
      const notificationId = id(a);
      return notificationId !== null && /^\d{1,3}$/.test(b) && c === '' ? { kind: 'alert_more', notificationId, page: Number(b) } : null;
    }
    case 'cx':
    case 'se':
    case 'ch':
      if (raw !== code) return null;
      return { kind: ({ cx: 'cancel', se: 'settings', ch: 'commands_help' } as const)[code] };
    default:
      return null;
  }
}
