import type { ProgrammeStats } from '../../store/index.js';
import type { HandlerResult } from '../context.js';
import type { Block, Field } from '../types.js';
import { buttons, intentButton, italic, reply, text } from '../replies.js';
import { formatDate, formatNumber, formatShortDate } from '../format.js';
import type { CounsellorContext } from './context.js';

const DAY = 86_400_000;
/** "Since the start": the programme's figures cover every row of the store; no data predates this. */
const SINCE_START = new Date('2000-01-01T00:00:00Z');

function facts(s: ProgrammeStats): Field[] {
  return [
    { label: 'Jeunes suivis', value: formatNumber(s.youthFollowed) },
    { label: 'Missions d’intérim (placements)', value: formatNumber(s.placements) },
    { label: 'Heures de mission', value: `${formatNumber(s.placementHours)} h` },
    { label: 'Jeunes avec au moins une mission', value: formatNumber(s.youthWithPlacement) },
    { label: 'Freins levés', value: formatNumber(s.barriersResolved) },
  ];
}

/**
 * The programme's figures for the counsellor's Mission locale and overall, over the last 12 months (or the
 * `days` asked for) and since the start. They are computed from THIS store and say so: demo data is not
 * the national programme's published figures.
 */
export async function programmeStats(ctx: CounsellorContext, days: number | undefined): Promise<HandlerResult> {
  const to = ctx.now;
  const recentFrom = new Date(to.getTime() - (days ?? 365) * DAY);
  const recentLabel = days ? `${days} derniers jours` : '12 derniers mois';
  // The period said in dates, not only "12 derniers mois": a figure read later must still say what it covers.
  const recentPeriod = `Du ${formatDate(recentFrom)} au ${formatDate(to)}`;
  const allPeriod = `Toutes les données jusqu’au ${formatDate(to)}`;
  const ml = ctx.actor.counsellor.missionLocale;
  const [mlRecent, mlAll, allRecent, allAll] = await Promise.all([
    ctx.store.stats.programmeStats({ missionLocaleId: ml.id, from: recentFrom, to }),
    ctx.store.stats.programmeStats({ missionLocaleId: ml.id, from: SINCE_START, to }),
    ctx.store.stats.programmeStats({ from: recentFrom, to }),
    ctx.store.stats.programmeStats({ from: SINCE_START, to }),
  ]);
  await ctx.audit('view_programme_stats', null, { missionLocaleId: ml.id, days: days ?? 365 });
  const blocks: Block[] = [
    text(
      italic(
        `Chiffres calculés sur les données de cet assistant au ${formatShortDate(to)} (données de démonstration) : ce ne sont pas les chiffres officiels du programme national.`,
      ),
    ),
    { type: 'facts', heading: `${ml.name} : ${recentLabel}`, note: recentPeriod, facts: facts(mlRecent) },
    { type: 'facts', heading: `${ml.name} : depuis le début`, note: allPeriod, facts: facts(mlAll) },
    { type: 'facts', heading: `Toutes les Missions locales : ${recentLabel}`, note: recentPeriod, facts: facts(allRecent) },
    { type: 'facts', heading: 'Toutes les Missions locales : depuis le début', note: allPeriod, facts: facts(allAll) },
    buttons(intentButton('Mon portefeuille', 'caseload_overview')),
  ];
  return { reply: reply(...blocks) };
}
