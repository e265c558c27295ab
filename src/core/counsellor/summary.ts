import type { YouthFile } from '../../store/index.js';
import type { HandlerResult } from '../context.js';
import type { Block, Field } from '../types.js';
import { bold, button, buttons, reply, text } from '../replies.js';
import { APPLICATION_STATUS_LABELS, formatDateTime, formatNumber, formatShortDate, TOPIC_LABELS, YOUTH_STATUS_LABELS } from '../format.js';
import { withState, type CounsellorContext } from './context.js';
import { ageAt, fullName, notInScope, resolveYouth, youthInScope } from './resolve.js';

const CHANNEL_LABELS: Record<string, string> = { phone: 'téléphone', meeting: 'entretien', message: 'message', bot: 'bot' };
const REQUEST_LABELS: Record<string, string> = { contact: 'demande de rappel', appointment: 'demande de rendez-vous', barrier: 'aide sur un frein' };
const BARRIER_STATUS: Record<string, string> = { open: 'ouvert', in_progress: 'en cours' };

/** "fiche de Léa Martin": finds the youth by name in the scope (or the one in focus), then shows the file. */
export async function youthSummaryByName(ctx: CounsellorContext, person: string | undefined): Promise<HandlerResult> {
  const found = await resolveYouth(ctx, person, (youthId) => ({ kind: 'youth_summary', youthId }), 'ouvrir une fiche');
  if (found.kind === 'answer') return found.result;
  return showYouthFile(ctx, found.youth.id);
}

/**
 * The youth file: status, follow-up, placements, applications, barriers, last contacts, next appointment,
 * Telegram link. Checked against the scope first; audited as `read_youth_file`; the youth becomes the focus.
 */
export async function showYouthFile(ctx: CounsellorContext, youthId: number): Promise<HandlerResult> {
  const identity = await youthInScope(ctx, youthId);
  if (!identity) return notInScope();
  const [file, applicationCount] = await Promise.all([ctx.store.caseload.youthFile(identity.id, ctx.now), ctx.store.activity.countApplications(identity.id)]);
  if (!file) return notInScope();
  await ctx.audit('read_youth_file', file.id);
  const blocks: Block[] = [
    { type: 'facts', heading: `Fiche de ${fullName(file)}`, facts: fileFacts(file, applicationCount, ctx.now) },
    ...detailBlocks(file),
    buttons(
      button('Créer un code de liaison', { kind: 'create_link_code', youthId: file.id }),
      button('Noter un contact', { kind: 'log_contact', youthId: file.id }),
      button('Exporter ses données', { kind: 'export_youth', youthId: file.id }),
    ),
  ];
  return withState(ctx, reply(...blocks), { focusYouthId: file.id });
}

function fileFacts(f: YouthFile, applicationCount: number, now: Date): Field[] {
  const facts: Field[] = [
    { label: 'Statut', value: YOUTH_STATUS_LABELS[f.status] ?? f.status },
    { label: 'Conseiller·ère', value: `${f.counsellor.firstName} ${f.counsellor.lastName} (${f.missionLocale.name})` },
    { label: 'Entrée dans le programme', value: formatShortDate(f.entryDate) },
  ];
  if (f.birthDate) facts.push({ label: 'Âge', value: `${ageAt(f.birthDate, now)} ans` });
  if (f.phone) facts.push({ label: 'Téléphone', value: f.phone });
  facts.push({
    label: 'Missions d’intérim',
    value: f.placementCount === 0 ? 'aucune (jamais placé·e)' : `${formatNumber(f.placementCount)} mission${f.placementCount > 1 ? 's' : ''}, ${formatNumber(f.placementHours)} h`,
  });
  if (f.lastPlacement) {
    const ended = f.lastPlacement.endDate < now ? 'terminée le' : 'jusqu’au';
    facts.push({ label: 'Dernière mission', value: `${f.lastPlacement.mission.title}, ${ended} ${formatShortDate(f.lastPlacement.endDate)}` });
  }
  facts.push({ label: 'Candidatures', value: formatNumber(applicationCount) });
  const next = f.appointments[0];
  facts.push({ label: 'Prochain rendez-vous', value: next ? `${formatDateTime(next.at)}, ${next.place}` : 'aucun' });
  facts.push({ label: 'Compte Telegram', value: f.linkedToTelegram ? 'relié' : 'non relié (créez un code de liaison)' });
  return facts;
}

function detailBlocks(f: YouthFile): Block[] {
  const blocks: Block[] = [];
  if (f.barriers.length > 0) {
    blocks.push(text(bold('Freins ouverts'), ...f.barriers.map((b) => `\n• ${TOPIC_LABELS[b.topic] ?? b.topic} (${BARRIER_STATUS[b.status] ?? b.status}, depuis le ${formatShortDate(b.openedAt)})${b.note ? ` : ${b.note}` : ''}`)));
  } else blocks.push(text(bold('Freins ouverts'), ' : aucun'));
  if (f.applications.length > 0) {
    blocks.push(
      text(
        bold('Dernières candidatures'),
        ...f.applications.map(
          (a) => `\n• ${a.mission.title} à ${a.mission.communeName} (mission n° ${a.mission.id}) : ${APPLICATION_STATUS_LABELS[a.status] ?? a.status}${a.source === 'counsellor_proposal' ? ', proposée par le conseiller' : ''}`,
        ),
      ),
    );
  }
  if (f.interactions.length > 0) {
    blocks.push(text(bold('Derniers contacts'), ...f.interactions.map((i) => `\n• ${formatShortDate(i.at)}, ${CHANNEL_LABELS[i.channel] ?? i.channel}${i.note ? ` : ${i.note}` : ''}`)));
  } else blocks.push(text(bold('Derniers contacts'), ' : aucun'));
  if (f.requests.length > 0) {
    blocks.push(text(bold('Demandes ouvertes'), ...f.requests.map((r) => `\n• ${REQUEST_LABELS[r.kind] ?? r.kind} le ${formatShortDate(r.createdAt)}${r.message ? ` : ${r.message}` : ''}`)));
  }
  return blocks;
}
