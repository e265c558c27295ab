import type { YouthFile } from '../../store/index.js';
import type { HandlerResult } from '../context.js';
import type { Block, Field, SectionItem } from '../types.js';
import { button, buttons, reply } from '../replies.js';
import { APPLICATION_STATUS_LABELS, formatDateTime, formatNumber, formatShortDate, momentOf, REQUEST_LABELS, TOPIC_LABELS, YOUTH_STATUS_LABELS } from '../format.js';
import { withState, type CounsellorContext } from './context.js';
import { ageAt, fullName, notInScope, resolveYouth, youthInScope } from './resolve.js';
import { startOfParisDay } from '../../shared/time.js';

const CHANNEL_LABELS: Record<string, string> = { phone: 'téléphone', meeting: 'entretien', message: 'message', bot: 'bot' };
const BARRIER_STATUS: Record<string, string> = { open: 'ouvert', in_progress: 'en cours' };

/** "fiche de Léa Martin": finds the youth by name in the scope (or the one in focus), then shows the file. */
export async function youthSummaryByName(ctx: CounsellorContext, person: string | undefined): Promise<HandlerResult> {
  const found = await resolveYouth(ctx, person, (youthId) => ({ kind: 'youth_summary', youthId }), 'ouvrir une fiche');
  if (found.kind === 'answer') return found.result;
  return showYouthFile(ctx, found.youth.id);
}

/**
 * The youth file: the key facts first (status, follow-up, placements, next appointment, Telegram link), then
 * sections channels may fold (barriers, requests, missions, applications, contacts, appointments), then one row
 * of actions. Checked against the scope first; audited as `read_youth_file`; the youth becomes the focus.
 */
export async function showYouthFile(ctx: CounsellorContext, youthId: number): Promise<HandlerResult> {
  const identity = await youthInScope(ctx, youthId);
  if (!identity) return notInScope();
  const [file, applicationCount] = await Promise.all([ctx.store.caseload.youthFile(identity.id, ctx.now), ctx.store.activity.countApplications(identity.id)]);
  if (!file) return notInScope();
  await ctx.audit('read_youth_file', file.id);
  const blocks: Block[] = [
    { type: 'facts', heading: `Fiche de ${fullName(file)}`, facts: fileFacts(file, applicationCount, ctx.now) },
    ...sections(file, ctx.now),
    // The actions on the file in one row (each write still asks its confirmation).
    buttons(
      button('Proposer une mission', { kind: 'propose_for', youthId: file.id }, 'primary'),
      button('Créer un code de liaison', { kind: 'create_link_code', youthId: file.id }),
      button('Noter un contact', { kind: 'log_contact', youthId: file.id }),
      button('Exporter ses données', { kind: 'export_youth', youthId: file.id }),
    ),
  ];
  return withState(ctx, reply(...blocks), { focusYouthId: file.id });
}

/** A mission ending today is still running (the caseload's "en mission aujourd’hui" counts it): ended means before today in Paris. */
const endedBefore = (end: Date, now: Date): boolean => end.getTime() < startOfParisDay(now).getTime();

const dated = (d: Date, text: string, withTime = false): SectionItem => ({ text, date: { text: withTime ? formatDateTime(d) : formatShortDate(d), moment: momentOf(d, withTime) } });

function fileFacts(f: YouthFile, applicationCount: number, now: Date): Field[] {
  const facts: Field[] = [
    { label: 'Statut', value: YOUTH_STATUS_LABELS[f.status] ?? f.status },
    { label: 'Conseiller·ère', value: `${f.counsellor.firstName} ${f.counsellor.lastName} (${f.missionLocale.name})` },
    { label: 'Entrée dans le programme', value: formatShortDate(f.entryDate), moment: momentOf(f.entryDate) },
  ];
  if (f.birthDate) facts.push({ label: 'Âge', value: `${ageAt(f.birthDate, now)} ans` });
  if (f.phone) facts.push({ label: 'Téléphone', value: f.phone });
  facts.push({
    label: 'Missions d’intérim',
    value: f.placementCount === 0 ? 'aucune (jamais placé·e)' : `${formatNumber(f.placementCount)} mission${f.placementCount > 1 ? 's' : ''}, ${formatNumber(f.placementHours)} h`,
  });
  if (f.lastPlacement) {
    // The end has a field of its own, so channels that format dates for the reader do so (not inside a free text).
    const end = f.lastPlacement.endDate;
    facts.push({ label: endedBefore(end, now) ? 'Dernière mission' : 'Mission en cours ou à venir', value: f.lastPlacement.mission.title });
    facts.push({ label: endedBefore(end, now) ? 'Terminée le' : 'Fin prévue le', value: formatShortDate(end), moment: momentOf(end) });
  }
  facts.push({ label: 'Candidatures', value: formatNumber(applicationCount) });
  const next = f.appointments[0];
  if (next) {
    facts.push({ label: 'Prochain rendez-vous', value: formatDateTime(next.at), moment: momentOf(next.at, true) });
    facts.push({ label: 'Lieu du rendez-vous', value: next.place });
  } else facts.push({ label: 'Prochain rendez-vous', value: 'aucun' });
  facts.push({ label: 'Compte Telegram', value: f.linkedToTelegram ? 'relié' : 'non relié (créez un code de liaison)' });
  return facts;
}

function sections(f: YouthFile, now: Date): Block[] {
  const barriers: SectionItem[] = f.barriers.map((b) => ({
    ...dated(b.openedAt, `${TOPIC_LABELS[b.topic] ?? b.topic} (${BARRIER_STATUS[b.status] ?? b.status})${b.note ? ` : ${b.note}` : ''}`),
  }));
  const requests = f.requests.map((r) => dated(r.createdAt, `${REQUEST_LABELS[r.kind] ?? r.kind}${r.message ? ` : ${r.message}` : ''}`));
  const missions = f.recentPlacements.map((p) => dated(p.endDate, `${p.mission.title}, ${formatNumber(p.hours)} h (${endedBefore(p.endDate, now) ? 'fin' : 'fin prévue'})`));
  const applications = f.applications.map((a) =>
    dated(a.createdAt, `${a.mission.title} à ${a.mission.communeName} (mission n° ${a.mission.id}) : ${APPLICATION_STATUS_LABELS[a.status] ?? a.status}${a.source === 'counsellor_proposal' ? ', proposée par la Mission locale' : ''}`),
  );
  const contacts = f.interactions.map((i) => dated(i.at, `${CHANNEL_LABELS[i.channel] ?? i.channel}${i.note ? ` : ${i.note}` : ''}`));
  const appointments = f.appointments.map((a) => dated(a.at, `${a.place}${a.purpose ? ` (${a.purpose})` : ''}`, true));
  const section = (title: string, items: SectionItem[], empty: string, collapsed: boolean): Block => ({ type: 'section', title, items, empty, collapsed });
  // What needs acting on (barriers, requests) is open; the history folds.
  return [
    section('Freins ouverts', barriers, 'aucun', false),
    ...(requests.length > 0 ? [section('Demandes ouvertes', requests, 'aucune', false)] : []),
    section('Missions', missions, 'aucune', true),
    section('Dernières candidatures', applications, 'aucune', true),
    section('Derniers contacts', contacts, 'aucun', true),
    section('Rendez-vous à venir', appointments, 'aucun', true),
  ];
}
