import type { NotificationInput, Store } from '../../store/index.js';
import type { Reply } from '../types.js';
import { bold, button, buttons, reply, text } from '../replies.js';
import { formatShortDate, REQUEST_PHRASES } from '../format.js';
import { fullName } from './resolve.js';

/**
 * Renders a counsellor alert from ids, at delivery time. Returns null (the outbox drops it) when the youth is
 * no longer followed by that counsellor or the mission is gone: an alert never shows someone else's youth.
 */
export async function renderCounsellorNotification(store: Store, payload: NotificationInput): Promise<Reply | null> {
  if (payload.kind === 'mission_proposal' || payload.kind === 'appointment_reminder' || payload.kind === 'counsellor_digest' || payload.kind === 'mission_alert') return null;
  const youth = await store.youth.findYouthInScope({ counsellorId: payload.counsellorId }, payload.youthId);
  if (!youth) return null;
  const open = buttons(button('Ouvrir la fiche', { kind: 'youth_summary', youthId: youth.id }));
  if (payload.kind === 'youth_interested') {
    const mission = await store.missions.findMissionById(payload.missionId);
    if (!mission) return null;
    return reply(
      text('🔔 ', bold(fullName(youth)), ' est intéressé·e par la mission ', bold(mission.title), ` à ${mission.communeName} (n° ${mission.id}, début le ${formatShortDate(mission.startDate)}).`),
      text('Pensez à le ou la recontacter pour préparer la candidature auprès de l’agence.'),
      open,
    );
  }
  if (payload.kind === 'proposal_answer') {
    const mission = await store.missions.findMissionById(payload.missionId);
    if (!mission) return null;
    const where = [bold(mission.title), ` à ${mission.communeName} (n° ${mission.id}, début le ${formatShortDate(mission.startDate)})`];
    return payload.answer === 'yes'
      ? reply(
          text('✅ ', bold(fullName(youth)), ' a répondu « ça m’intéresse » à la mission proposée : ', ...where, '.'),
          text('Pensez à préparer la candidature auprès de l’agence.'),
          open,
        )
      : reply(text('🙅 ', bold(fullName(youth)), ' a répondu « non merci » à la mission proposée : ', ...where, '.'), open);
  }
  const file = await store.caseload.youthFile(youth.id);
  const request = file?.requests.find((r) => r.kind === payload.requestKind);
  return reply(
    text('🔔 ', bold(fullName(youth)), ` ${REQUEST_PHRASES[payload.requestKind]} (via le bot).`),
    ...(request?.message ? [text('Son message : « ', request.message, ' »')] : []),
    open,
  );
}
