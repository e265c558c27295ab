import { communeByCode } from '../../geo/communes.js';
import type { MissionCard, YouthIdentity } from '../../store/index.js';
import type { HandlerResult } from '../context.js';
import { formatShortDate } from '../format.js';
import { asking } from '../pending.js';
import { bold, button, buttons, reply, text } from '../replies.js';
import type { WriteRequest } from '../state.js';
import type { Segment } from '../types.js';
import { withState, type CounsellorContext } from './context.js';
import { fullName, notInScope, youthInScope } from './resolve.js';

/** Longest note quoted in the question (the whole note is saved). */
const QUOTE = 120;

/** "Cariste à Vénissieux (n° 40, début le 07/12/2026)": the mission named the same way everywhere. */
export function missionWords(m: Pick<MissionCard, 'id' | 'title' | 'communeName' | 'startDate'>): string {
  return `${m.title} à ${m.communeName} (n° ${m.id}, début le ${formatShortDate(m.startDate)})`;
}

/**
 * A warning when a mission is in another département than the one the young person lives in: a counsellor must
 * not send Léa from Bron to Villeneuve-d'Ascq without knowing it.
 */
export function farAwayWarning(youth: Pick<YouthIdentity, 'firstName' | 'lastName' | 'communeCode'>, mission: Pick<MissionCard, 'communeCode' | 'communeName'>): Segment[] | undefined {
  const home = communeByCode(youth.communeCode);
  const there = communeByCode(mission.communeCode);
  if (!home || !there || home.departement === there.departement) return undefined;
  return [`⚠️ Loin du domicile : la mission est à ${there.name} (${there.departement}), ${fullName(youth)} habite à ${home.name} (${home.departement}).`];
}

/**
 * Every write a counsellor asks for (a proposal, a contact note, a link code) is first shown with the young
 * person and the mission named, and runs only after "Confirmer" or a bare "oui" within the answer window.
 * Ids are re-checked against the scope now, and again when the write runs.
 */
export async function askToConfirm(ctx: CounsellorContext, write: WriteRequest): Promise<HandlerResult> {
  const youth = await youthInScope(ctx, write.youthId);
  if (!youth) return notInScope();
  const who = fullName(youth);
  let question: Segment[];
  let label: string;
  const extra: Segment[][] = [];
  switch (write.kind) {
    case 'propose': {
      const mission = await ctx.store.missions.findMissionById(write.missionId);
      if (!mission || mission.status !== 'open' || mission.endDate < ctx.now) {
        return withState(ctx, reply(text(`La mission n° ${write.missionId} ${mission ? 'n’est plus ouverte' : 'n’existe pas'} : je ne peux pas la proposer.`)), { focusYouthId: youth.id });
      }
      question = ['Proposer la mission ', bold(missionWords(mission)), ' à ', bold(who), ' ?'];
      label = `✅ Proposer à ${who}`;
      const far = farAwayWarning(youth, mission);
      if (far) extra.push(far);
      break;
    }
    case 'note': {
      const quoted = write.note.length > QUOTE ? `${write.note.slice(0, QUOTE - 1)}…` : write.note;
      question = ['Enregistrer pour ', bold(who), ' la note de contact « ', quoted, ' » ?'];
      label = `✅ Enregistrer la note pour ${who}`;
      break;
    }
    case 'link_code':
      question = ['Créer un code de liaison Telegram pour ', bold(who), ' ? Les codes donnés avant ne fonctionneront plus.'];
      label = `✅ Créer le code pour ${who}`;
      break;
  }
  return {
    reply: reply(text(...question), ...extra.map((segments) => text(...segments)), buttons(button(label, { kind: 'confirm', yes: true }, 'primary'), button('Annuler', { kind: 'confirm', yes: false }))),
    state: asking({ ...ctx.state, focusYouthId: youth.id }, { kind: 'confirm_write', write }, ctx.now),
  };
}
