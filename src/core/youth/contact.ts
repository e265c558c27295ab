import type { HandlerResult, TurnContext } from '../context.js';
import { linkFirstReply } from '../common.js';
import { bold, button, buttons, cards, intentButton, reply, text } from '../replies.js';
import { formatDateTime } from '../format.js';
import { COUNSELLOR_LEFT, isReachableCounsellor, notifyCounsellor } from '../recipients.js';

/** Records a call-back request for the counsellor and gives the Mission locale's phone and hours. */
export async function contactCounsellor(ctx: TurnContext): Promise<HandlerResult> {
  if (ctx.actor.kind !== 'youth') {
    const locales = await ctx.store.counsellors.listMissionLocales();
    const r = linkFirstReply('que ton conseiller·ère te rappelle');
    return {
      reply: reply(
        ...r.blocks,
        cards(
          locales.map((l) => ({ title: l.name, fields: [{ label: 'Téléphone', value: l.phone }, { label: 'Horaires', value: l.openingHours }], buttons: [] })),
          'Tu peux aussi appeler ta Mission locale :',
        ),
      ),
    };
  }
  const youth = ctx.actor.youth;
  const assigned = await ctx.store.counsellors.findCounsellorOfYouth(youth.id);
  // A counsellor deactivated by the counsellor import is neither told nor named.
  const counsellor = isReachableCounsellor(assigned) ? assigned : null;
  const request = await ctx.store.activity.recordRequest(youth.id, 'contact', 'Demande de rappel envoyée depuis le bot.');
  if (counsellor) {
    await ctx.store.notifications.enqueueNotification({ kind: 'youth_request', counsellorId: counsellor.id, youthId: youth.id, requestId: request.id, requestKind: 'contact' });
  }
  await ctx.audit('contact_request', youth.id, { created: request.created });
  const ml = assigned?.missionLocale;
  return {
    reply: reply(
      text(
        request.created ? 'C’est transmis ✅ ' : 'Ta demande est déjà transmise. ',
        counsellor ? bold(`${counsellor.firstName} ${counsellor.lastName}`) : assigned ? 'Ta Mission locale' : 'Ton conseiller·ère',
        ' va te recontacter.',
      ),
      ...(ml ? [text(`Tu peux aussi appeler ${ml.name} au `, bold(ml.phone), ` (${ml.openingHours}).`)] : []),
    ),
  };
}

/** Next appointments, and a way to ask for one. */
export async function appointments(ctx: TurnContext, wantsNew: boolean): Promise<HandlerResult> {
  if (ctx.actor.kind !== 'youth') return { reply: linkFirstReply('voir tes rendez-vous') };
  const youth = ctx.actor.youth;
  if (wantsNew) {
    const request = await ctx.store.activity.recordRequest(youth.id, 'appointment', 'Demande de rendez-vous envoyée depuis le bot.');
    const told = await notifyCounsellor(ctx.store, { kind: 'youth_request', counsellorId: youth.counsellorId, youthId: youth.id, requestId: request.id, requestKind: 'appointment' });
    await ctx.audit('appointment_request', youth.id, { created: request.created });
    if (!request.created) return { reply: reply(text('Ta demande de rendez-vous est déjà en cours.')) };
    return { reply: reply(text(told ? 'Demande de rendez-vous envoyée ✅ Ton conseiller·ère te proposera une date.' : `Demande de rendez-vous enregistrée ✅ ${COUNSELLOR_LEFT}`)) };
  }
  const list = await ctx.store.activity.upcomingAppointments(youth.id, ctx.now);
  const ask = buttons(button('📅 Demander un rendez-vous', { kind: 'intent', intent: 'appointment_request' }));
  if (list.length === 0) return { reply: reply(text('Tu n’as pas de rendez-vous prévu.'), ask) };
  return {
    reply: reply(
      cards(
        list.map((a) => ({
          title: formatDateTime(a.at),
          fields: [
            { label: 'Lieu', value: a.place },
            ...(a.purpose ? [{ label: 'Objet', value: a.purpose }] : []),
            { label: 'Avec', value: `${a.counsellor.firstName} ${a.counsellor.lastName}` },
          ],
          buttons: [],
        })),
        list.length > 1 ? 'Tes prochains rendez-vous' : 'Ton prochain rendez-vous',
      ),
      buttons(button('📅 Demander un autre rendez-vous', { kind: 'intent', intent: 'appointment_request' }), intentButton('contact_counsellor')),
    ),
  };
}
