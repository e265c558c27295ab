import type { Actor } from './context.js';
import type { Reply } from './types.js';
import { buttons, intentButton, reply, text, bold } from './replies.js';

/** French button labels of the intents (used in menus and clarifying questions). */
export const INTENT_LABELS: Record<string, string> = {
  search_missions: '🔎 Chercher une mission',
  my_applications: '📋 Mes candidatures',
  support: '🤝 Les aides',
  faq: '❓ Questions sur l’intérim',
  contact_counsellor: '📞 Contacter mon conseiller',
  appointment: '📅 Mes rendez-vous',
  link_account: '🔗 Relier mon compte',
  delete_data: '🗑️ Mes données',
  mission_details: 'ℹ️ Détails d’une mission',
  apply_mission: '✋ Ça m’intéresse',
  greeting: '👋 Bonjour',
  help: 'Aide',
  thanks: 'Merci',
  caseload_overview: '📊 Mon portefeuille',
  youth_without_mission: 'Jeunes sans mission',
  youth_without_contact: 'Jeunes sans contact',
  missions_ending_soon: 'Fins de mission proches',
  youth_with_barrier: 'Freins ouverts',
  youth_summary: 'Fiche d’un jeune',
  create_link_code: 'Code de liaison',
  propose_mission: 'Proposer une mission',
  log_contact: 'Noter un contact',
  programme_stats: 'Chiffres du programme',
  alerts: '🔔 Mes alertes',
  stop_messages: '🔕 Ne plus recevoir de messages',
  resume_messages: '▶️ Reprendre les messages',
};

const YOUTH_MENU = ['search_missions', 'support', 'faq', 'my_applications', 'contact_counsellor', 'appointment'];
const ANONYMOUS_MENU = ['search_missions', 'support', 'faq', 'link_account'];
const COUNSELLOR_MENU = ['caseload_overview', 'youth_without_mission', 'youth_without_contact', 'missions_ending_soon', 'youth_with_barrier', 'programme_stats'];

/** The "here is what I can do" reply of each kind of user. */
export function helpReplyFor(actor: Actor): Reply {
  if (actor.kind === 'counsellor') {
    return reply(
      text('Je peux interroger votre portefeuille : jeunes sans mission ou sans contact depuis N jours, fins de mission proches, freins ouverts, fiche d’un jeune (« fiche de Léa Martin »), code de liaison, proposition de mission, note de contact, chiffres du programme.'),
      buttons(...COUNSELLOR_MENU.map((i) => intentButton(INTENT_LABELS[i]!, i))),
    );
  }
  if (actor.kind === 'youth') {
    return reply(
      text('Je peux t’aider à ', bold('trouver une mission d’intérim'), ', connaître les ', bold('aides'), ' (logement, transport, garde d’enfants, santé, argent, formation), répondre à tes questions sur l’intérim, suivre tes candidatures et joindre ton conseiller.'),
      buttons(...YOUTH_MENU.map((i) => intentButton(INTENT_LABELS[i]!, i))),
    );
  }
  return reply(
    text('Je peux t’aider à ', bold('trouver une mission d’intérim'), ' près de chez toi, connaître les ', bold('aides'), ' et répondre à tes questions sur l’intérim. Pour suivre tes candidatures et parler à ton conseiller, relie ton compte avec le code donné par ta Mission locale.'),
    buttons(...ANONYMOUS_MENU.map((i) => intentButton(INTENT_LABELS[i]!, i))),
  );
}

export function unknownStaffReply(): Reply {
  return reply(text('Bonjour. Votre compte n’est pas enregistré comme conseiller ou conseillère Mission Jeunes : je ne peux rien afficher. Contactez l’administrateur de votre Mission locale pour obtenir un accès.'));
}

/** The reply to an anonymous user asking for something that needs a linked file. */
export function linkFirstReply(what: string): Reply {
  return reply(
    text(`Pour ${what}, relie d’abord ton compte à ton dossier Mission locale : demande un code à ton conseiller, puis écris-moi `, bold('code XXXXXXXX'), '.'),
    buttons(intentButton('🔗 J’ai un code', 'link_account'), intentButton(INTENT_LABELS.search_missions!, 'search_missions')),
  );
}

export function greetingName(actor: Actor, displayName?: string): string {
  if (actor.kind === 'youth') return actor.youth.firstName;
  if (actor.kind === 'counsellor') return actor.counsellor.firstName;
  return displayName ? displayName.slice(0, 40) : '';
}
