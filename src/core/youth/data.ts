import type { HandlerResult, TurnContext } from '../context.js';
import { bold, button, buttons, reply, text } from '../replies.js';
import { asking } from '../pending.js';
import { formatDate, YOUTH_STATUS_LABELS } from '../format.js';

/** "Mes données": what is stored about me, and a way to delete it. */
export async function showMyData(ctx: TurnContext): Promise<HandlerResult> {
  const del = buttons(button('🗑️ Supprimer mes données', { kind: 'intent', intent: 'delete_data_confirm' }, 'danger'));
  if (ctx.actor.kind !== 'youth') {
    return {
      reply: reply(text('Ton compte n’est relié à aucun dossier. Je garde seulement le fil de notre conversation (dernière recherche), effacé automatiquement au bout de quelques semaines.'), del),
    };
  }
  const y = ctx.actor.youth;
  const counsellor = await ctx.store.counsellors.findCounsellorOfYouth(y.id);
  const applications = await ctx.store.activity.countApplications(y.id);
  await ctx.audit('view_own_data', y.id);
  return {
    reply: reply(
      text(bold('Ce que je sais de toi')),
      {
        type: 'facts',
        facts: [
          { label: 'Prénom et nom', value: `${y.firstName} ${y.lastName}` },
          ...(y.birthDate ? [{ label: 'Date de naissance', value: formatDate(y.birthDate) }] : []),
          { label: 'Statut', value: YOUTH_STATUS_LABELS[y.status] ?? y.status },
          ...(counsellor ? [{ label: 'Conseiller', value: `${counsellor.firstName} ${counsellor.lastName} (${counsellor.missionLocale.name})` }] : []),
          { label: 'Candidatures', value: String(applications) },
          { label: 'Compte Telegram', value: 'relié' },
        ],
      },
      text('La suppression délie ton compte Telegram et efface ce que le bot a collecté (conversation, préférences). Ton dossier Mission locale reste suivi par ton conseiller.'),
      del,
    ),
  };
}

export function askDeleteConfirmation(ctx: TurnContext): HandlerResult {
  return {
    reply: reply(
      text('Tu veux vraiment ', bold('supprimer tes données'), ' du bot ? Ton compte sera délié et notre conversation effacée.'),
      buttons(button('Oui, supprimer', { kind: 'confirm', yes: true }, 'danger'), button('Non, annuler', { kind: 'confirm', yes: false })),
    ),
    state: asking(ctx.state, { kind: 'confirm_delete' }, ctx.now),
  };
}

/** After "yes": unlink, erase what the bot collected, audit, confirm. The dialogue state is reset. */
export async function deleteMyData(ctx: TurnContext): Promise<HandlerResult> {
  const channelIds = [{ channel: ctx.event.channel, channelUserId: ctx.event.channelUserId }];
  if (ctx.actor.kind === 'youth') {
    await ctx.store.dataRights.eraseBotData(ctx.actor.youth.id, channelIds);
    await ctx.audit('delete_data', ctx.actor.youth.id);
  } else {
    await ctx.store.conversation.deleteConversationState(ctx.event.channel, ctx.event.channelUserId);
    await ctx.audit('delete_data', null);
  }
  return { reply: reply(text('C’est fait ✅ Tes données du bot sont supprimées et ton compte est délié. Tu peux revenir quand tu veux.')), state: null };
}
