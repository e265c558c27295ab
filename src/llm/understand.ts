/**
 * The LLM understanding route. The deterministic NLU always runs first; only a message it is unsure about
 * (confidence below the threshold, on a configured role, and not a bare yes/no answer) is shown to the model,
 * through LangChain's structured output. The answer is validated here again, its entities resolved through the
 * NLU's own vocabularies, and on any doubt (invalid answer, time-out, provider error) the deterministic result
 * stands. The route only annotates: the policy, the rights and every fact stay with the core and the store.
 */
import type { BaseLanguageModelInput } from '@langchain/core/language_models/base';
import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import type { Runnable } from '@langchain/core/runnables';
import { HumanMessage, SystemMessage } from '@langchain/core/messages';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { Entities, IntentName, Role, Understanding } from '../nlu/types.js';
import { SECTORS, TOPICS, type Sector, type Topic } from '../shared/domain.js';
import { editDistance, fold } from '../shared/text.js';
import { fewShotExamples, intentLines, intentsOf } from './catalogue.js';
import { renderPrompt, type Prompt } from './prompts.js';
import { redactMessage, type RedactedMessage } from './redact.js';

/** The deterministic understanding the route starts from and falls back to. */
export type Understand = (text: string, role: Role) => Understanding;

/** The route's settings (from `LlmSettings`). */
export interface UnderstandingRouteOptions {
  model: BaseChatModel;
  prompt: Prompt;
  base: Understand;
  log: Logger;
  timeoutMs: number;
  confidenceThreshold: number;
  roles: readonly Role[];
}

// `null` is accepted for an absent entity: models often send it instead of omitting the key.
const opt = <T extends z.ZodTypeAny>(t: T) => t.nullable().optional();

/** The structured output asked of the model for a role: the role's intents only, entities in the NLU's forms. */
export function understandingSchema(role: Role) {
  return z.object({
    intent: z.enum(intentsOf(role)).describe('Une des intentions de la liste'),
    confidence: z.number().min(0).max(1).describe('Certitude sur l’intention, entre 0 et 1'),
    entities: z
      .object({
        city: opt(z.string().min(1).max(80)).describe('Commune française telle qu’écrite'),
        sector: opt(z.string().min(1).max(60)).describe(`Un de : ${SECTORS.join(', ')}`),
        topic: opt(z.string().min(1).max(60)).describe(`Un de : ${TOPICS.join(', ')}`),
        days: opt(z.number().int().min(1).max(366)).describe('Durée en jours'),
        mission_ref: opt(z.string().regex(/^\d{1,9}$/)).describe('Numéro de mission donné dans le message'),
        code: opt(z.string().min(4).max(20)).describe('Code de liaison donné dans le message'),
        person: opt(z.string().min(1).max(80)).describe('Marqueur [PERSONNE_n] d’un jeune nommé'),
      })
      .default({}),
  });
}
type ModelAnswer = z.infer<ReturnType<typeof understandingSchema>>;

const ROLE_DESCRIPTIONS: Record<Role, string> = {
  youth: 'Les messages viennent de jeunes sur Telegram, souvent en style SMS (« jcherche 1 taf a lyon »), avec des fautes.',
  counsellor:
    'Les messages viennent de conseillères et conseillers de Mission locale, dans Microsoft Teams. Les noms des jeunes y sont remplacés par des marqueurs [PERSONNE_1], [PERSONNE_2]… : recopie le marqueur tel quel dans `person`.',
};

const ENTITY_FORMS: Record<Role, string> = {
  youth: [
    '- city : nom de la commune française nommée (ex. « Lyon », « Vaulx-en-Velin »)',
    `- sector : secteur de métier, un de ${SECTORS.join(', ')}`,
    `- topic : frein ou aide, un de ${TOPICS.join(', ')} (logement, mobilité, garde d'enfants, santé, argent, formation)`,
    '- days : durée ou délai en jours (« 2 semaines » → 14)',
    '- mission_ref : numéro de mission écrit dans le message',
    '- code : code de liaison écrit dans le message',
  ].join('\n'),
  counsellor: [
    '- person : le marqueur [PERSONNE_n] du jeune dont il est question',
    `- topic : frein, un de ${TOPICS.join(', ')}`,
    '- days : durée en jours (« depuis 3 semaines » → 21)',
    '- mission_ref : numéro de mission écrit dans le message',
    `- city, sector : commune et secteur (${SECTORS.join(', ')}) d'une recherche de missions`,
  ].join('\n'),
};

/** Why the model's answer was not used. */
type Fallback = 'timeout' | 'invalid' | 'error';

class RouteTimeout extends Error {
  override name = 'RouteTimeout';
}

/**
 * True when the route asks the model about a message: a routed role, the NLU below the threshold, and not a bare
 * "oui"/"non" (that answers the assistant's own question, which the pending-question rule reads, not the model).
 */
export function asksModel(base: Understanding, role: Role, o: { roles: readonly Role[]; confidenceThreshold: number }): boolean {
  return o.roles.includes(role) && base.confidence < o.confidenceThreshold && !base.signals.answer;
}

/** Builds the routed `understand`: deterministic first, the model below the threshold, never longer than the time-out. */
export function createUnderstandingRoute(o: UnderstandingRouteOptions): (text: string, role: Role) => Promise<Understanding> {
  const structured = new Map<Role, Runnable<BaseLanguageModelInput, unknown>>();
  const examples = new Map<Role, string>();
  const structuredFor = (role: Role) => {
    let s = structured.get(role);
    if (!s) {
      s = o.model.withStructuredOutput(understandingSchema(role), { name: 'understanding' }) as Runnable<BaseLanguageModelInput, unknown>;
      structured.set(role, s);
    }
    return s;
  };
  const examplesFor = (role: Role) => {
    let e = examples.get(role);
    if (e === undefined) {
      // Few-shot examples go through the same redaction as messages: no name reaches the model from them either.
      e = fewShotExamples(role, o.prompt.config.fewShotPerIntent)
        .map((ex) => `- « ${redactMessage(ex.text, { role, person: o.base(ex.text, role).entities.person }).text} » → ${ex.intent}`)
        .join('\n');
      examples.set(role, e);
    }
    return e;
  };

  return async function understand(text: string, role: Role): Promise<Understanding> {
    const base = o.base(text, role);
    if (!asksModel(base, role, o)) return base;
    const started = Date.now();
    const redacted = redactMessage(text, { role, person: base.entities.person });
    const messages = renderPrompt(o.prompt, {
      role_description: ROLE_DESCRIPTIONS[role],
      intents: intentLines(role),
      entity_forms: ENTITY_FORMS[role],
      examples: examplesFor(role),
      message: redacted.text,
    }).map((m) => (m.role === 'system' ? new SystemMessage(m.content) : new HumanMessage(m.content)));

    let answer: unknown;
    try {
      answer = await withTimeout(o.timeoutMs, (signal) => structuredFor(role).invoke(messages, { signal }));
    } catch (err) {
      return fallback(base, role, err instanceof RouteTimeout || (err as Error)?.name === 'AbortError' ? 'timeout' : 'error', started);
    }
    // LangChain parsed it already; a provider may still return what the schema forbids, so it is checked again here.
    const parsed = understandingSchema(role).safeParse(answer);
    if (!parsed.success) return fallback(base, role, 'invalid', started);
    const entities = resolveEntities(parsed.data.entities, redacted, text, o.base);
    if (entities === undefined) return fallback(base, role, 'invalid', started);
    o.log.info({ route: 'llm', role, intent: parsed.data.intent, deterministic: base.intent, ms: Date.now() - started }, 'understanding');
    return merge(base, parsed.data, entities);
  };

  function fallback(base: Understanding, role: Role, reason: Fallback, started: number): Understanding {
    o.log.warn({ route: 'deterministic', role, intent: base.intent, reason, ms: Date.now() - started }, 'understanding');
    return base;
  }
}

/** The model's intent with the NLU's entities first (they are exact), the model's resolved ones filling the gaps. */
function merge(base: Understanding, answer: ModelAnswer, entities: Entities): Understanding {
  const ranked = [{ intent: base.intent, confidence: base.confidence }, ...base.alternatives].filter((a) => a.intent !== answer.intent);
  return {
    intent: answer.intent as IntentName,
    confidence: answer.confidence,
    alternatives: ranked.slice(0, 3),
    entities: { ...entities, ...base.entities },
    signals: base.signals,
  };
}

/**
 * The model's entities in the NLU's forms, or undefined when one is malformed. A value the message does not
 * contain (a code, a number, a name) is an invention and makes the whole answer invalid; a place, sector or topic
 * that the NLU's vocabularies do not know is only dropped.
 */
export function resolveEntities(e: ModelAnswer['entities'], redacted: RedactedMessage, original: string, base: Understand): Entities | undefined {
  const out: Entities = {};
  const folded = fold(original);
  const compact = folded.replace(/ /g, '');
  if (e.city) {
    const place = base(`à ${e.city}`, 'youth').entities;
    // The whole name must be the commune's (typos aside): "Atlantis-sur-Mer" is not the commune of Mer.
    const same = (name: string) => editDistance(fold(name), fold(e.city!), 2) <= 2;
    if (place.city && place.cityCode && same(place.city)) {
      Object.assign(out, { city: place.city, cityCode: place.cityCode });
      if (place.departement) out.departement = place.departement;
    }
  }
  if (e.sector) {
    const sector = (SECTORS as readonly string[]).includes(e.sector) ? (e.sector as Sector) : base(e.sector, 'youth').entities.sector;
    if (sector) out.sector = sector;
  }
  if (e.topic) {
    const topic = (TOPICS as readonly string[]).includes(e.topic) ? (e.topic as Topic) : base(e.topic, 'youth').entities.topic;
    if (topic) out.topic = topic;
  }
  if (e.days) out.days = e.days;
  if (e.mission_ref) {
    if (!new RegExp(`(^|\\D)${e.mission_ref}(\\D|$)`).test(original)) return undefined;
    out.mission_ref = e.mission_ref;
  }
  if (e.code) {
    const code = e.code.toUpperCase().replace(/[^A-Z0-9]/g, '');
    if (code.length < 4 || !compact.includes(code.toLowerCase())) return undefined;
    out.code = code;
  }
  if (e.person) {
    const marker = e.person.match(/PERSONNE_\d+/)?.[0];
    const person = (marker ? redacted.restore(`[${marker}]`) : undefined) ?? (folded.includes(fold(e.person)) && fold(e.person).length > 1 ? e.person : undefined);
    if (!person) return undefined;
    out.person = person;
  }
  return out;
}

/** Runs `task` with an abort signal, and gives up after `ms` whether or not the task honours the signal. */
async function withTimeout<T>(ms: number, task: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new RouteTimeout(`no answer within ${ms} ms`));
    }, ms);
  });
  try {
    return await Promise.race([task(controller.signal), expired]);
  } finally {
    clearTimeout(timer);
  }
}
