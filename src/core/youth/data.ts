import type { HandlerResult, TurnContext } from '../context.js';
import { bold, button, buttons, reply, text } from '../replies.js';
import { asking } from '../pending.js';
import { formatDate, formatDateTime, formatShortDate, REQUEST_LABELS, TOPIC_LABELS, YOUTH_STATUS_LABELS } from '../format.js';
import { communeByCode } from '../../geo/communes.js';
import type { Field } from '../types.js';

const CONTACT_LABELS: Record<string, string> = { phone: 'appel', meeting: 'entretien', message: 'message', bot: 'via le bot' };

/** "Mes données": what is stored about me, and a way to delete it. */
export async function showMyData(ctx: TurnContext): Promise<HandlerResult> {
  const del = buttons(button('🗑️ Supprimer mes données', { kind: 'intent', intent: 'delete_data_confirm' }, 'danger'));
  if (ctx.actor.kind !== 'youth') {
    return {
      reply: reply(text('Ton compte n’est relié à aucun dossier. Je garde seulement le fil de notre conversation (dernière recherche), effacé automatiquement au bout de quelques semaines.'), del),
    };
  }
  const y = ctx.actor.youth;
  // The same read as the counsellor's export: a young person sees everything the store holds about them.
  const file = await ctx.store.dataRights.exportYouthData(y.id);
  await ctx.audit('view_own_data', y.id);
  if (!file) return { reply: reply(text('Je ne retrouve pas ton dossier. Ta Mission locale peut te donner ce qu’elle détient sur toi.')) };
  const identity: Field[] = [
    { label: 'Prénom et nom', value: `${file.firstName} ${file.lastName}` },
    ...(file.birthDate ? [{ label: 'Date de naissance', value: formatDate(file.birthDate) }] : []),
    { label: 'Téléphone', value: file.phone ?? 'non renseigné' },
    { label: 'E-mail', value: file.email ?? 'non renseigné' },
    { label: 'Commune', value: `${communeByCode(file.communeCode)?.name ?? file.communeCode} (${file.postcode})` },
    { label: 'Statut', value: YOUTH_STATUS_LABELS[file.status] ?? file.status },
    { label: 'Suivi depuis le', value: formatDate(file.entryDate) },
    { label: 'Conseiller', value: `${file.counsellor.firstName} ${file.counsellor.lastName} (${file.missionLocale.name})` },
    { label: 'Compte Telegram', value: file.linkedAt ? `relié le ${formatDate(file.linkedAt)}` : 'relié' },
  ];
  const openBarriers = file.barriers.filter((b) => b.status !== 'resolved');
  const upcoming = file.appointments.filter((a) => a.status === 'planned' && a.at >= ctx.now).sort((a, b) => a.at.getTime() - b.at.getTime());
  const activity: Field[] = [
    { label: 'Freins ouverts', value: openBarriers.length ? openBarriers.map((b) => TOPIC_LABELS[b.topic] ?? b.topic).join(', ') : 'aucun' },
    { label: 'Rendez-vous à venir', value: upcoming.length ? upcoming.map((a) => `${formatDateTime(a.at)} (${a.place})`).join(' ; ') : 'aucun' },
    { label: 'Rendez-vous passés ou annulés', value: String(file.appointments.length - upcoming.length) },
    { label: 'Demandes à ton conseiller·ère', value: file.requests.length ? file.requests.map((r) => `${REQUEST_LABELS[r.kind] ?? r.kind} du ${formatShortDate(r.createdAt)} (${r.status === 'open' ? 'ouverte' : 'traitée'})`).join(' ; ') : 'aucune' },
    { label: 'Candidatures et propositions', value: file.applications.length ? file.applications.map((a) => `${a.mission.title} à ${a.mission.communeName}`).join(' ; ') : 'aucune' },
    { label: 'Missions effectuées', value: String(file.placements.length) },
    // Dates and kinds only: see the note below for why the counsellor's wording is not shown here.
    { label: 'Contacts notés par ton conseiller·ère', value: file.interactions.length ? file.interactions.map((i) => `${formatShortDate(i.at)} (${CONTACT_LABELS[i.channel] ?? i.channel})`).join(', ') : 'aucun' },
  ];
  return {
    reply: reply(
      text(bold('Ce que je sais de toi')),
      { type: 'facts', heading: 'Ton dossier', facts: identity },
      { type: 'facts', heading: 'Ton suivi', facts: activity },
      text(
        'Le texte des notes de contact est un outil de travail de ton conseiller·ère (ces notes peuvent parler d’autres personnes, comme un employeur) : ta Mission locale te le communique sur simple demande, c’est ton droit d’accès.',
      ),
      text('La suppression délie ton compte Telegram et efface ce que le bot a collecté (conversation, préférences). Ton dossier Mission locale reste suivi par ton conseiller·ère.'),
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
