import { issueLinkCode } from '../linking.js';
import type { HandlerResult } from '../context.js';
import { bold, button, buttons, link, reply, text } from '../replies.js';
import { formatDateTime } from '../format.js';
import { withState, type CounsellorContext } from './context.js';
import { askToConfirm } from './confirm.js';
import { fullName, notInScope, resolveYouth, youthInScope } from './resolve.js';

/** "code de liaison pour Léa Martin": resolves the youth in the scope (or the focus), then issues a code. */
export async function linkCodeByName(ctx: CounsellorContext, person: string | undefined): Promise<HandlerResult> {
  const found = await resolveYouth(ctx, person, (youthId) => ({ kind: 'create_link_code', youthId }), 'créer un code de liaison');
  if (found.kind === 'answer') return found.result;
  return askToConfirm(ctx, { kind: 'link_code', youthId: found.youth.id });
}

/**
 * Once confirmed (`confirm.ts`), issues a one-time code (the lead's `issueLinkCode` stores only its hash, revokes older codes and audits)
 * and shows it once, with the Telegram deep link when the bot's username is configured.
 */
export async function createLinkCode(ctx: CounsellorContext, youthId: number): Promise<HandlerResult> {
  const youth = await youthInScope(ctx, youthId);
  if (!youth) return notInScope();
  const issued = await issueLinkCode(ctx, youth.id);
  const blocks = [
    text('Code de liaison pour ', bold(fullName(youth)), ' : ', bold(issued.code)),
    text(`Valable jusqu’au ${formatDateTime(issued.expiresAt)}, une seule fois. Les codes donnés avant celui-ci ne fonctionnent plus.`),
    issued.deepLink
      ? text('À transmettre à ', fullName(youth), ' : ', link('ouvrir le bot Telegram avec ce code', issued.deepLink), ` (ou écrire « code ${issued.code} » au bot).`)
      : text('À transmettre à ', fullName(youth), ` : écrire « code ${issued.code} » au bot Telegram Mission Jeunes.`),
  ];
  if (youth.telegramUserId) blocks.push(text('ℹ️ Un compte Telegram est déjà relié : si ce code est utilisé depuis un autre compte, celui-ci remplacera l’ancien.'));
  blocks.push(buttons(button('Voir la fiche', { kind: 'youth_summary', youthId: youth.id })));
  return withState(ctx, reply(...blocks), { focusYouthId: youth.id });
}
