import type { ProgrammeStats } from '../../store/index.js';
import type { HandlerResult } from '../context.js';
import type { Block, Field } from '../types.js';
import { buttons, intentButton, italic, reply, text } from '../replies.js';
import { formatDate, formatNumber, formatShortDate } from '../format.js';
import type { CounsellorContext } from './context.js';
import { calendarDaysBetween, formatParisDate, parisDayStart, parisYear, periodSpan, startOfParisMonth, startOfParisWeek, type CalendarPeriod } from '../../shared/time.js';

/** Past periods a figure can cover: a calendar period already begun counts from its first day up to now. */
const PAST_FACING: ReadonlySet<CalendarPeriod> = new Set(['today', 'this_week', 'this_month', 'this_year']);

/** The first instant of the recent figures and how the period is named (always with its dates). */
function recentPeriod(now: Date, days: number | undefined, period: CalendarPeriod | undefined): { recentFrom: Date; recentLabel: string } {
  if (period && PAST_FACING.has(period)) {
    const from = period === 'this_week' ? startOfParisWeek(now) : period === 'this_month' ? startOfParisMonth(now) : periodSpan(period, now).from;
    const name = period === 'this_year' ? `année ${parisYear(now)}` : period === 'this_month' ? 'ce mois-ci' : period === 'this_week' ? 'cette semaine' : 'aujourd’hui';
    return { recentFrom: from, recentLabel: `${name} (du ${formatParisDate(from)} au ${formatParisDate(now)})` };
  }
  const n = days ?? 365;
  const from = parisDayStart(now, -n);
  return { recentFrom: from, recentLabel: `${days ? `${days} derniers jours` : '12 derniers mois'} (du ${formatParisDate(from)} au ${formatParisDate(now)})` };
}
/** "Since the start": the programme's figures cover every row of the store; no data predates this. */
const SINCE_START = new Date('2000-01-01T00:00:00Z');

function facts(s: ProgrammeStats): Field[] {
  return [
    // Not the caseload's "followed today": this counts everyone followed at some point of the period, exits included.
    { label: 'Jeunes suivis sur la période', value: formatNumber(s.youthFollowed) },
    { label: 'Missions d’intérim commencées', value: formatNumber(s.placements) },
    { label: 'Heures de mission', value: `${formatNumber(s.placementHours)} h` },
    { label: 'Jeunes avec au moins une mission', value: formatNumber(s.youthWithPlacement) },
    { label: 'Freins levés', value: formatNumber(s.barriersResolved) },
  ];
}

/**
 * The programme's figures for the counsellor's Mission locale and overall, over the last 12 months (or the
 * `days` asked for, or a calendar period: "de l'année" = since 1 January) and since the start. They are computed
 * from THIS store and say so: demo data is not the national programme's published figures.
 */
export async function programmeStats(ctx: CounsellorContext, days: number | undefined, period?: CalendarPeriod): Promise<HandlerResult> {
  const to = ctx.now;
  const { recentFrom, recentLabel } = recentPeriod(ctx.now, days, period);
  // Each table: its scope as heading, its period said in words and dates under it (a figure read later must still
  // say what it covers).
  const recentNote = recentLabel;
  const allNote = `depuis le début (toutes les données jusqu’au ${formatDate(to)})`;
  const ml = ctx.actor.counsellor.missionLocale;
  const [mlRecent, mlAll, allRecent, allAll] = await Promise.all([
    ctx.store.stats.programmeStats({ missionLocaleId: ml.id, from: recentFrom, to }),
    ctx.store.stats.programmeStats({ missionLocaleId: ml.id, from: SINCE_START, to }),
    ctx.store.stats.programmeStats({ from: recentFrom, to }),
    ctx.store.stats.programmeStats({ from: SINCE_START, to }),
  ]);
  await ctx.audit('view_programme_stats', null, { missionLocaleId: ml.id, days: Math.max(1, calendarDaysBetween(recentFrom, to)) });
  const blocks: Block[] = [
    text(
      italic(
        `Chiffres calculés sur les données de cet assistant au ${formatShortDate(to)} (données de démonstration) : ce ne sont pas les chiffres officiels du programme national.`,
      ),
    ),
    { type: 'facts', heading: ml.name, note: recentNote, facts: facts(mlRecent) },
    { type: 'facts', heading: ml.name, note: allNote, facts: facts(mlAll) },
    { type: 'facts', heading: 'Toutes les Missions locales', note: recentNote, facts: facts(allRecent) },
    { type: 'facts', heading: 'Toutes les Missions locales', note: allNote, facts: facts(allAll) },
    text(
      italic(
        '« Jeunes suivis sur la période » compte chaque jeune suivi à un moment de la période, y compris ceux sortis du programme depuis ; « Jeunes suivis » de votre portefeuille compte ceux suivis aujourd’hui, sorties exclues.',
      ),
    ),
    buttons(intentButton('caseload_overview')),
  ];
  return { reply: reply(...blocks) };
}
