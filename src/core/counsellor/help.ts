import type { HandlerResult } from '../context.js';
import type { Block, Reply } from '../types.js';
import { bold, reply, text } from '../replies.js';
import { menu } from '../common.js';
import type { CounsellorContext } from './context.js';
import type { CoreIntent } from '../actions.js';

/** The counsellor's menu: every journey that needs no name, as buttons. */
export const counsellorMenu = (): Block => menu('counsellor');

/** What the assistant does for a counsellor, with examples of what to type for the journeys that need a name. */
export function counsellorHelp(): Reply {
  return reply(
    text('Je vous aide à suivre vos jeunes en mission d’intérim. Vous pouvez me demander :'),
    text(
      '• ', bold('« mon portefeuille »'), ' : la vue d’ensemble ;\n',
      '• ', bold('« sans mission depuis 45 jours »'), ', ', bold('« sans contact depuis 3 semaines »'), ', ', bold('« fins de mission cette semaine »'), ', ', bold('« jeunes en mission »'), ', ', bold('« frein logement »'), ' ;\n',
      '• ', bold('« fiche de Léa Martin »'), ' : la fiche d’un jeune ;\n',
      '• ', bold('« code de liaison pour Léa Martin »'), ' : relier son compte Telegram ;\n',
      '• ', bold('« propose la mission 123 à Léa Martin »'), ' ;\n',
      '• ', bold('« note pour Léa Martin : appelée, dispo lundi »'), ' : noter un contact ;\n',
      '• ', bold('« missions de logistique à Villeurbanne »'), ' : chercher des missions à proposer ;\n',
      '• ', bold('« digest quotidien »'), ' : un point chaque matin des jours ouvrés (', bold('« arrête le digest »'), ' pour l’arrêter) ;\n',
      '• ', bold('« chiffres du programme »'), '.',
    ),
    counsellorMenu(),
  );
}

/** greeting, help, thanks and out_of_scope: short, then the menu. */
export function smallTalk(ctx: CounsellorContext, intent: CoreIntent): HandlerResult {
  const first = ctx.actor.counsellor.firstName;
  switch (intent) {
    case 'greeting':
      return { reply: reply(text(`Bonjour ${first} 👋 Que voulez-vous voir ?`), counsellorMenu()) };
    case 'thanks':
      return { reply: reply(text('Avec plaisir ! Autre chose ?'), counsellorMenu()) };
    case 'out_of_scope':
      return { reply: reply(text('Je ne sais pas faire cela. Voici ce que je peux faire pour vous :'), counsellorMenu()) };
    default:
      return { reply: counsellorHelp() };
  }
}
