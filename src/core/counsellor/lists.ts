import { CASELOAD_LIST_LIMIT, type CaseloadRow, type Topic } from '../../store/index.js';
import type { HandlerResult } from '../context.js';
import type { CaseloadListKind, CoreIntent } from '../actions.js';
import type { Block, Card, Field } from '../types.js';
import { button, buttons, intentButton, reply, text } from '../replies.js';
import { formatDaysAgo, formatShortDate, momentOf, TOPIC_LABELS, YOUTH_STATUS_LABELS } from '../format.js';
import { withState, type CounsellorContext } from './context.js';
import { isTopic } from './entities.js';
import { fullName } from './resolve.js';
import { DEFAULT_DAYS, endingWithin, noContactSince, noMissionSince } from './definitions.js';
import { describePeriod, periodSpan, startOfParisDay, type CalendarPeriod } from '../../shared/time.js';

export type ListKind = CaseloadListKind;

/** What identifies a list, as kept in the dialogue state for paging. */
export interface ListQuery {
  list: ListKind;
  days?: number;
  /** Missions ending in a calendar period ("cette semaine" = today until Sunday); only for `ending_soon`. */
  period?: CalendarPeriod;
  topic?: Topic;
}

/** Youth per message: Teams and Telegram stay readable, and a card never exceeds the platforms' size limits. */
export const PAGE_SIZE = 10;

/** The default window of each list with one (src/core/counsellor/definitions.ts decides them). */
const DEFAULT_DAYS_OF: Record<ListKind, number | undefined> = {
  without_mission: DEFAULT_DAYS.without_mission,
  without_contact: DEFAULT_DAYS.without_contact,
  ending_soon: DEFAULT_DAYS.ending_soon,
  barrier: undefined,
  in_mission: undefined,
  pending_interest: undefined,
  open_requests: undefined,
};

/** The list a caseload intent asks for. */
export const LIST_OF_INTENT: Partial<Record<CoreIntent, ListKind>> = {
  youth_in_mission: 'in_mission',
  youth_without_mission: 'without_mission',
  youth_without_contact: 'without_contact',
  missions_ending_soon: 'ending_soon',
  youth_with_barrier: 'barrier',
};

/** Normalises a query (defaults, bounds) so paging and the first page always agree. */
export function normaliseQuery(list: ListKind, days?: number, topic?: string, period?: CalendarPeriod): ListQuery {
  if (list === 'barrier') return isTopic(topic) ? { list, topic } : { list };
  if (DEFAULT_DAYS_OF[list] === undefined) return { list };
  // A past-facing list ("sans contact depuis…") reads a period as its length in days; an ending date reads it as dates.
  if (list === 'ending_soon' && period && period !== 'this_year') return { list, days: days ?? DEFAULT_DAYS_OF[list]!, period };
  const d = days !== undefined && days > 0 ? Math.min(days, 3650) : DEFAULT_DAYS_OF[list]!;
  return { list, days: d };
}

function fetchRows(ctx: CounsellorContext, q: ListQuery): Promise<CaseloadRow[]> {
  const { scope } = ctx.actor;
  switch (q.list) {
    case 'without_mission':
      return ctx.store.caseload.youthWithoutMission(scope, noMissionSince(ctx.now, q.days!), ctx.now);
    case 'without_contact':
      return ctx.store.caseload.youthWithoutContact(scope, noContactSince(ctx.now, q.days!), ctx.now);
    case 'ending_soon':
      return ctx.store.caseload.missionsEndingSoon(scope, endingWithin(ctx.now, q.days!, q.period ? periodSpan(q.period, ctx.now) : undefined), ctx.now);
    case 'barrier':
      return ctx.store.caseload.youthWithBarrier(scope, q.topic, ctx.now);
    case 'in_mission':
      return ctx.store.caseload.youthInMissionNow(scope, ctx.now);
    case 'pending_interest':
      return ctx.store.caseload.youthWithPendingInterest(scope, ctx.now);
    case 'open_requests':
      return ctx.store.caseload.youthWithOpenRequests(scope, ctx.now);
  }
}

/** The heading of a list, with its count: "Sans mission depuis 30 jours ou plus : 4 jeunes". */
function heading(q: ListQuery, total: number, now: Date): string {
  const n = total >= CASELOAD_LIST_LIMIT ? `au moins ${total} jeunes (liste tronquée : précisez un nombre de jours ou un frein)` : `${total} jeune${total > 1 ? 's' : ''}`;
  switch (q.list) {
    case 'without_mission':
      return `Sans mission depuis ${q.days} jours ou plus : ${n}`;
    case 'without_contact':
      return `Sans contact depuis ${q.days} jours ou plus : ${n}`;
    case 'ending_soon':
      return `Missions se terminant ${q.period ? describePeriod(q.period, now) : `d’ici ${q.days} jours`} : ${n}`;
    case 'barrier':
      return `Frein ouvert${q.topic ? ` (${TOPIC_LABELS[q.topic]!.toLowerCase()})` : ''} : ${n}`;
    case 'in_mission':
      return `En mission aujourd’hui : ${n}`;
    case 'pending_interest':
      return `« Ça m’intéresse » en attente : ${n}`;
    case 'open_requests':
      return `Demandes ouvertes : ${n}`;
  }
}

/** What a list counts, when its heading alone could mislead (a youth never placed has no "last end" at all). */
function criterionNote(q: ListQuery): string | undefined {
  if (q.list === 'without_mission') return `Jeunes suivis sans mission en cours ni à venir, dont la dernière s’est terminée il y a ${q.days} jours ou plus, ou jamais en mission.`;
  if (q.list === 'without_contact') return `Jeunes suivis dont le dernier contact noté date de ${q.days} jours ou plus, ou sans aucun contact noté.`;
  return undefined;
}

/** The field a list is about, shown first (after the name): its column in a table. */
const LEAD_FIELD: Partial<Record<ListKind, string>> = {
  without_contact: 'Dernier contact',
  without_mission: 'Dernière fin de mission',
  ending_soon: 'Fin de la mission',
  in_mission: 'Fin de la mission',
  barrier: 'Freins',
};

const dateField = (label: string, d: Date | null | undefined, none: string): Field => (d ? { label, value: formatShortDate(d), moment: momentOf(d) } : { label, value: none });

/**
 * One youth of a list: who, when last seen, last (or current) mission end, next appointment, open barriers.
 * Every row of a list has the same fields in the same order (a table's columns), the list's own field first.
 */
export function rowCard(r: CaseloadRow, ref: number, now: Date, q: ListQuery): Card {
  const current = q.list === 'ending_soon' || q.list === 'in_mission';
  const all: Field[] = [
    { label: 'Dernier contact', value: formatDaysAgo(r.lastContactAt, now) },
    current
      ? dateField('Fin de la mission', r.currentMissionEnd, '—')
      : r.neverPlaced
        ? { label: 'Dernière fin de mission', value: 'jamais placé·e' }
        : // The latest placement may still be running or not have begun: its end is then no "last end".
          r.lastMissionEnd && r.lastMissionEnd.getTime() >= startOfParisDay(now).getTime()
          ? { label: 'Dernière fin de mission', value: `${formatShortDate(r.lastMissionEnd)} (prévue)`, moment: { ...momentOf(r.lastMissionEnd), after: ' (prévue)' } }
          : dateField('Dernière fin de mission', r.lastMissionEnd, '—'),
    dateField('Prochain rendez-vous', r.nextAppointmentAt, 'aucun'),
  ];
  if (q.list === 'barrier') all.push({ label: 'Freins', value: (r.barrierTopics ?? []).map((t) => TOPIC_LABELS[t] ?? t).join(', ') || '—' });
  // The list's own column comes right after the name (the status reads under the name): it is what the list is read for.
  const lead = LEAD_FIELD[q.list];
  const fields = [...all.filter((f) => f.label === lead), ...all.filter((f) => f.label !== lead)];
  return {
    ref: String(ref),
    title: fullName(r),
    subtitle: YOUTH_STATUS_LABELS[r.status] ?? r.status,
    fields,
    buttons: [button('Ouvrir la fiche', { kind: 'youth_summary', youthId: r.id })],
  };
}

/**
 * Shows one page of a caseload list. The rows are read again for every page (the list may have changed since),
 * and one `list_caseload` audit event is written per page shown.
 */
export async function showList(ctx: CounsellorContext, q: ListQuery, page: number): Promise<HandlerResult> {
  const rows = await fetchRows(ctx, q);
  const pages = Math.max(1, Math.ceil(rows.length / PAGE_SIZE));
  const p = Math.min(Math.max(0, page), pages - 1);
  const slice = rows.slice(p * PAGE_SIZE, (p + 1) * PAGE_SIZE);
  await ctx.audit('list_caseload', null, { list: q.list, count: rows.length, page: p, ...(q.days ? { days: q.days } : {}), ...(q.topic ? { topic: q.topic } : {}) });
  const state = {
    lastCaseloadList: { list: q.list, page: p, ...(q.days ? { days: q.days } : {}), ...(q.period ? { period: q.period } : {}), ...(q.topic ? { topic: q.topic } : {}) },
    lastList: { kind: 'youth' as const, ids: slice.map((r) => r.id), offset: p * PAGE_SIZE },
  };
  if (rows.length === 0) {
    return withState(ctx, reply(text(`${heading(q, 0, ctx.now)}. Rien à signaler 👍`), buttons(intentButton('caseload_overview'))), state);
  }
  const more = p + 1 < pages ? button(`Voir plus (${p + 2}/${pages})`, { kind: 'list_page', page: p + 1 }) : undefined;
  const previous = p > 0 ? button(`⬅️ Précédent (${p}/${pages})`, { kind: 'list_page', page: p - 1 }) : undefined;
  const title = pages > 1 ? `${heading(q, rows.length, ctx.now)} — page ${p + 1}/${pages}` : heading(q, rows.length, ctx.now);
  const list: Block = {
    type: 'cards',
    heading: title,
    cards: slice.map((r, i) => rowCard(r, p * PAGE_SIZE + i + 1, ctx.now, q)),
    ...(more ? { more } : {}),
    ...(previous ? { previous } : {}),
    ...(criterionNote(q) ? { note: criterionNote(q)! } : {}),
    table: { title: 'Jeune', subtitle: 'Statut' },
  };
  // A page press replaces the page it came from (Telegram edits it, Teams updates the card).
  return withState(ctx, { ...reply(list), ...(page > 0 || previous ? { replacesPrevious: true } : {}) }, state);
}

/** "voir plus": the next page of the last list, or a polite restart when there is none (old button). */
export async function showPage(ctx: CounsellorContext, page: number): Promise<HandlerResult> {
  const last = ctx.state.lastCaseloadList;
  const kind = last?.list;
  if (!last || !kind || !(kind in DEFAULT_DAYS_OF)) {
    return { reply: reply(text('Cette liste n’est plus disponible. Redemandez-la :'), buttons(intentButton('caseload_overview'))) };
  }
  return showList(ctx, normaliseQuery(kind as ListKind, last.days, last.topic, last.period), page);
}
