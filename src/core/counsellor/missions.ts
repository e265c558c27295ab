import { communeByCode } from '../../geo/communes.js';
import type { Understanding } from '../../nlu/index.js';
import type { MissionCard, MissionDetails } from '../../store/index.js';
import type { HandlerResult } from '../context.js';
import { formatNumber } from '../format.js';
import { bold, button, buttons, cards, reply, text } from '../replies.js';
import type { MissionSearchState } from '../state.js';
import type { Button, Card } from '../types.js';
import { missionCard, missionDetailsCard } from '../youth/cards.js';
import { describeSearch, PAGE_SIZE, searchFromMessage, searchQuery } from '../youth/search.js';
import { withState, type CounsellorContext } from './context.js';
import { farAwayWarning, missionWords } from './confirm.js';
import { fullName, notInScope, youthInScope } from './resolve.js';
import { noMissionSince } from './definitions.js';

/** Youth offered on "Proposer à…": the first of the caseload without a mission today. */
const PICK_LIMIT = 8;

/** "Proposer à Kevin Bernard" when a youth is in focus, "Proposer à…" (pick one) otherwise. */
async function proposeButton(ctx: CounsellorContext, missionId: number): Promise<Button> {
  const focus = ctx.state.focusYouthId === undefined ? null : await youthInScope(ctx, ctx.state.focusYouthId);
  return focus
    ? button(`📨 Proposer à ${fullName(focus)}`, { kind: 'propose', youthId: focus.id, missionId }, 'primary')
    : button('📨 Proposer à…', { kind: 'propose_pick', missionId }, 'primary');
}

function counsellorCard(m: MissionCard, ref: number, propose: (id: number) => Button): Card {
  return { ...missionCard(m, ref), buttons: [button('ℹ️ Détails', { kind: 'mission_details', missionId: m.id }), propose(m.id)] };
}

/**
 * The same mission search as the young people's (commune, area, sector, dates, follow-ups), for a counsellor:
 * each card offers its details and "Proposer à…", which goes through the confirmation of `confirm.ts`.
 */
export async function searchMissionsForCounsellor(ctx: CounsellorContext, u: Understanding | undefined, search?: MissionSearchState): Promise<HandlerResult> {
  const s = search ?? (u ? searchFromMessage(u, ctx.state.lastSearch) : ctx.state.lastSearch);
  if (!s || (!s.communeCode && !s.departementCode && !s.sector)) {
    return withState(ctx, reply(text('Dans quelle commune ou quel département cherchez-vous des missions ? Par exemple « missions à Villeurbanne » ou « logistique dans le 69 ».')), { lastSearch: s });
  }
  const page = await ctx.store.missions.searchOpenMissions(searchQuery(s, ctx.now));
  if (page.items.length === 0) {
    return withState(ctx, reply(text(`Aucune mission ouverte ${page.total > 0 ? 'de plus ' : ''}pour cette recherche (${describeSearch(s, ctx.now)}).`)), { lastSearch: { ...s, page: 0 }, lastList: undefined });
  }
  const focus = ctx.state.focusYouthId === undefined ? null : await youthInScope(ctx, ctx.state.focusYouthId);
  const propose = (id: number) =>
    focus ? button(`📨 Proposer à ${fullName(focus)}`, { kind: 'propose', youthId: focus.id, missionId: id }, 'primary') : button('📨 Proposer à…', { kind: 'propose_pick', missionId: id }, 'primary');
  const offset = s.page * PAGE_SIZE;
  const more = offset + page.items.length < page.total ? button('Voir plus ➡️', { kind: 'search_page', page: s.page + 1 }) : undefined;
  const count = page.totalCapped ? `Plus de ${formatNumber(page.total)} missions ouvertes` : `${page.total} mission${page.total > 1 ? 's' : ''} ouverte${page.total > 1 ? 's' : ''}`;
  return withState(ctx, reply(cards(page.items.map((m, i) => counsellorCard(m, offset + i + 1, propose)), `${count} · ${describeSearch(s, ctx.now)} (${offset + 1}-${offset + page.items.length})`, more)), {
    lastSearch: s,
    lastList: { kind: 'missions', ids: page.items.map((m) => m.id), offset },
    lastCaseloadList: undefined,
  });
}

/** One mission in full for a counsellor, with "Proposer à…" (and the distance warning for the youth in focus). */
export async function missionDetailsForCounsellor(ctx: CounsellorContext, missionId: number | undefined): Promise<HandlerResult> {
  if (missionId === undefined) return { reply: reply(text('Quelle mission ? Donnez son numéro (« détails de la mission 40 ») ou sa position dans la dernière liste (« la 2 »).')) };
  const m: MissionDetails | null = await ctx.store.missions.findMissionById(missionId);
  if (!m) return { reply: reply(text(`La mission n° ${missionId} n’existe pas.`)) };
  const open = m.status === 'open' && m.endDate >= ctx.now;
  const card = { ...missionDetailsCard(m), buttons: open ? [await proposeButton(ctx, m.id)] : [] };
  const blocks = [cards([card])];
  if (!open) blocks.unshift(text('⚠️ Cette mission n’est plus ouverte.'));
  const focus = ctx.state.focusYouthId === undefined ? null : await youthInScope(ctx, ctx.state.focusYouthId);
  const far = focus ? farAwayWarning(focus, m) : undefined;
  if (far && open) blocks.push(text(...far));
  return withState(ctx, { blocks }, { focusMissionId: m.id });
}

/** "Proposer à…": the caseload's youth without a mission today, each button leading to the confirmation. */
export async function pickYouthFor(ctx: CounsellorContext, missionId: number): Promise<HandlerResult> {
  const m = await ctx.store.missions.findMissionById(missionId);
  if (!m || m.status !== 'open' || m.endDate < ctx.now) return { reply: reply(text(`La mission n° ${missionId} n’est plus ouverte : je ne peux pas la proposer.`)) };
  const rows = (await ctx.store.caseload.youthWithoutMission(ctx.actor.scope, noMissionSince(ctx.now, 0), ctx.now)).slice(0, PICK_LIMIT);
  await ctx.audit('list_caseload', null, { list: 'without_mission', count: rows.length, page: 0, days: 0 });
  if (rows.length === 0) return { reply: reply(text('Tous vos jeunes ont une mission en cours. Pour proposer quand même : « propose la mission ', String(m.id), ' à Prénom Nom ».')) };
  return {
    reply: reply(
      text('À qui proposer ', bold(missionWords(m)), ' ? Vos jeunes sans mission en cours :'),
      buttons(...rows.map((r) => button(fullName(r), { kind: 'propose', youthId: r.id, missionId: m.id }))),
      text(`Pour un autre jeune : « propose la mission ${m.id} à Prénom Nom ».`),
    ),
    state: { ...ctx.state, focusMissionId: m.id },
  };
}

/**
 * "Proposer une mission" on a youth file: the open missions around where that young person lives, each card's
 * "Proposer à …" leading to the usual confirmation. The youth becomes the focus, so a follow-up ("et en
 * logistique ?", "dans le 69") keeps proposing to them.
 */
export async function missionsToProposeTo(ctx: CounsellorContext, youthId: number): Promise<HandlerResult> {
  const youth = await youthInScope(ctx, youthId);
  if (!youth) return notInScope();
  const focused: CounsellorContext = { ...ctx, state: { ...ctx.state, focusYouthId: youth.id } };
  const home = communeByCode(youth.communeCode);
  if (!home) {
    return withState(focused, reply(text('Dans quelle commune chercher une mission pour ', bold(fullName(youth)), ' ? Par exemple « missions à Villeurbanne ».')), { lastSearch: undefined });
  }
  // Around the commune: its intercommunality when it has one (the Métropole de Lyon), else its département.
  const search: MissionSearchState = { communeCode: home.code, communeName: home.name, around: true, page: 0, ...(home.epci ? { epciCode: home.epci } : { departementCode: home.departement }) };
  const result = await searchMissionsForCounsellor(focused, undefined, search);
  const intro = text('Missions à proposer à ', bold(fullName(youth)), ` (habite à ${home.name}) : une confirmation vous sera demandée avant l’envoi.`);
  return { ...result, reply: { ...result.reply, blocks: [intro, ...result.reply.blocks] } };
}
