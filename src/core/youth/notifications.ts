import type { NotificationInput, Store } from '../../store/index.js';
import type { Reply } from '../types.js';
import { cards, reply, text, bold } from '../replies.js';
import { missionCard } from './cards.js';

/** The Telegram message a youth receives when their counsellor proposes a mission (rendered at delivery). */
export async function renderMissionProposal(store: Store, p: Extract<NotificationInput, { kind: 'mission_proposal' }>): Promise<Reply | null> {
  const [mission, counsellor] = await Promise.all([store.missions.findMissionById(p.missionId), store.counsellors.findCounsellorById(p.counsellorId)]);
  if (!mission || mission.status !== 'open') return null;
  return reply(
    text('📣 ', bold(counsellor ? `${counsellor.firstName} ${counsellor.lastName}` : 'Ton conseiller·ère'), ' te propose une mission :'),
    cards([missionCard(mission)]),
  );
}
