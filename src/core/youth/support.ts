import type { EligibilityRule } from '../../content/schema.js';
import { isTopic, TOPICS } from '../../shared/domain.js';
import type { EligibilityFacts, MeasureView } from '../../store/index.js';
import type { HandlerResult, TurnContext } from '../context.js';
import { linkFirstReply } from '../common.js';
import { bold, button, buttons, cards, reply, text, intentButton } from '../replies.js';
import type { Block } from '../types.js';
import { formatDate, TOPIC_LABELS } from '../format.js';
import { asking } from '../pending.js';
import { ageOn } from '../../shared/time.js';
import { needsCheckNote } from '../../content/verification.js';
import { COUNSELLOR_LEFT, notifyCounsellor } from '../recipients.js';


function topicButtons() {
  return buttons(...TOPICS.map((t) => button(TOPIC_LABELS[t]!, { kind: 'support_topic', topic: t })));
}

function sourceBlock(m: MeasureView, now: Date): Block {
  return {
    type: 'source',
    label: m.sourceUrl.replace(/^https?:\/\//, '').replace(/\/.*$/, ''),
    url: m.sourceUrl,
    verifiedOn: formatDate(m.lastVerifiedAt),
    ...(needsCheckNote(m.verification, m.lastVerifiedAt, now) ? { note: 'Information à vérifier auprès de ta Mission locale ou de l’organisme.' } : {}),
  };
}

/** The measures of a topic (or the topic menu when none was named). */
export async function showSupport(ctx: TurnContext, topic: string | undefined): Promise<HandlerResult> {
  if (!isTopic(topic)) {
    return { reply: reply(text('Pour quel besoin cherches-tu une aide ?'), topicButtons()) };
  }
  const measures = await ctx.store.content.listMeasuresByTopic(topic as (typeof TOPICS)[number]);
  if (measures.length === 0) return { reply: reply(text(`Je n’ai pas encore d’aide enregistrée pour : ${TOPIC_LABELS[topic]}. Parles-en à ton conseiller·ère.`)) };
  return {
    reply: reply(
      cards(
        measures.slice(0, 8).map((m, i) => ({
          ref: String(i + 1),
          title: m.title,
          subtitle: `${m.funder === 'MissionLocale' ? 'Mission locale' : m.funder === 'State' ? 'État / organisme public' : m.funder}${needsCheckNote(m.verification, m.lastVerifiedAt, ctx.now) ? ' · à vérifier' : ''}`,
          fields: [{ label: 'En bref', value: m.summary.length > 220 ? `${m.summary.slice(0, 217)}…` : m.summary }],
          buttons: [button('Voir et vérifier si j’y ai droit', { kind: 'measure', key: m.key })],
        })),
        `Aides · ${TOPIC_LABELS[topic]}`,
      ),
      buttons(button('📣 Prévenir mon conseiller·ère de ce besoin', { kind: 'tell_counsellor_barrier', topic })),
    ),
    state: { ...ctx.state, lastList: { kind: 'measures', ids: measures.slice(0, 8).map((m) => m.key), offset: 0 }, pending: undefined },
  };
}

type RuleCheck = 'met' | 'unknown' | 'unmet';

/** What the file says about a rule. "unmet" from the store is never final: hours worked elsewhere do not show here. */
export function checkRule(rule: EligibilityRule, facts: EligibilityFacts | null, now: Date): RuleCheck {
  if (!facts) return 'unknown';
  switch (rule.type) {
    case 'max_age':
    case 'min_age': {
      if (!facts.birthDate) return 'unknown';
      const age = ageOn(facts.birthDate, now);
      if (rule.type === 'min_age') return age >= rule.years ? 'met' : 'unmet';
      if (age <= rule.years) return 'met';
      // Above the usual limit but within the extended one: only the young person knows the condition.
      return rule.extendedTo && age <= rule.extendedTo.years ? 'unknown' : 'unmet';
    }
    case 'min_interim_hours': {
      const since = rule.withinMonths ? new Date(now.getTime() - rule.withinMonths * 30.44 * 86_400_000) : new Date(0);
      const hours = facts.placements.filter((p) => p.endDate >= since).reduce((s, p) => s + p.hours, 0);
      return hours >= rule.hours ? 'met' : 'unknown';
    }
    case 'on_mission_within_days': {
      if (facts.onMissionNow) return 'met';
      if (facts.lastPlacementEnd && now.getTime() - facts.lastPlacementEnd.getTime() <= rule.days * 86_400_000) return 'met';
      return 'unknown';
    }
    case 'declared':
      return 'unknown';
  }
}

/** Shows one measure and starts its eligibility pre-check. */
export async function showMeasure(ctx: TurnContext, key: string): Promise<HandlerResult> {
  const m = await ctx.store.content.findMeasureByKey(key);
  if (!m) return { reply: reply(text('Cette aide n’est plus dans le catalogue.'), topicButtons()) };
  const intro: Block[] = [
    text(bold(m.title)),
    text(m.summary),
    text(bold('Comment la demander : '), m.howToRequest),
    text(bold('Contact : '), m.contact),
    sourceBlock(m, ctx.now),
  ];
  return continueCheck(ctx, m, 0, 0, intro);
}

/** Asks the next rule the file cannot settle, or concludes. `passed` counts rules settled so far. */
async function continueCheck(ctx: TurnContext, m: MeasureView, fromRule: number, passed: number, before: Block[]): Promise<HandlerResult> {
  const facts = ctx.actor.kind === 'youth' ? await ctx.store.activity.eligibilityFacts(ctx.actor.youth.id, ctx.now) : null;
  for (let i = fromRule; i < m.eligibility.length; i++) {
    const rule = m.eligibility[i]!;
    const check = checkRule(rule, facts, ctx.now);
    if (check === 'met') {
      passed++;
      continue;
    }
    if (check === 'unmet') return conclude(ctx, m, false, before, rule.question);
    return {
      reply: reply(
        ...before,
        text(bold('Vérifions rapidement : '), rule.question),
        buttons(button('Oui', { kind: 'eligibility_answer', key: m.key, rule: i, yes: true }), button('Non', { kind: 'eligibility_answer', key: m.key, rule: i, yes: false })),
      ),
      state: asking(ctx.state, { kind: 'eligibility', measureKey: m.key, rule: i, passed }, ctx.now),
    };
  }
  return conclude(ctx, m, true, before);
}

function conclude(ctx: TurnContext, m: MeasureView, ok: boolean, before: Block[], failedQuestion?: string): HandlerResult {
  const verdict = m.eligibility.length === 0
    ? text('Pas de condition particulière connue : renseigne-toi auprès du contact indiqué.')
    : ok
      ? text('👍 D’après tes réponses, ', bold('tu sembles remplir les conditions'), '. Ce n’est qu’une première vérification : la décision revient à l’organisme.')
      : text('D’après tes réponses, tu ne sembles pas remplir une condition', failedQuestion ? ` (« ${failedQuestion} »)` : '', '. Ton conseiller·ère peut t’orienter vers une autre aide.');
  return {
    reply: reply(...before, verdict, buttons(button('📣 Prévenir mon conseiller·ère', { kind: 'tell_counsellor_barrier', topic: m.topic }), intentButton('support', 'Autres aides'))),
    state: { ...ctx.state, pending: undefined },
  };
}

export async function answerEligibility(ctx: TurnContext, key: string, rule: number, yes: boolean): Promise<HandlerResult> {
  const m = await ctx.store.content.findMeasureByKey(key);
  if (!m || rule >= m.eligibility.length) return { reply: reply(text('Cette question n’est plus valable.'), topicButtons()), state: { ...ctx.state, pending: undefined } };
  const passed = ctx.state.pending?.kind === 'eligibility' ? ctx.state.pending.passed : 0;
  if (!yes) return conclude(ctx, m, false, [], m.eligibility[rule]!.question);
  return continueCheck(ctx, m, rule + 1, passed + 1, []);
}

/** Records the barrier on the youth's file and tells the counsellor. */
export async function tellCounsellorBarrier(ctx: TurnContext, topic: string): Promise<HandlerResult> {
  if (!isTopic(topic)) return { reply: reply(text('Ce besoin n’est pas reconnu.'), topicButtons()) };
  if (ctx.actor.kind !== 'youth') return { reply: linkFirstReply('prévenir ton conseiller·ère') };
  const youth = ctx.actor.youth;
  const t = topic as (typeof TOPICS)[number];
  const barrier = await ctx.store.activity.recordBarrier(youth.id, t);
  const request = await ctx.store.activity.recordRequest(youth.id, 'barrier', `Besoin signalé : ${TOPIC_LABELS[t]}`);
  const told = await notifyCounsellor(ctx.store, { kind: 'youth_request', counsellorId: youth.counsellorId, youthId: youth.id, requestId: request.id, requestKind: 'barrier' });
  await ctx.audit('record_barrier', youth.id, { topic: t, created: barrier.created });
  const said = told ? `C’est transmis ✅ Ton conseiller·ère sait que tu as besoin d’aide pour : ${TOPIC_LABELS[t]}. Tu seras recontacté·e.` : `C’est noté ✅ Ton besoin d’aide pour : ${TOPIC_LABELS[t]} est dans ton dossier. ${COUNSELLOR_LEFT}`;
  return { reply: reply(text(said)), state: { ...ctx.state, pending: undefined } };
}
