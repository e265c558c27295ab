import type { Understanding } from '../../nlu/index.js';
import { departementByCode } from '../../geo/communes.js';
import type { AlertSlot, NotificationInput, SavedSearchInput, SavedSearchView, Store } from '../../store/index.js';
import { lastDayOf, parisDateKey, parisHour, parisTimeOn, periodSpan } from '../../shared/time.js';
import type { HandlerResult, TurnContext } from '../context.js';
import { formatShortDate, SECTOR_LABELS } from '../format.js';
import { bold, button, buttons, cards, intentButton, reply, text } from '../replies.js';
import type { MissionSearchState } from '../state.js';
import type { Reply } from '../types.js';
import { linkFirstReply } from '../common.js';
import { missionCard } from './cards.js';
import { searchFromMessage } from './search.js';

/**
 * Saved searches and mission alerts, young person's side: "🔔 Préviens-moi" after a search (or the text
 * "préviens-moi", "alerte"), "mes alertes", "stop alertes"; the consent to messages the bot sends on its own
 * ("stop", "je ne veux plus de messages", "reprendre les messages"); and the grouped alert message rendered at
 * delivery. The rules of when an alert may go (one message a Paris day, never in quiet hours) are here, once.
 */

/** Quiet hours, Paris time: no alert from 21:00 to 08:00; one due then waits for 08:00 (never dropped). */
export const QUIET_HOURS = { from: 21, to: 8 } as const;
/** Missions shown with their details in one alert message; the rest is one "voir les N autres" away. */
export const ALERT_MISSIONS_SHOWN = 5;

/** True inside the quiet hours. */
export function inQuietHours(at: Date): boolean {
  const h = parisHour(at);
  return h >= QUIET_HOURS.from || h < QUIET_HOURS.to;
}

/** When a message held by the quiet hours may go: 08:00 Paris, today (before 08:00) or tomorrow (after 21:00). */
export function endOfQuietHours(at: Date): Date {
  return parisTimeOn(at, parisHour(at) >= QUIET_HOURS.from ? 1 : 0, QUIET_HOURS.to);
}

/**
 * The days an alert found at `now` may go out on, first choice first: today (from now, or from 08:00 if it is
 * earlier), or tomorrow 08:00 once today's quiet hours have begun; then the day after, for a young person whose
 * message of the first day is already sent (one message a day: the new missions wait for the next one).
 */
export function alertSlots(now: Date): AlertSlot[] {
  const first = inQuietHours(now) ? endOfQuietHours(now) : now;
  const next = parisTimeOn(first, 1, QUIET_HOURS.to);
  return [
    { day: parisDateKey(first), notBefore: first },
    { day: parisDateKey(next), notBefore: next },
  ];
}

/** The criteria of a search as a saved search (a calendar period becomes its dates as of now). */
export function savedSearchFrom(s: MissionSearchState, now: Date): SavedSearchInput {
  const out: SavedSearchInput = {};
  if (s.around && s.epciCode) out.epciCode = s.epciCode;
  else if (s.around && s.departementCode) out.departementCode = s.departementCode;
  else if (s.communeCode) out.communeCode = s.communeCode;
  else if (s.departementCode) out.departementCode = s.departementCode;
  if (s.communeName && !out.departementCode) out.communeName = s.communeName;
  if (s.sector) out.sector = s.sector as SavedSearchInput['sector'];
  if (s.startPeriod) {
    const span = periodSpan(s.startPeriod, now);
    out.startFrom = span.from;
    out.startTo = lastDayOf(span);
  } else if (s.startWithinDays !== undefined) out.startWithinDays = s.startWithinDays;
  return out;
}

/** "Logistique, autour de Lyon, début du 07/12 au 13/12": an alert in words. */
export function describeSavedSearch(v: SavedSearchInput): string {
  const where = v.communeCode
    ? `à ${v.communeName ?? v.communeCode}`
    : v.epciCode
      ? `autour de ${v.communeName ?? 'ta commune'}`
      : v.departementCode
        ? `dans le ${departementByCode(v.departementCode)?.name ?? v.departementCode} (${v.departementCode})`
        : 'partout';
  const when =
    v.startFrom && v.startTo
      ? `, début du ${formatShortDate(v.startFrom)} au ${formatShortDate(v.startTo)}`
      : v.startWithinDays !== undefined
        ? `, début d’ici ${v.startWithinDays} jours`
        : '';
  return `${v.sector ? `${SECTOR_LABELS[v.sector] ?? v.sector}, ` : ''}${where}${when}`;
}

const hasCriteria = (s: MissionSearchState | undefined): s is MissionSearchState => !!s && !!(s.communeCode || s.departementCode || s.sector);

const MESSAGES_PAUSED = 'Tu as mis mes messages en pause : tu ne recevras tes alertes qu’après avoir écrit « reprendre les messages ».';
const resumeButton = () => intentButton('resume_messages', '▶️ Reprendre les messages');

/** Saves the search as an alert: the one the message names, else the last one shown. */
export async function saveAlert(ctx: TurnContext, u?: Understanding): Promise<HandlerResult> {
  const named = u && (u.entities.cityCode || u.entities.departement || u.entities.sector);
  const home = ctx.actor.kind === 'youth' ? ctx.actor.youth.communeCode : undefined;
  const search = named ? searchFromMessage(u, ctx.state.lastSearch, home) : ctx.state.lastSearch;
  if (!hasCriteria(search)) {
    return {
      reply: reply(
        text('Dis-moi d’abord ce que tu cherches, par exemple ', bold('« missions en logistique à Lyon »'), ', puis appuie sur « 🔔 Préviens-moi » : je t’écrirai dès qu’une nouvelle mission correspond.'),
        buttons(intentButton('search_missions', '🔎 Chercher une mission')),
      ),
    };
  }
  const criteria = savedSearchFrom(search, ctx.now);
  if (ctx.actor.kind !== 'youth') {
    // Kept in the dialogue, and saved as soon as the account is linked (see link.ts).
    const r = linkFirstReply('recevoir les nouvelles missions');
    return {
      reply: { blocks: [text('Bonne idée 🔔 Je garde cette alerte de côté (', describeSavedSearch(criteria), ').'), ...r.blocks] },
      state: { ...ctx.state, pendingAlert: search },
    };
  }
  const youth = ctx.actor.youth;
  const saved = await ctx.store.alerts.saveSearch(youth.id, criteria, ctx.now);
  if ('full' in saved) {
    return { reply: reply(text('Tu as déjà 10 alertes : arrête-en une dans « mes alertes » avant d’en créer une autre.'), buttons(intentButton('alerts_list', '🔔 Mes alertes'))) };
  }
  if (saved.created) await ctx.audit('save_alert', youth.id, { savedSearchId: saved.id });
  const paused = !(await ctx.store.consent.hasMessagesConsent(youth.id));
  return {
    reply: reply(
      saved.created
        ? text('C’est noté 🔔 Je te préviens dès qu’une nouvelle mission correspond : ', bold(describeSavedSearch(criteria)), '. Au plus un message par jour, jamais entre 21 h et 8 h.')
        : text('Tu as déjà cette alerte 🔔 (', describeSavedSearch(criteria), ').'),
      ...(paused ? [text(MESSAGES_PAUSED)] : []),
      buttons(intentButton('alerts_list', '🔔 Mes alertes'), ...(paused ? [resumeButton()] : [])),
    ),
    state: { ...ctx.state, pendingAlert: undefined },
  };
}

/** After linking: the alert an anonymous user asked for is saved; returns its description, or null. */
export async function savePendingAlert(ctx: TurnContext, youthId: number): Promise<string | null> {
  const search = ctx.state.pendingAlert;
  if (!hasCriteria(search)) return null;
  const criteria = savedSearchFrom(search, ctx.now);
  const saved = await ctx.store.alerts.saveSearch(youthId, criteria, ctx.now);
  if ('full' in saved) return null;
  if (saved.created) await ctx.audit('save_alert', youthId, { savedSearchId: saved.id });
  return describeSavedSearch(criteria);
}

/** "Mes alertes": each with a button to stop it, and one to stop them all. */
export async function listAlerts(ctx: TurnContext): Promise<HandlerResult> {
  if (ctx.actor.kind !== 'youth') {
    if (hasCriteria(ctx.state.pendingAlert)) return { reply: linkFirstReply(`activer ton alerte (${describeSavedSearch(savedSearchFrom(ctx.state.pendingAlert, ctx.now))})`) };
    return { reply: linkFirstReply('recevoir des alertes de missions') };
  }
  const list = await ctx.store.alerts.listSavedSearches(ctx.actor.youth.id);
  if (list.length === 0) {
    return { reply: reply(text('Tu n’as pas d’alerte. Après une recherche, appuie sur « 🔔 Préviens-moi » : je t’écrirai quand une nouvelle mission correspond.'), buttons(intentButton('search_missions', '🔎 Chercher une mission'))) };
  }
  const paused = !(await ctx.store.consent.hasMessagesConsent(ctx.actor.youth.id));
  return {
    reply: reply(
      cards(
        list.map((a: SavedSearchView, i) => ({
          ref: String(i + 1),
          title: describeSavedSearch(a),
          fields: [{ label: 'Créée le', value: formatShortDate(a.createdAt) }],
          buttons: [button('🔕 Arrêter', { kind: 'alert_stop', savedSearchId: a.id })],
        })),
        `Tes alertes (${list.length})`,
      ),
      ...(paused ? [text(MESSAGES_PAUSED)] : []),
      buttons(intentButton('alerts_stop_all', '🔕 Stop toutes les alertes'), ...(paused ? [resumeButton()] : [])),
    ),
  };
}

export async function stopAlert(ctx: TurnContext, savedSearchId: number): Promise<HandlerResult> {
  if (ctx.actor.kind !== 'youth') return { reply: linkFirstReply('gérer tes alertes') };
  const done = await ctx.store.alerts.deleteSavedSearch(ctx.actor.youth.id, savedSearchId);
  if (done) await ctx.audit('stop_alert', ctx.actor.youth.id, { savedSearchId });
  return { reply: reply(text(done ? 'C’est arrêté 🔕 Je ne t’écrirai plus pour cette alerte.' : 'Cette alerte n’existe plus.'), buttons(intentButton('alerts_list', '🔔 Mes alertes'))) };
}

export async function stopAllAlerts(ctx: TurnContext): Promise<HandlerResult> {
  if (ctx.actor.kind !== 'youth') {
    return { reply: reply(text('Tu n’as pas d’alerte active.')), state: { ...ctx.state, pendingAlert: undefined } };
  }
  const n = await ctx.store.alerts.deleteAllSavedSearches(ctx.actor.youth.id);
  if (n > 0) await ctx.audit('stop_alert', ctx.actor.youth.id, { all: true, count: n });
  return {
    reply: reply(text(n > 0 ? `C’est fait 🔕 ${n > 1 ? `Tes ${n} alertes sont arrêtées` : 'Ton alerte est arrêtée'} : plus aucun message de nouvelles missions.` : 'Tu n’avais pas d’alerte.')),
    state: { ...ctx.state, pendingAlert: undefined },
  };
}

/** "Stop" / "je ne veux plus de messages": nothing more is sent on the bot's own initiative, queued or not. */
export async function stopMessages(ctx: TurnContext): Promise<HandlerResult> {
  if (ctx.actor.kind !== 'youth') {
    return { reply: reply(text('Ton compte n’est relié à aucun dossier : je ne t’envoie aucun message de moi-même. Je réponds seulement quand tu m’écris.')), state: { ...ctx.state, pendingAlert: undefined } };
  }
  await ctx.store.consent.setMessagesConsent(ctx.actor.youth.id, null);
  await ctx.audit('withdraw_consent', ctx.actor.youth.id);
  return {
    reply: reply(
      text('C’est noté 🔕 Je ne t’enverrai plus aucun message de moi-même (alertes de missions, propositions, rappels de rendez-vous), même ceux déjà prévus. Je réponds toujours quand tu m’écris.'),
      text('Pour recommencer, écris ', bold('« reprendre les messages »'), ' ou utilise /settings.'),
      buttons(resumeButton()),
    ),
  };
}

/** "Reprendre les messages": the consent is given again, from now on. */
export async function resumeMessages(ctx: TurnContext): Promise<HandlerResult> {
  if (ctx.actor.kind !== 'youth') return { reply: linkFirstReply('recevoir des messages (alertes, rappels)') };
  await ctx.store.consent.setMessagesConsent(ctx.actor.youth.id, ctx.now);
  await ctx.audit('give_consent', ctx.actor.youth.id);
  return {
    reply: reply(
      text('C’est reparti ▶️ Je peux de nouveau t’écrire : alertes de missions, propositions de ton conseiller, rappels de rendez-vous. Pour arrêter : écris « stop ».'),
      buttons(intentButton('alerts_list', '🔔 Mes alertes')),
    ),
  };
}

/** The missions of a grouped alert, `page` 1, 2… after the first five (its "voir les N autres" button). */
export async function alertMore(ctx: TurnContext, notificationId: number, page: number): Promise<HandlerResult> {
  if (ctx.actor.kind !== 'youth') return { reply: linkFirstReply('voir tes alertes') };
  const ids = await ctx.store.alerts.findAlertMissionIds(notificationId, ctx.actor.youth.id);
  const open = ids ? await ctx.store.missions.findOpenMissionCards(ids, ctx.now) : [];
  const offset = page * ALERT_MISSIONS_SHOWN;
  const shown = open.slice(offset, offset + ALERT_MISSIONS_SHOWN);
  if (shown.length === 0) return { reply: reply(text('Ces missions ne sont plus disponibles. Relance une recherche pour voir les offres du moment.'), buttons(intentButton('search_missions', '🔎 Chercher une mission'))) };
  const rest = open.length - offset - shown.length;
  return {
    reply: reply(
      cards(
        shown.map((m, i) => missionCard(m, offset + i + 1)),
        `Nouvelles missions de tes alertes (${offset + 1}-${offset + shown.length} sur ${open.length})`,
        rest > 0 ? button(`Voir les ${rest} autres`, { kind: 'alert_more', notificationId, page: page + 1 }) : undefined,
      ),
    ),
    state: { ...ctx.state, lastList: { kind: 'missions', ids: shown.map((m) => m.id), offset } },
  };
}

/**
 * The grouped alert as the young person receives it, rendered at delivery from the ids: missions closed or over
 * since are left out; nothing left = nothing sent (null).
 */
export async function renderMissionAlert(store: Store, notificationId: number, p: Extract<NotificationInput, { kind: 'mission_alert' }>, now: Date): Promise<Reply | null> {
  const open = await store.missions.findOpenMissionCards(p.missionIds, now);
  if (open.length === 0) return null;
  const shown = open.slice(0, ALERT_MISSIONS_SHOWN);
  const rest = open.length - shown.length;
  return reply(
    text('🔔 ', bold(open.length === 1 ? 'Une nouvelle mission' : `${open.length} nouvelles missions`), ' pour tes alertes :'),
    cards(
      shown.map((m, i) => missionCard(m, i + 1)),
      undefined,
      rest > 0 ? button(`Voir les ${rest} autres`, { kind: 'alert_more', notificationId, page: 1 }) : undefined,
    ),
    text('Pour gérer tes alertes : « mes alertes ». Pour ne plus rien recevoir : « stop ».'),
  );
}
