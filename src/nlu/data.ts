import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { CALENDAR_PERIODS } from '../shared/time.js';
import { COUNSELLOR_INTENTS, MISSION_ASPECTS, REQUEST_SIGNALS, SECTORS, TOPICS, YOUTH_INTENTS, type ContactChannel, type IntentName, type Role, type Sector, type Topic } from './types.js';

/** Folder of the data files shipped with the NLU. */
export const DEFAULT_DATA_DIR = fileURLToPath(new URL('./data/', import.meta.url));

/** Thrown when a data file is missing or malformed; the message names the file (and line for JSONL). */
export class NluDataError extends Error {
  constructor(
    readonly file: string,
    detail: string,
  ) {
    super(`NLU data file "${file}" is invalid: ${detail}`);
    this.name = 'NluDataError';
  }
}

const ALL_INTENTS = [...new Set<IntentName>([...YOUTH_INTENTS, ...COUNSELLOR_INTENTS])] as [IntentName, ...IntentName[]];
const intentName = z.enum(ALL_INTENTS);
const role = z.enum(['youth', 'counsellor']);
const phrase = z.string().trim().min(1);
const phraseList = z.array(phrase).min(1);

const intentsSchema = z.object({
  intents: z
    .array(
      z.object({
        name: intentName,
        roles: z.array(role).min(1),
        /** The one human label of the intent: its button (after `emoji`), menus, clarifying questions, the LLM prompt. */
        label: z.string().trim().min(3).max(40),
        emoji: z.string().trim().min(1).max(8).optional(),
        /** A few words more for the LLM prompt only ("paie, congés, maladie…"). */
        hint: z.string().trim().min(3).max(80).optional(),
      }),
    )
    .min(1),
});

const trainingLineSchema = z.object({ intent: intentName, text: phrase, role: role.optional() });

const smsSchema = z.object({ tokens: z.record(phrase, z.string()) });

const sectorsSchema = z.record(z.enum(SECTORS), phraseList);
const topicsSchema = z.record(z.enum(TOPICS), phraseList);

const numbersSchema = z.object({
  cardinals: z.record(phrase, z.number().int().positive()),
  ordinals: z.record(phrase, z.number().int().positive()),
  units: z.record(phrase, z.number().int().positive()),
  periods: z.record(phrase, z.number().int().positive()),
  /** Phrases naming a calendar period ("la semaine pro" = next Monday to Sunday); each also has a length in `periods`. */
  calendar: z.record(phrase, z.enum(CALENDAR_PERIODS)),
});

const firstNamesSchema = z.object({ firstNames: phraseList });

const stoplistSchema = z.object({ never: z.array(phrase), needsPreposition: z.array(phrase) });

/**
 * Words of a request signal: phrases of folded words, a word ending in "*" matching any word it begins
 * ("export*" = exporte, exporter, exportez…); `at` says where they count (the first word, or anywhere).
 */
const wordRuleSchema = z.object({ at: z.enum(['start', 'anywhere']), words: phraseList });

const markersSchema = z.object({
  yes: phraseList,
  no: phraseList,
  more: phraseList,
  deictic: phraseList,
  locationPrepositions: phraseList,
  aroundTriggers: phraseList,
  departementTriggers: phraseList,
  missionRefTriggers: phraseList,
  personTriggers: phraseList,
  /** A message starting with one of these changes one criterion of the previous request ("et à Marseille ?"). */
  followUpStarts: phraseList,
  /** Words that may surround entities in a bare follow-up ("en logistique", "à Lyon plutôt"). */
  followUpFillers: phraseList,
  /** Words asking about one field of a mission ("combien c payé" = pay): answered alone when a mission is open. */
  missionAspects: z.record(z.enum(MISSION_ASPECTS), phraseList),
  personStopwords: phraseList,
  surnameParticles: phraseList,
  capitalisedNonNames: phraseList,
  codeTriggers: phraseList,
  /** The signals a handler needs about how a request is worded (see `Signals`). */
  requestWords: z.record(z.enum(REQUEST_SIGNALS), wordRuleSchema),
  /** Words of a contact note telling how the contact happened; anything else is a message. */
  contactChannels: z.object({ phone: phraseList, meeting: phraseList }) satisfies z.ZodType<Record<Exclude<ContactChannel, 'message'>, string[]>>,
});

/** data/intents.json: each intent with its roles and its one human label. */
export type IntentCatalogue = z.infer<typeof intentsSchema>['intents'];
/** One line of data/training.jsonl; without `role`, the example serves every role of the intent. */
export type TrainingExample = z.infer<typeof trainingLineSchema>;
/** data/markers.json: small word lists driving signals, places, references, names and codes. */
export type Markers = z.infer<typeof markersSchema>;

/** Every data file, validated. Phrases are kept as written; modules fold them when indexing. */
export interface NluData {
  intents: IntentCatalogue;
  training: TrainingExample[];
  sms: Record<string, string>;
  sectors: Record<Sector, string[]>;
  topics: Record<Topic, string[]>;
  numbers: z.infer<typeof numbersSchema>;
  firstNames: string[];
  cityStoplist: z.infer<typeof stoplistSchema>;
  markers: Markers;
}

function readText(dir: string, file: string): string {
  try {
    return readFileSync(join(dir, file), 'utf8');
  } catch (e) {
    throw new NluDataError(file, `cannot be read (${(e as Error).message})`);
  }
}

function parseJson<T>(dir: string, file: string, schema: z.ZodType<T>): T {
  let raw: unknown;
  try {
    raw = JSON.parse(readText(dir, file));
  } catch (e) {
    if (e instanceof NluDataError) throw e;
    throw new NluDataError(file, `not valid JSON (${(e as Error).message})`);
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new NluDataError(file, z.prettifyError(parsed.error));
  return parsed.data;
}

function parseJsonl<T>(dir: string, file: string, schema: z.ZodType<T>): T[] {
  const out: T[] = [];
  const lines = readText(dir, file).split('\n');
  lines.forEach((line, i) => {
    if (!line.trim()) return;
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch (e) {
      throw new NluDataError(file, `line ${i + 1} is not valid JSON (${(e as Error).message})`);
    }
    const parsed = schema.safeParse(raw);
    if (!parsed.success) throw new NluDataError(file, `line ${i + 1}: ${z.prettifyError(parsed.error)}`);
    out.push(parsed.data);
  });
  return out;
}

/** data/intents.json alone (the labels), without reading the training data. */
export function loadIntentCatalogue(dir: string = DEFAULT_DATA_DIR): IntentCatalogue {
  return parseJson(dir, 'intents.json', intentsSchema).intents;
}

/**
 * Reads and validates every NLU data file of `dir`.
 * @throws NluDataError naming the first broken file.
 */
export function loadNluData(dir: string = DEFAULT_DATA_DIR): NluData {
  const { intents } = parseJson(dir, 'intents.json', intentsSchema);
  const rolesOf = new Map<IntentName, Role[]>(intents.map((i) => [i.name, i.roles]));
  for (const [r, expected] of [
    ['youth', YOUTH_INTENTS],
    ['counsellor', COUNSELLOR_INTENTS],
  ] as const) {
    for (const name of expected) {
      if (!rolesOf.get(name)?.includes(r)) throw new NluDataError('intents.json', `intent "${name}" must be declared for role "${r}"`);
    }
  }

  const training = parseJsonl(dir, 'training.jsonl', trainingLineSchema);
  training.forEach((ex, i) => {
    const roles = rolesOf.get(ex.intent) ?? [];
    if (ex.role && !roles.includes(ex.role)) {
      throw new NluDataError('training.jsonl', `line ${i + 1}: intent "${ex.intent}" is not a ${ex.role} intent`);
    }
  });

  return {
    intents,
    training,
    sms: parseJson(dir, 'sms.json', smsSchema).tokens,
    sectors: parseJson(dir, 'sectors.json', sectorsSchema) as Record<Sector, string[]>,
    topics: parseJson(dir, 'topics.json', topicsSchema) as Record<Topic, string[]>,
    numbers: parseJson(dir, 'numbers.json', numbersSchema),
    firstNames: parseJson(dir, 'first-names.json', firstNamesSchema).firstNames,
    cityStoplist: parseJson(dir, 'city-stoplist.json', stoplistSchema),
    markers: parseJson(dir, 'markers.json', markersSchema),
  };
}
