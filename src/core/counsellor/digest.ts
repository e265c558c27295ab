import type { NotificationInput, Store } from '../../store/index.js';
import type { HandlerResult } from '../context.js';
import { encodeAction } from '../actions.js';
import { scopeOf } from '../identity.js';
import { formatParisDate } from '../../shared/time.js';
import { formatShortDate, REQUEST_PHRASES } from '../format.js';
import { bold, button, buttons, intentButton, reply, text } from '../replies.js';
import type { Block, Fact, Reply } from '../types.js';
import { isManager, type CounsellorContext } from './context.js';
import { fullName } from './resolve.js';
import { DEFAULT_DAYS, endingWithin, noContactSince } from './definitions.js';

type DigestPayload = Extract<NotificationInput, { kind: 'counsellor_digest' }>;

/** Lines per part of the digest; the rest is one line that opens the whole list. */
const LINES_PER_PART = 10;

/** What the digest's parts say, for the subscription reply and the README. */
const DIGEST_CONTENTS = 'les nouveaux « ça m’intéresse » et les nouvelles demandes depuis le point précédent, les fins de mission dans les 7 jours et les jeunes qui atteignent 30 jours sans contact';

/** "digest quotidien" / the overview's button: subscribes, or stops the digest ("arrête le digest"). */
export async function setDigest(ctx: CounsellorContext, on: boolean): Promise<HandlerResult> {
  const { wasOn } = await ctx.store.digest.setDigestOptIn(ctx.actor.counsellor.id, on, ctx.now);
  await ctx.audit('digest_opt_in', null, { on, changed: wasOn !== on });
  if (on) {
    return {
      reply: reply(
        text(wasOn ? 'Vous recevez déjà le point quotidien.' : '✅ C’est noté.', ' Chaque jour ouvré (du lundi au vendredi, hors jours fériés) à 8 h 30, je vous envoie un point sur ', isManager(ctx) ? 'votre Mission locale' : 'votre portefeuille', ' : ', DIGEST_CONTENTS, '.'),
        buttons(button('Arrêter le point quotidien', { kind: 'digest', on: false })),
      ),
    };
  }
  return {
    reply: reply(
      text(wasOn ? 'C’est noté : vous ne recevrez plus le point quotidien.' : 'Vous ne recevez pas le point quotidien.'),
      buttons(button('📬 Recevoir le point quotidien', { kind: 'digest', on: true })),
    ),
  };
}

/** The overview's button: subscribe, or stop, depending on where the counsellor stands. */
export async function digestButton(ctx: CounsellorContext) {
  return (await ctx.store.digest.isDigestOn(ctx.actor.counsellor.id))
    ? button('Arrêter le point quotidien', { kind: 'digest', on: false })
    : button('📬 Point quotidien', { kind: 'digest', on: true });
}

/**
 * The daily digest card, rendered at delivery from the payload's ids and period: null when the counsellor is gone,
 * inactive or unsubscribed since it was queued; `reply` null when there is nothing to say (no card is sent).
 * Each line opens the youth's file; only the counsellor's scope is read (their caseload, a manager's Mission locale).
 */
export async function renderCounsellorDigest(store: Store, p: DigestPayload): Promise<{ reply: Reply | null; lines: number } | null> {
  const counsellor = await store.counsellors.findCounsellorById(p.counsellorId);
  if (!counsellor || !counsellor.active || !(await store.digest.isDigestOn(counsellor.id))) return null;
  const scope = scopeOf(counsellor);
  const since = new Date(p.since);
  const until = new Date(p.until);
  const [interests, requests, ending, silentNow, silentBefore] = await Promise.all([
    store.digest.newInterests(scope, since, until),
    store.digest.newRequests(scope, since, until),
    store.caseload.missionsEndingSoon(scope, endingWithin(until, DEFAULT_DAYS.ending_soon), until),
    store.caseload.youthWithoutContact(scope, noContactSince(until, DEFAULT_DAYS.without_contact), until),
    store.caseload.youthWithoutContact(scope, noContactSince(since, DEFAULT_DAYS.without_contact), since),
  ]);
  // Reaching 30 days without contact = in the list now, not in it at the previous digest (the list's own definition).
  const before = new Set(silentBefore.map((r) => r.id));
  const reached = silentNow.filter((r) => !before.has(r.id));
  const open = (youthId: number) => encodeAction({ kind: 'youth_summary', youthId });
  const parts: Block[] = [];
  const part = (heading: string, facts: Fact[], all: string) => {
    if (facts.length === 0) return;
    const shown = facts.slice(0, LINES_PER_PART);
    if (facts.length > shown.length) shown.push({ label: `… et ${facts.length - shown.length} autres`, value: 'voir la liste', action: all });
    parts.push({ type: 'facts', heading: `${heading} (${facts.length})`, facts: shown });
  };
  part(
    'Nouveaux « ça m’intéresse »',
    interests.map((i) => ({ label: fullName(i), value: `${i.missionTitle} à ${i.communeName} (n° ${i.missionId})`, action: open(i.youthId) })),
    encodeAction({ kind: 'caseload_list', list: 'pending_interest' }),
  );
  part('Nouvelles demandes', requests.map((r) => ({ label: fullName(r), value: REQUEST_PHRASES[r.kind], action: open(r.youthId) })), encodeAction({ kind: 'caseload_list', list: 'open_requests' }));
  part(
    'Fins de mission dans les 7 jours',
    ending.map((r) => ({ label: fullName(r), value: r.currentMissionEnd ? `fin le ${formatShortDate(r.currentMissionEnd)}` : 'fin proche', action: open(r.id) })),
    encodeAction({ kind: 'caseload_list', list: 'ending_soon', days: 7 }),
  );
  part(
    'Atteignent 30 jours sans contact',
    reached.map((r) => ({ label: fullName(r), value: r.lastContactAt ? `dernier contact le ${formatShortDate(r.lastContactAt)}` : 'jamais contacté·e', action: open(r.id) })),
    encodeAction({ kind: 'caseload_list', list: 'without_contact', days: 30 }),
  );
  const lines = interests.length + requests.length + ending.length + reached.length;
  if (lines === 0) return { reply: null, lines };
  const where = 'missionLocaleId' in scope ? counsellor.missionLocale.name : 'votre portefeuille';
  return {
    lines,
    reply: reply(
      text('☀️ ', bold(`Point du ${formatParisDate(until)}`), ` : ${where}.`),
      ...parts,
      buttons(intentButton('caseload_overview'), button('Arrêter le point quotidien', { kind: 'digest', on: false })),
    ),
  };
}
