import type { HandlerResult, TurnContext } from '../context.js';
import { linkFirstReply } from '../common.js';
import { button, buttons, cards, intentButton, reply, text } from '../replies.js';
import { APPLICATION_STATUS_LABELS, formatDate } from '../format.js';

export async function myApplications(ctx: TurnContext): Promise<HandlerResult> {
  if (ctx.actor.kind !== 'youth') return { reply: linkFirstReply('voir tes candidatures') };
  const apps = await ctx.store.activity.listApplications(ctx.actor.youth.id, 10);
  if (apps.length === 0) {
    return { reply: reply(text('Tu n’as pas encore de candidature. Cherche une mission et appuie sur « Ça m’intéresse ».'), buttons(intentButton('search_missions'))) };
  }
  return {
    reply: reply(
      cards(
        apps.map((a, i) => ({
          ref: String(i + 1),
          title: a.mission.title,
          subtitle: a.mission.communeName,
          fields: [
            { label: 'Statut', value: APPLICATION_STATUS_LABELS[a.status] ?? a.status },
            { label: 'Envoyée le', value: formatDate(a.createdAt) },
            ...(a.updatedAt.getTime() - a.createdAt.getTime() > 60_000 ? [{ label: 'Mise à jour', value: formatDate(a.updatedAt) }] : []),
            ...(a.source === 'counsellor_proposal' ? [{ label: 'Origine', value: 'proposée par ton conseiller·ère' }] : []),
          ],
          buttons: [button('ℹ️ Détails', { kind: 'mission_details', missionId: a.mission.id })],
        })),
        `Tes candidatures (${apps.length})`,
      ),
    ),
    state: { ...ctx.state, lastList: { kind: 'missions', ids: apps.map((a) => a.mission.id), offset: 0 } },
  };
}
