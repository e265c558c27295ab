import type { HandlerResult } from '../context.js';
import { encodeAction } from '../actions.js';
import type { Block, Fact } from '../types.js';
import { buttons, intentButton, reply, text } from '../replies.js';
import { digestButton } from './digest.js';
import { formatNumber, TOPIC_LABELS, YOUTH_STATUS_LABELS } from '../format.js';
import { isManager, type CounsellorContext } from './context.js';
import { DEFAULT_DAYS, overviewWindows } from './definitions.js';

/** The themes of the dashboard, in reading order; channels with a grid lay the counts out by them. */
const SITUATION = 'Situation';
const ALERTS = 'Alertes';
const BARRIERS = 'Freins ouverts';
const REQUESTS = 'Demandes';

/**
 * The caseload dashboard: one `facts` block of counts grouped by theme, each with the action that opens its list when a list exists.
 * Managers see their whole Mission locale, counsellors their own youth.
 */
export async function caseloadOverview(ctx: CounsellorContext): Promise<HandlerResult> {
  const o = await ctx.store.caseload.caseloadOverview(ctx.actor.scope, overviewWindows(ctx.now), ctx.now);
  const { without_mission: wm, without_contact: wc, ending_soon: es } = DEFAULT_DAYS;
  const statuses = ['active', 'in_mission', 'paused']
    .filter((s) => (o.byStatus[s] ?? 0) > 0)
    .map((s) => `${YOUTH_STATUS_LABELS[s]} ${formatNumber(o.byStatus[s] ?? 0)}`)
    .join(', ');
  const facts: Fact[] = [
    { group: SITUATION, label: 'Jeunes suivis', value: formatNumber(o.followed) },
    { group: SITUATION, label: 'En mission aujourd’hui', value: formatNumber(o.inMissionNow), action: encodeAction({ kind: 'caseload_list', list: 'in_mission' }) },
    { group: SITUATION, label: `Fin de mission dans les ${es} jours`, value: formatNumber(o.endingSoon), action: encodeAction({ kind: 'caseload_list', list: 'ending_soon', days: es }) },
    { group: ALERTS, label: `Sans mission depuis ${wm} jours ou plus`, value: formatNumber(o.withoutMission), action: encodeAction({ kind: 'caseload_list', list: 'without_mission', days: wm }) },
    { group: ALERTS, label: `Sans contact depuis ${wc} jours ou plus`, value: formatNumber(o.withoutContact), action: encodeAction({ kind: 'caseload_list', list: 'without_contact', days: wc }) },
    ...barrierFacts(o.openBarriersByTopic),
    { group: REQUESTS, label: '« Ça m’intéresse » en attente', value: formatNumber(o.pendingApplications), action: encodeAction({ kind: 'caseload_list', list: 'pending_interest' }) },
    { group: REQUESTS, label: 'Demandes ouvertes (rappel, rendez-vous, frein)', value: formatNumber(o.openRequests), action: encodeAction({ kind: 'caseload_list', list: 'open_requests' }) },
  ];
  const heading = isManager(ctx) ? `Portefeuille de ${ctx.actor.counsellor.missionLocale.name}` : 'Votre portefeuille';
  // What "Jeunes suivis" counts, said where it is shown: the programme figures count another thing under a near name.
  const whose = isManager(ctx) ? 'les jeunes de la Mission locale' : 'vos jeunes';
  const note = `Jeunes suivis : ${whose} suivis aujourd’hui, sorties du programme exclues${statuses ? ` (${statuses})` : ''}.`;
  const blocks: Block[] = [{ type: 'facts', heading, note, facts }];
  if (o.followed === 0) blocks.push(text('Aucun jeune suivi pour le moment.'));
  blocks.push(buttons(intentButton('programme_stats'), await digestButton(ctx), intentButton('help')));
  await ctx.audit('view_caseload_overview', null, { followed: o.followed });
  return { reply: reply(...blocks) };
}

function barrierFacts(byTopic: Record<string, number>): Fact[] {
  const topics = Object.keys(TOPIC_LABELS).filter((t) => (byTopic[t] ?? 0) > 0);
  if (topics.length === 0) return [{ group: BARRIERS, label: 'Freins ouverts', value: '0' }];
  return topics.map((t) => ({
    group: BARRIERS,
    label: `Freins ouverts : ${TOPIC_LABELS[t]!.toLowerCase()}`,
    value: formatNumber(byTopic[t] ?? 0),
    action: encodeAction({ kind: 'caseload_list', list: 'barrier', topic: t }),
  }));
}
