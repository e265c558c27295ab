import type { NotificationInput, Store } from '../../store/index.js';
import type { Reply } from '../types.js';
import { button, buttons, cards, reply, text, bold } from '../replies.js';
import { missionCard } from './cards.js';

/**
 * The Telegram message a youth receives when their counsellor proposes a mission (rendered at delivery), with its
 * two answers (`youth/answers.ts`). Null (nothing sent) once the mission closed, or once the young person answered.
 */
export async function renderMissionProposal(store: Store, p: Extract<NotificationInput, { kind: 'mission_proposal' }>): Promise<Reply | null> {
  const [mission, counsellor] = await Promise.all([store.missions.findMissionById(p.missionId), store.counsellors.findCounsellorById(p.counsellorId)]);
  if (!mission || mission.status !== 'open') return null;
  if ((await store.activity.findApplicationStatus(p.youthId, mission.id)) !== 'proposed') return null;
  const card = missionCard(mission);
  return reply(
    text('📣 ', bold(counsellor ? `${counsellor.firstName} ${counsellor.lastName}` : 'Ton conseiller·ère'), ' te propose une mission :'),
    cards([{ ...card, buttons: [button('ℹ️ Détails', { kind: 'mission_details', missionId: mission.id })] }]),
    text('Elle t’intéresse ?'),
    buttons(button('✋ Ça m’intéresse', { kind: 'proposal_answer', missionId: mission.id, yes: true }, 'primary'), button('🙅 Non merci', { kind: 'proposal_answer', missionId: mission.id, yes: false })),
  );
}
