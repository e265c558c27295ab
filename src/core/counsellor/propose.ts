import type { YouthIdentity } from '../../store/index.js';
import type { HandlerResult } from '../context.js';
import { APPLICATION_STATUS_LABELS } from '../format.js';
import { askToConfirm, missionWords } from './confirm.js';
import { bold, button, buttons, reply, text } from '../replies.js';
import { withState, type CounsellorContext } from './context.js';
import { fullName, notInScope, resolveYouth, youthInScope } from './resolve.js';

/** "propose la mission 123 à Léa Martin": needs a youth (named, or in focus) and a mission id. */
export async function proposeByName(ctx: CounsellorContext, person: string | undefined, missionId: number | undefined): Promise<HandlerResult> {
  if (missionId === undefined) {
    return { reply: reply(text('Quelle mission voulez-vous proposer ? Donnez son numéro, par exemple « propose la mission 123 à Léa Martin ».')) };
  }
  const found = await resolveYouth(ctx, person, (youthId) => ({ kind: 'propose', youthId, missionId }), 'proposer une mission');
  if (found.kind === 'answer') return found.result;
  return askToConfirm(ctx, { kind: 'propose', youthId: found.youth.id, missionId });
}

/**
 * Proposes an open mission to a youth of the scope, once confirmed (`confirm.ts`): records the application (source counsellor_proposal) and,
 * when the youth's Telegram account is linked, queues the proposal for the Telegram delivery loop.
 */
export async function proposeMission(ctx: CounsellorContext, youthId: number, missionId: number): Promise<HandlerResult> {
  const youth = await youthInScope(ctx, youthId);
  if (!youth) return notInScope();
  const mission = await ctx.store.missions.findMissionById(missionId);
  if (!mission || mission.status !== 'open' || mission.endDate < ctx.now) {
    await ctx.audit('propose_mission', youth.id, { missionId, outcome: mission ? 'not_open' : 'unknown_mission' });
    return withState(ctx, reply(text(`La mission n° ${missionId} ${mission ? 'n’est plus ouverte' : 'n’existe pas'} : je ne l’ai pas proposée.`)), { focusYouthId: youth.id });
  }
  const app = await ctx.store.activity.recordApplication(youth.id, mission.id, 'counsellor_proposal');
  const where = missionWords(mission);
  if (!app.created) {
    await ctx.audit('propose_mission', youth.id, { missionId: mission.id, outcome: 'already_applied' });
    return withState(
      ctx,
      reply(text(bold(fullName(youth)), ` a déjà cette mission dans ses candidatures (${APPLICATION_STATUS_LABELS[app.status] ?? app.status}) : `, where, '.')),
      { focusYouthId: youth.id },
    );
  }
  const notified = await notifyYouth(ctx, youth, mission.id);
  await ctx.audit('propose_mission', youth.id, { missionId: mission.id, outcome: 'proposed', notified });
  const blocks = [text('✅ Mission proposée à ', bold(fullName(youth)), ' : ', where, '.')];
  // Written without assuming the young person's gender: the file does not say it.
  if (notified) blocks.push(text(fullName(youth), ' la recevra sur Telegram et pourra répondre « ça m’intéresse ».'));
  else {
    blocks.push(text('⚠️ Le compte Telegram de ', fullName(youth), ' n’est pas relié : le bot ne pourra pas transmettre la proposition. Donnez un code de liaison, ou contactez ', fullName(youth), ' directement.'));
    blocks.push(buttons(button('Créer un code de liaison', { kind: 'create_link_code', youthId: youth.id })));
  }
  return withState(ctx, reply(...blocks), { focusYouthId: youth.id });
}

async function notifyYouth(ctx: CounsellorContext, youth: YouthIdentity, missionId: number): Promise<boolean> {
  if (!youth.telegramUserId) return false;
  await ctx.store.notifications.enqueueNotification({ kind: 'mission_proposal', youthId: youth.id, missionId, counsellorId: ctx.actor.counsellor.id });
  return true;
}
