import type { Understanding } from '../../nlu/index.js';
import type { HandlerResult, TurnContext } from '../context.js';
import { linkFirstReply } from '../common.js';
import { bold, buttons, cards, intentButton, reply, text, button } from '../replies.js';
import { missionDetailsCard } from './cards.js';
import type { MissionAspect } from '../../nlu/index.js';
import { onlyItems } from '../lists-words.js';
import { shorten } from '../../shared/text.js';
import { COUNSELLOR_LEFT, notifyCounsellor } from '../recipients.js';

/**
 * Which mission the user means: a button's id, "la 2" / "la deuxième" (position in the last list shown),
 * "celle-là" (the mission last looked at), or a mission number.
 */
export function resolveMissionRef(ctx: TurnContext, u: Understanding | undefined): number | 'ambiguous' | 'beyond' | undefined {
  const { state } = ctx;
  const ordinal = u?.signals.ordinal;
  const ref = u?.entities.mission_ref ?? (ordinal !== undefined ? String(ordinal) : undefined);
  if (ref !== undefined && /^\d{1,9}$/.test(ref)) {
    const n = Number(ref);
    const list = state.lastList?.kind === 'missions' ? state.lastList : undefined;
    // "la 2" / "la deuxième" is a position on the cards shown (offset + 1…), never a mission number: with no list
    // covering it, we ask rather than act on mission n° 2.
    const index = list ? n - list.offset - 1 : -1;
    if (list && index >= 0 && index < list.ids.length) return Number(list.ids[index]);
    // "la 3" on a shorter list: say how many there are rather than ask an open question.
    if (ordinal !== undefined && list && index >= list.ids.length) return 'beyond';
    if (ordinal !== undefined) return undefined;
    return n > 0 && n <= 2_147_483_647 ? n : undefined;
  }
  if (u?.signals.deictic || ref === undefined) {
    if (state.focusMissionId) return state.focusMissionId;
    if (state.lastList?.kind === 'missions' && state.lastList.ids.length === 1) return Number(state.lastList.ids[0]);
    if (state.lastList?.kind === 'missions' && state.lastList.ids.length > 1) return 'ambiguous';
  }
  return undefined;
}

function whichMission(ctx: TurnContext): HandlerResult {
  return {
    reply: reply(
      text('De quelle mission parles-tu ? Appuie sur le bouton de la mission, ou écris son numéro dans la liste (« la 2 »).'),
      buttons(intentButton('search_missions')),
    ),
    state: ctx.state,
  };
}

/** The card field that answers a question about one aspect of a mission ("combien c payé" -> Salaire). */
const ASPECT_FIELDS: Record<MissionAspect, string[]> = {
  pay: ['Salaire'],
  hours: ['Horaires'],
  dates: ['Dates'],
  place: [],
  agency: ['Agence', 'Contact agence'],
  requirements: ['Demandé'],
};

export async function missionDetails(ctx: TurnContext, missionId: number | 'ambiguous' | 'beyond' | undefined, aspect?: MissionAspect): Promise<HandlerResult> {
  if (missionId === 'beyond') return { reply: reply(text(onlyItems(ctx.state.lastList?.ids.length ?? 0, true))), state: ctx.state };
  if (missionId === undefined || missionId === 'ambiguous') return whichMission(ctx);
  const m = await ctx.store.missions.findMissionById(missionId);
  if (!m) return { reply: reply(text('Je ne trouve pas cette mission. Elle a peut-être été retirée.'), buttons(intentButton('search_missions'))) };
  if (aspect) {
    // Only what was asked, about the mission named, with the full card one press away.
    const card = missionDetailsCard(m);
    const fields = aspect === 'place' ? [{ label: 'Lieu', value: `${m.communeName} (${m.postcode})` }] : card.fields.filter((f) => ASPECT_FIELDS[aspect].includes(f.label));
    if (fields.length > 0) {
      return {
        reply: reply(
          text(bold(`${m.title} à ${m.communeName}`), ' (mission ', String(m.id), ')'),
          ...fields.map((f) => text(`${f.label} : `, bold(f.value))),
          buttons(button('ℹ️ Tous les détails', { kind: 'mission_details', missionId: m.id }), ...(m.status === 'open' ? [button('✋ Ça m’intéresse', { kind: 'apply', missionId: m.id }, 'primary')] : [])),
        ),
        state: { ...ctx.state, focusMissionId: m.id },
      };
    }
    if (aspect === 'requirements') {
      return { reply: reply(text(bold(`${m.title} à ${m.communeName}`), ' : rien de particulier n’est demandé dans l’offre.'), buttons(button('ℹ️ Tous les détails', { kind: 'mission_details', missionId: m.id }))), state: { ...ctx.state, focusMissionId: m.id } };
    }
  }
  const blocks = [cards([missionDetailsCard(m)])];
  if (m.status !== 'open') blocks.unshift(text('⚠️ Cette mission n’est plus disponible (', bold(m.status === 'filled' ? 'pourvue' : 'fermée'), ').'));
  return { reply: { blocks }, state: { ...ctx.state, focusMissionId: m.id } };
}

/** "Ça m'intéresse": records an application once, tells the counsellor, says what happens next. */
export async function applyToMission(ctx: TurnContext, missionId: number | 'ambiguous' | 'beyond' | undefined): Promise<HandlerResult> {
  if (missionId === 'beyond') return { ...whichMission(ctx), reply: reply(text('De quelle mission parles-tu ? ', onlyItems(ctx.state.lastList?.ids.length ?? 0, true))) };
  if (missionId === undefined || missionId === 'ambiguous') return whichMission(ctx);
  const m = await ctx.store.missions.findMissionById(missionId);
  if (!m) return { reply: reply(text('Je ne trouve pas cette mission. Elle a peut-être été retirée.')) };
  if (m.status !== 'open' || m.endDate < ctx.now) {
    return { reply: reply(text('Cette mission n’est plus disponible, désolé. Veux-tu en chercher une autre ?'), buttons(intentButton('search_missions'))) };
  }
  if (ctx.actor.kind !== 'youth') {
    // Remembered, so the choice is offered again right after linking.
    const wanted = [...new Set([...(ctx.state.wantedMissionIds ?? []), m.id])].slice(-10);
    const r = linkFirstReply('dire à ton conseiller·ère que cette mission t’intéresse');
    return { reply: { blocks: [text('Bonne idée ! Je garde cette mission de côté.'), ...r.blocks] }, state: { ...ctx.state, focusMissionId: m.id, wantedMissionIds: wanted } };
  }
  const youth = ctx.actor.youth;
  const app = await ctx.store.activity.recordApplication(youth.id, m.id, 'youth', ctx.now);
  // Enqueueing is idempotent per application, so a turn replayed after a failure still tells the counsellor once.
  // The yes to a counsellor's proposal is told by its own card; a proposal already answered yes says nothing more.
  const told = app.answeredProposal
    ? await notifyCounsellor(ctx.store, { kind: 'proposal_answer', counsellorId: youth.counsellorId, youthId: youth.id, missionId: m.id, applicationId: app.id, answer: 'yes' })
    : (app.created || (app.status === 'sent' && app.source === 'youth')) && (await notifyCounsellor(ctx.store, { kind: 'youth_interested', counsellorId: youth.counsellorId, youthId: youth.id, missionId: m.id, applicationId: app.id }));
  await ctx.audit('apply_mission', youth.id, { missionId: m.id, applicationId: app.id, created: app.created, ...(app.answeredProposal ? { answeredProposal: true } : {}) });
  const wanted = (ctx.state.wantedMissionIds ?? []).filter((id) => id !== m.id);
  return {
    reply: reply(
      app.created
        ? text('C’est noté ✅ Ton intérêt pour ', bold(m.title), ` à ${m.communeName} est enregistré. ${told ? `Ton conseiller·ère en est informé·e et va vérifier avec l’agence ${m.agency.name}.` : COUNSELLOR_LEFT} Tu peux suivre ta demande dans « Mes candidatures ».`)
        : text('Tu as déjà dit que ', bold(m.title), ' t’intéresse : ta demande est en cours. Tu peux la suivre dans « Mes candidatures ».'),
      buttons(intentButton('my_applications'), intentButton('search_missions', '🔎 Autres missions')),
    ),
    state: { ...ctx.state, focusMissionId: m.id, wantedMissionIds: wanted.length ? wanted : undefined },
  };
}

/** The missions an anonymous user wanted before linking, offered again once linked. */
export async function wantedMissionButtons(ctx: TurnContext, ids: number[]) {
  const out = [];
  for (const id of ids.slice(0, 3)) {
    const m = await ctx.store.missions.findMissionById(id);
    if (m && m.status === 'open') out.push(button(`✋ ${shorten(m.title, 30)} (${m.communeName})`, { kind: 'apply', missionId: m.id }, 'primary'));
  }
  return out;
}
