import type { Actor } from './context.js';
import type { Block, Reply } from './types.js';
import type { IntentName } from '../nlu/index.js';
import { buttons, intentButton, reply, text, bold } from './replies.js';

/** The intents each kind of user is offered as buttons; their labels come from the intent catalogue (`intentButton`). */
const MENUS = {
  youth: ['search_missions', 'support', 'faq', 'my_applications', 'contact_counsellor', 'appointment'],
  anonymous: ['search_missions', 'support', 'faq', 'link_account'],
  counsellor: ['caseload_overview', 'youth_without_mission', 'youth_without_contact', 'missions_ending_soon', 'youth_with_barrier', 'programme_stats'],
} as const satisfies Record<string, readonly IntentName[]>;

/** The menu of one kind of user, as buttons. */
export function menu(kind: keyof typeof MENUS): Block {
  return buttons(...MENUS[kind].map((i) => intentButton(i)));
}

/** The "here is what I can do" reply of each kind of user. */
export function helpReplyFor(actor: Actor): Reply {
  if (actor.kind === 'counsellor') {
    return reply(
      text('Je peux interroger votre portefeuille : jeunes sans mission ou sans contact depuis N jours, fins de mission proches, freins ouverts, fiche d’un jeune (« fiche de Léa Martin »), code de liaison, recherche et proposition de missions, note de contact, point quotidien, chiffres du programme.'),
      menu('counsellor'),
    );
  }
  if (actor.kind === 'youth') {
    return reply(
      text('Je peux t’aider à ', bold('trouver une mission d’intérim'), ', connaître les ', bold('aides'), ' (logement, transport, garde d’enfants, santé, argent, formation), répondre à tes questions sur l’intérim, suivre tes candidatures, te prévenir des nouvelles missions (« préviens-moi ») et joindre ton conseiller·ère.'),
      menu('youth'),
    );
  }
  return reply(
    text('Je peux t’aider à ', bold('trouver une mission d’intérim'), ' près de chez toi, connaître les ', bold('aides'), ' et répondre à tes questions sur l’intérim. Pour suivre tes candidatures et parler à ton conseiller·ère, relie ton compte avec le code donné par ta Mission locale.'),
    menu('anonymous'),
  );
}

export function unknownStaffReply(): Reply {
  return reply(text('Bonjour. Votre compte n’est pas enregistré comme conseiller ou conseillère Mission Jeunes : je ne peux rien afficher. Contactez l’administrateur de votre Mission locale pour obtenir un accès.'));
}

/** The reply to an anonymous user asking for something that needs a linked file. */
export function linkFirstReply(what: string): Reply {
  return reply(
    text(`Pour ${what}, relie d’abord ton compte à ton dossier Mission locale : demande un code à ton conseiller·ère, puis écris-moi `, bold('code XXXXXXXX'), '.'),
    buttons(intentButton('link_account', '🔗 J’ai un code'), intentButton('search_missions')),
  );
}

export function greetingName(actor: Actor, displayName?: string): string {
  if (actor.kind === 'youth') return actor.youth.firstName;
  if (actor.kind === 'counsellor') return actor.counsellor.firstName;
  return displayName ? displayName.slice(0, 40) : '';
}
