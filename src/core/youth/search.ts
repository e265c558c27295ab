import type { Understanding } from '../../nlu/index.js';
import { communeByCode, departementByCode } from '../../geo/communes.js';
import type { MissionSearch } from '../../store/index.js';
import type { HandlerResult, TurnContext } from '../context.js';
import { button, buttons, cards, intentButton, reply, text, bold } from '../replies.js';
import type { MissionSearchState } from '../state.js';
import { formatNumber, SECTOR_LABELS } from '../format.js';
import { missionCard } from './cards.js';
import { describePeriod, lastDayOf, parisDayStart, periodSpan, startOfParisDay } from '../../shared/time.js';

export const PAGE_SIZE = 5;

/**
 * The search the user means. A follow-up ("et à Marseille ?", "en logistique", "plutôt la semaine pro") changes the
 * criteria it names and keeps the others; a new full request ("taf à Marseille") replaces the search: what it
 * does not name is dropped (the place defaults to where a linked youth lives).
 */
export function searchFromMessage(u: Understanding, previous: MissionSearchState | undefined, home?: string): MissionSearchState {
  const e = u.entities;
  if (u.signals.more && previous) return { ...previous, page: previous.page + 1 };
  const next: MissionSearchState = { ...(u.signals.followUp && previous ? previous : {}), page: 0 };
  if (e.cityCode) {
    const commune = communeByCode(e.cityCode);
    next.communeCode = e.cityCode;
    next.communeName = commune?.name ?? e.city;
    next.departementCode = undefined;
    next.epciCode = undefined;
    next.around = e.around ?? false;
    if (next.around && commune?.epci) next.epciCode = commune.epci;
    else if (next.around && commune) next.departementCode = commune.departement;
  } else if (e.departement) {
    next.departementCode = e.departement;
    next.communeCode = undefined;
    next.communeName = undefined;
    next.epciCode = undefined;
    next.around = false;
  } else if (!next.communeCode && !next.departementCode && home) {
    // A linked youth with no place in mind: around where they live.
    const commune = communeByCode(home);
    if (commune) Object.assign(next, { communeCode: commune.code, communeName: commune.name, epciCode: commune.epci ?? undefined, around: true });
  }
  if (e.sector) next.sector = e.sector;
  if (e.period) {
    next.startPeriod = e.period;
    next.startWithinDays = undefined;
  } else if (e.days !== undefined) {
    next.startWithinDays = Math.min(e.days, 365);
    next.startPeriod = undefined;
  }
  return next;
}

/** The date filters of a search: never a mission already over; "starting within N days" from today on. */
function dateWindow(s: MissionSearchState, now: Date): Pick<MissionSearch, 'startFrom' | 'startTo' | 'activeOn'> {
  if (s.startPeriod) {
    const span = periodSpan(s.startPeriod, now);
    return { activeOn: now, startFrom: span.from, startTo: lastDayOf(span) };
  }
  if (s.startWithinDays === undefined) return { activeOn: now };
  // "Dans 10 jours" counts whole Paris days from today: a mission starting on the 10th day is in.
  return { activeOn: now, startFrom: startOfParisDay(now), startTo: lastDayOf({ from: now, to: parisDayStart(now, s.startWithinDays + 1) }) };
}

/** The store query of a search state (one page). Shared by the youth and counsellor searches. */
export function searchQuery(s: MissionSearchState, now: Date): MissionSearch {
  return {
    ...dateWindow(s, now),
    ...(s.communeCode ? { communeCode: s.communeCode } : {}),
    ...(s.epciCode ? { epciCode: s.epciCode } : {}),
    ...(s.departementCode && !s.epciCode ? { departementCode: s.departementCode } : {}),
    ...(s.sector ? { sector: s.sector as MissionSearch['sector'] } : {}),
    page: s.page,
    pageSize: PAGE_SIZE,
  };
}

/** "Logistique, à Lyon, début la semaine prochaine (du … au …)": what a search covers, in words. */
export function describeSearch(s: MissionSearchState, now: Date): string {
  const where = s.communeName
    ? `${s.around ? 'autour de ' : 'à '}${s.communeName}`
    : s.departementCode
      ? `dans le ${departementByCode(s.departementCode)?.name ?? s.departementCode} (${s.departementCode})`
      : 'partout';
  const when = s.startPeriod ? `, début ${describePeriod(s.startPeriod, now)}` : s.startWithinDays !== undefined ? `, début d’ici ${s.startWithinDays} jours` : '';
  return `${s.sector ? `${SECTOR_LABELS[s.sector] ?? s.sector}, ` : ''}${where}${when}`;
}

/** Runs a search and shows one page of results, or suggests how to widen an empty one. */
export async function showSearch(ctx: TurnContext, search: MissionSearchState, fromButton: boolean): Promise<HandlerResult> {
  if (!search.communeCode && !search.departementCode && !search.sector) {
    return {
      reply: reply(
        text('Tu cherches une mission ', bold('dans quelle ville'), ' ? Écris par exemple « à Lyon », « autour de Marseille », ou un métier : « cariste à Lille ».'),
      ),
      state: { ...ctx.state, lastSearch: search, pending: undefined },
    };
  }
  const page = await ctx.store.missions.searchOpenMissions(searchQuery(search, ctx.now));
  if (page.total === 0) return emptySearch(ctx, search);
  if (page.items.length === 0) {
    return { reply: reply(text('Il n’y a pas d’autre mission pour cette recherche.')), state: { ...ctx.state, lastSearch: { ...search, page: Math.max(0, search.page - 1) } } };
  }
  const offset = search.page * PAGE_SIZE;
  const hasMore = offset + page.items.length < page.total;
  const count = page.totalCapped ? `Plus de ${formatNumber(page.total)} missions ouvertes` : `${page.total} mission${page.total > 1 ? 's' : ''} ouverte${page.total > 1 ? 's' : ''}`;
  const heading = `${count} · ${describeSearch(search, ctx.now)} (${offset + 1}-${offset + page.items.length})`;
  return {
    reply: {
      blocks: [
        cards(
          page.items.map((m, i) => missionCard(m, offset + i + 1)),
          heading,
          hasMore ? button('Voir plus ➡️', { kind: 'search_page', page: search.page + 1 }) : undefined,
        ),
        buttons(alertButton()),
      ],
      ...(fromButton ? { replacesPrevious: true } : {}),
    },
    state: { ...ctx.state, lastSearch: search, lastList: { kind: 'missions', ids: page.items.map((m) => m.id), offset }, pending: undefined },
  };
}

async function emptySearch(ctx: TurnContext, search: MissionSearchState): Promise<HandlerResult> {
  const commune = search.communeCode ? communeByCode(search.communeCode) : undefined;
  const counts = await ctx.store.missions.countWiderSearches({
    ...dateWindow(search, ctx.now),
    communeCode: search.communeCode,
    epciCode: search.around ? undefined : commune?.epci,
    departementCode: search.departementCode ?? commune?.departement,
    sector: search.sector,
  });
  const offers = [];
  if (counts.sameEpci > 0) offers.push(button(`Autour de ${search.communeName} (${counts.sameEpci})`, { kind: 'search_widen', scope: 'epci' }));
  if (counts.sameDepartement > counts.sameEpci && !(search.departementCode && !search.communeCode)) {
    offers.push(button(`Tout le département (${counts.sameDepartement})`, { kind: 'search_widen', scope: 'departement' }));
  }
  if (counts.otherSectors > 0) offers.push(button(`Tous les métiers (${counts.otherSectors})`, { kind: 'search_widen', scope: 'any_sector' }));
  return {
    reply: reply(
      text(`Aucune mission ouverte pour le moment (${describeSearch(search, ctx.now)}).`),
      ...(offers.length
        ? [text('Tu peux élargir la recherche :'), buttons(...offers)]
        : [text('Essaie une autre ville ou un autre métier, ou demande conseil à ta Mission locale.'), buttons(intentButton('contact_counsellor'))]),
      text('Ou je te préviens dès qu’une mission correspond :'),
      buttons(alertButton()),
    ),
    state: { ...ctx.state, lastSearch: search, lastList: undefined },
  };
}

/** "🔔 Préviens-moi" under every search result: saves the search as an alert (youth/alerts.ts). */
const alertButton = () => button('🔔 Préviens-moi', { kind: 'alert_save' });

/** Widens the last search as the user picked on the "no result" buttons. */
export function widen(search: MissionSearchState, scope: 'epci' | 'departement' | 'any_sector'): MissionSearchState {
  const commune = search.communeCode ? communeByCode(search.communeCode) : undefined;
  if (scope === 'any_sector') return { ...search, sector: undefined, startWithinDays: undefined, startPeriod: undefined, page: 0 };
  if (scope === 'epci' && commune?.epci) return { ...search, epciCode: commune.epci, departementCode: undefined, around: true, page: 0 };
  return { ...search, epciCode: undefined, departementCode: search.departementCode ?? commune?.departement, around: true, page: 0 };
}
