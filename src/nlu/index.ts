/**
 * Deterministic, offline French NLU of the Mission Jeunes assistant.
 *
 * `understand(text, role)` returns the intent (among the role's intents), entities and dialogue
 * signals of one message. The model is built from `src/nlu/data/` at the first call (or by
 * `buildNlu()`), or read back from the model cache (`model-cache.ts`) when an earlier process trained
 * it from the same data and code; after that a message takes well under a millisecond.
 */
import { IntentClassifier, DEFAULT_CLASSIFIER_OPTIONS, type ClassifierOptions, type Classification } from './classifier.js';
import { DEFAULT_DATA_DIR, loadNluData, type NluData } from './data.js';
import { Gazetteer, placesFromGeo } from './entities/city.js';
import { findCode } from './entities/code.js';
import { LexiconMatcher } from './entities/lexicon.js';
import { NumberReader } from './entities/numbers.js';
import { findNote, findPerson, type PersonLexicon } from './entities/person.js';
import { SmsNormaliser } from './normalise.js';
import { SignalDetector, WordPatterns } from './signals.js';
import { fold as foldText } from '../shared/text.js';
import { foldPhrase, tokenize } from './tokens.js';
import { PhraseIndex } from './phrases.js';
import { modelKey, readModel, writeModel, type NluModel } from './model-cache.js';
import { cacheDir } from '../shared/cache-dir.js';
import { COUNSELLOR_INTENTS, REQUEST_SIGNALS, YOUTH_INTENTS, type ContactChannel, type Entities, type IntentName, type Role, type Sector, type Signals, type Topic, type Understanding, type MissionAspect } from './types.js';

export type { MissionAspect, ContactChannel } from './types.js';
export { intentLabel } from './labels.js';
export { CONTACT_CHANNELS, COUNSELLOR_INTENTS, YOUTH_INTENTS } from './types.js';
export type { Role, YouthIntent, CounsellorIntent, IntentName, Entities, Signals, Understanding, Sector, Topic } from './types.js';

/** Intents whose messages talk about a barrier: there a word like "garde" is a topic, not a job. */
const BARRIER_INTENTS = new Set<IntentName>(['support', 'youth_with_barrier', 'faq']);

/**
 * Only the beginning of a message is analysed: what the person wants is said early, and this
 * bounds the time of a pasted essay. The note of a contact log still comes from the full text.
 */
const MAX_TOKENS = 64;
const MAX_CHARS = 1000;

/** Confidence ceiling of a message that is only a yes/no answer: the caller should read `signals`. */
const ANSWER_ONLY_MAX_CONFIDENCE = 0.3;

/** Decision thresholds, on the classifier's cosine scale. */
export interface DecisionOptions {
  /** Below this similarity to the closest training example, the message is out of scope. */
  minNearest: number;
  /** Below this share of known features (gibberish, another language), the message is out of scope. */
  minCoverage: number;
  /** Similarity to the closest example from which a match is fully trusted. */
  closeAt: number;
}

/** Thresholds checked on held-out out-of-scope messages and by cross-validation on training. */
export const DEFAULT_DECISION_OPTIONS: DecisionOptions = { minNearest: 0.12, minCoverage: 0.2, closeAt: 0.35 };

/** Result of the entity pass, also used to build the classifier's view of the message. */
interface Analysis {
  entities: Entities;
  signals: Signals;
  /** Normalised words with entity placeholders, as the classifier sees them. */
  words: string[];
  /** Spans of sector and topic words, to settle "garde d'enfants" (job) vs "garde" (barrier) by intent. */
  sectorSpan?: [number, number];
  topicSpan?: [number, number];
  /** The message is nothing but a yes/no answer. */
  answerOnly: boolean;
}

/** One built NLU: data, indexes and the two role classifiers. */
export interface Nlu {
  understand(text: string, role: Role): Understanding;
  /** The normalised words the classifier sees (for debugging and tests). */
  preprocess(text: string, role: Role): string[];
  /** Button label of an intent, from data/intents.json. */
  label(intent: IntentName): string;
}

/** Options of `buildNlu`, for tests and tuning; the defaults are what `understand` uses. */
export interface BuildOptions {
  dataDir?: string;
  /** Replaces the training examples of the data folder (cross-validation, experiments). */
  training?: NluData['training'];
  classifier?: Partial<ClassifierOptions>;
  decision?: Partial<DecisionOptions>;
}

function collapseRepeats(w: string): string {
  return w.replace(/([a-z])\1{2,}/g, '$1');
}

/** Builds the NLU from a data folder (default: `src/nlu/data/`). Takes a few hundred ms. */
export function buildNlu(options: BuildOptions = {}): Nlu {
  return assembleNlu(options).nlu;
}

/** The NLU from `options`, trained, or taken from `model` (trained earlier from the same data and code). */
function assembleNlu(options: BuildOptions, model?: NluModel): { nlu: Nlu; model: () => NluModel } {
  const loaded = loadNluData(options.dataDir ?? DEFAULT_DATA_DIR);
  const data: NluData = options.training ? { ...loaded, training: options.training } : loaded;
  const decision = { ...DEFAULT_DECISION_OPTIONS, ...options.decision };
  const m = data.markers;

  // Words of the domain: used to tell typos (fuzzy-matched to communes) from ordinary words.
  const vocabulary = new Set<string>();
  for (const ex of data.training) for (const t of tokenize(ex.text)) vocabulary.add(t.norm);
  const knownWords = new Set<string>(vocabulary);
  const addPhrases = (l: Iterable<string>) => {
    for (const p of l) for (const w of foldPhrase(p).split(' ')) if (w) knownWords.add(w);
  };
  addPhrases(Object.keys(data.sms));
  addPhrases(Object.values(data.sms));
  addPhrases(Object.values(data.sectors).flat());
  addPhrases(Object.values(data.topics).flat());
  addPhrases(Object.keys(data.numbers.cardinals));
  addPhrases(Object.keys(data.numbers.ordinals));
  addPhrases(Object.keys(data.numbers.units));
  addPhrases(Object.keys(data.numbers.periods));
  // The request and contact-channel words only qualify a message: they are not vocabulary of the classifier's view.
  const { requestWords, contactChannels, ...vocabularyMarkers } = m;
  for (const list of Object.values(vocabularyMarkers)) addPhrases(Array.isArray(list) ? list : Object.values(list).flat());
  const firstNames = new Set(data.firstNames.map(foldPhrase));
  const geoKnown = new Set([...knownWords, ...firstNames]);

  const sms = new SmsNormaliser(data.sms, vocabulary);
  const places = model?.places ?? placesFromGeo();
  const gazetteer = new Gazetteer(
    {
      stoplist: data.cityStoplist,
      locationPrepositions: m.locationPrepositions,
      aroundTriggers: m.aroundTriggers,
      departementTriggers: m.departementTriggers,
      knownWords: geoKnown,
    },
    places,
  );
  const numbers = new NumberReader(data.numbers, m.missionRefTriggers.map(foldPhrase));
  const sectors = new LexiconMatcher<Sector>(data.sectors);
  const topics = new LexiconMatcher<Topic>(data.topics);
  const signalDetector = new SignalDetector(m);
  const followUpStarts = new PhraseIndex<true>(m.followUpStarts.map((p): [string, true] => [foldPhrase(p), true]));
  const followUpFillers = new Set(m.followUpFillers.map(foldPhrase));
  const aspects = new PhraseIndex<MissionAspect>(Object.entries(m.missionAspects).flatMap(([k, l]) => l.map((p): [string, MissionAspect] => [foldPhrase(p), k as MissionAspect])));
  const codeTriggers = new Set(m.codeTriggers.map(foldPhrase));
  const fold = (l: string[]) => new Set(l.map(foldPhrase));
  const personLex: PersonLexicon = {
    firstNames,
    triggers: fold(m.personTriggers),
    stopwords: fold(m.personStopwords),
    particles: fold(m.surnameParticles),
    nonNames: fold(m.capitalisedNonNames),
    knownWords: vocabulary,
    isPlace: (w) => gazetteer.isCommuneName(w),
  };
  const labels = new Map(data.intents.map((i) => [i.name, i.label]));
  const requests = REQUEST_SIGNALS.map((name) => ({ name, at: requestWords[name].at, words: new WordPatterns(requestWords[name].words) }));
  const channels = (['phone', 'meeting'] as const).map((name) => ({ name, words: new WordPatterns(contactChannels[name]) }));
  /** The channel a contact note tells ("appelée" = phone, "reçu en entretien" = meeting), "message" otherwise. */
  const contactChannelOf = (note: string): ContactChannel | undefined => {
    const words = tokenize(note).map((t) => t.norm);
    return channels.find((c) => c.words.test(words, 'anywhere'))?.name;
  };

  function analyse(text: string, role: Role): Analysis {
    const tokens = tokenize(text.slice(0, MAX_CHARS)).slice(0, MAX_TOKENS);
    const words = tokens.map((t) => t.norm);
    const n = tokens.length;
    const blocked: boolean[] = new Array<boolean>(n).fill(false);
    // What each token becomes for the classifier; undefined = normalise the word itself.
    const replaced: (string | null | undefined)[] = new Array<string | null | undefined>(n).fill(undefined);
    const mark = (start: number, end: number, placeholder: string) => {
      for (let i = start; i < end; i++) {
        blocked[i] = true;
        replaced[i] = i === start ? placeholder : null;
      }
    };
    const entities: Entities = {};
    const signals: Signals = {};

    const code = findCode(tokens, codeTriggers, knownWords);
    if (code) {
      entities.code = code.code;
      mark(code.start, code.end, 'zcode');
    }
    if (role === 'counsellor') {
      const person = findPerson(text, tokens, personLex, blocked);
      if (person) {
        entities.person = person.text;
        mark(person.start, person.end, 'zpers');
      }
    }
    const duration = numbers.duration(words);
    if (duration) {
      entities.days = duration.days;
      if (duration.period) entities.period = duration.period;
      for (let i = duration.start; i < duration.end; i++) blocked[i] = true;
      if (duration.numberSpan) mark(duration.numberSpan[0], duration.numberSpan[1], 'znum');
    }
    let ref = numbers.reference(tokens, words, blocked);
    const placeBlocked = [...blocked];
    if (ref?.byTrigger) for (let i = ref.start; i < ref.end; i++) placeBlocked[i] = true;
    const place = gazetteer.find(words, placeBlocked);
    if (place) {
      if (ref && !ref.byTrigger && ref.start < place.end && place.start < ref.end) ref = undefined;
      if (place.city) {
        entities.city = place.city.name;
        entities.cityCode = place.city.code;
      }
      if (place.departement) entities.departement = place.departement;
      if (place.around) entities.around = true;
      mark(place.start, place.end, 'zville');
    }
    if (ref) {
      entities.mission_ref = ref.ref;
      // "mission 4" (after a reference word) is mission n° 4; "la 4" is a position in the list shown.
      if (ref.ordinal !== undefined && !ref.byTrigger) signals.ordinal = ref.ordinal;
      mark(ref.start, ref.end, ref.ordinal !== undefined && !ref.byTrigger ? 'zord' : 'znum');
    }
    const free = (s: number, e: number) => {
      for (let i = s; i < e; i++) if (blocked[i]) return false;
      return true;
    };
    const sector = sectors.findAll(words).find((x) => free(x.start, x.end));
    const topic = topics.findAll(words).find((x) => free(x.start, x.end));
    if (sector) entities.sector = sector.value;
    const aspect = aspects.findAll(words)[0];
    if (aspect) entities.aspect = aspect.value;
    if (topic) entities.topic = topic.value;

    const collapsed = words.map(collapseRepeats);
    Object.assign(signals, signalDetector.detect(collapsed));
    for (const r of requests) if (r.words.test(words, r.at)) signals[r.name] = true;
    const bare = signalDetector.onlyAnswer(collapsed);
    if (bare) signals.answer = bare;
    const answerOnly = bare !== undefined;

    const out: string[] = [];
    for (let i = 0; i < n; i++) {
      const r = replaced[i];
      if (r === null) continue;
      if (r !== undefined) out.push(r);
      else if (/^\d+$/.test(words[i]!)) out.push('znum');
      else out.push(...sms.normaliseWord(words[i]!, words[i + 1]));
      if (sector && i === sector.end - 1) out.push('zmetier');
      if (topic && i === topic.end - 1) out.push('zfrein');
    }
    // A follow-up: "et …", "plutôt …", or nothing but entities and small words ("à Marseille", "en logistique").
    const inSpan = (i: number, span?: [number, number]) => span !== undefined && i >= span[0] && i < span[1];
    const isEntity = (i: number) => blocked[i] || inSpan(i, sector ? [sector.start, sector.end] : undefined) || inSpan(i, topic ? [topic.start, topic.end] : undefined);
    let entityWords = 0;
    let onlyEntities = n > 0;
    for (let i = 0; i < n && onlyEntities; i++) {
      if (isEntity(i)) entityWords++;
      else if (!followUpFillers.has(words[i]!)) onlyEntities = false;
    }
    if (followUpStarts.matchAt(collapsed, 0) || (onlyEntities && entityWords > 0)) signals.followUp = true;
    return {
      entities,
      signals,
      words: out,
      sectorSpan: sector ? [sector.start, sector.end] : undefined,
      topicSpan: topic ? [topic.start, topic.end] : undefined,
      answerOnly,
    };
  }

  const classifierOptions = { ...DEFAULT_CLASSIFIER_OPTIONS, ...options.classifier };
  const classifiers = new Map<Role, IntentClassifier<IntentName>>();
  for (const role of ['youth', 'counsellor'] as const) {
    const saved = model?.classifiers[role];
    if (saved) {
      classifiers.set(role, new IntentClassifier<IntentName>(saved, classifierOptions));
      continue;
    }
    const allowed = new Set<IntentName>(role === 'youth' ? YOUTH_INTENTS : COUNSELLOR_INTENTS);
    const rolesOf = new Map(data.intents.map((i) => [i.name, i.roles]));
    const examples = data.training
      .filter((ex) => allowed.has(ex.intent) && (ex.role ? ex.role === role : rolesOf.get(ex.intent)?.includes(role)))
      .map((ex) => ({ label: ex.intent, words: analyse(ex.text, role).words }));
    classifiers.set(role, new IntentClassifier(examples, classifierOptions));
  }

  function decide({ scores, coverage }: Classification<IntentName>): Pick<Understanding, 'intent' | 'confidence' | 'alternatives'> {
    const best = scores[0]!;
    // The intent is the best combined score. Its confidence is the logistic regression's
    // probability (the best calibrated view in cross-validation), discounted when even the closest
    // training example is far: off-topic questions and gibberish then stay below 0.5.
    const closeness = Math.min(1, best.nearest / decision.closeAt);
    const ranked = scores.map((s) => ({ intent: s.label, confidence: round(s.probability * closeness) }));
    const byConfidence = (l: typeof ranked) => [...l].sort((a, b) => b.confidence - a.confidence).slice(0, 3);
    if (best.label !== 'out_of_scope' && (best.nearest < decision.minNearest || coverage < decision.minCoverage)) {
      return { intent: 'out_of_scope', confidence: round(1 - closeness / 2), alternatives: byConfidence(ranked.filter((r) => r.intent !== 'out_of_scope')) };
    }
    return { intent: best.label, confidence: ranked[0]!.confidence, alternatives: byConfidence(ranked.slice(1)) };
  }

  const nlu: Nlu = {
    preprocess: (text, role) => analyse(text, role).words,
    label: (intent) => labels.get(intent) ?? intent,
    understand(text: string, role: Role): Understanding {
      const a = analyse(text, role);
      if (a.words.length === 0) {
        return { intent: 'out_of_scope', confidence: 0, alternatives: [], entities: a.entities, signals: a.signals };
      }
      const d = decide(classifiers.get(role)!.classify(a.words));
      // "oui", "non", "ok vas-y": an answer to the assistant's question carries no intent of its own.
      if (a.answerOnly) d.confidence = Math.min(d.confidence, ANSWER_ONLY_MAX_CONFIDENCE);
      const entities = a.entities;
      // The same words can name a job or a barrier ("garde d'enfants"); the intent decides.
      if (a.sectorSpan && a.topicSpan && a.sectorSpan[0] < a.topicSpan[1] && a.topicSpan[0] < a.sectorSpan[1]) {
        if (BARRIER_INTENTS.has(d.intent)) delete entities.sector;
        else delete entities.topic;
      }
      if (d.intent === 'log_contact') {
        // Without a note part ("noter un contact avec Kevin Bernard") the whole message is no note.
        const note = findNote(text);
        if (foldText(note) !== foldText(text)) entities.note = note;
      }
      // Counsellor messages only: a note typed on its own (asked for) or in a contact log.
      const channel = role === 'counsellor' ? contactChannelOf(entities.note ?? text) : undefined;
      if (channel) entities.contactChannel = channel;
      return { ...d, entities, signals: a.signals };
    },
  };
  return {
    nlu,
    model: () => ({ places, classifiers: { youth: classifiers.get('youth')!.snapshot(), counsellor: classifiers.get('counsellor')!.snapshot() } }),
  };
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/** Where `loadNlu` found its model: the cache, or a training it then wrote to the cache. */
export type NluSource = 'cache' | 'trained';

/**
 * The NLU of the data folder (default: the shipped data) with its model read from the cache folder when it is
 * there and intact, otherwise trained and written there. `source` says which.
 */
export function loadNlu(options: { cacheDir: string; dataDir?: string }): { nlu: Nlu; source: NluSource } {
  const dataDir = options.dataDir ?? DEFAULT_DATA_DIR;
  const key = modelKey(dataDir);
  const cached = readModel(options.cacheDir, key);
  if (cached) return { nlu: assembleNlu({ dataDir }, cached).nlu, source: 'cache' };
  const built = assembleNlu({ dataDir });
  writeModel(options.cacheDir, key, built.model());
  return { nlu: built.nlu, source: 'trained' };
}

let shared: Nlu | undefined;

/** The NLU of the shipped data, created at first use (from the model cache in `CACHE_DIR` when it can). */
export function getNlu(): Nlu {
  shared ??= loadNlu({ cacheDir: cacheDir() }).nlu;
  return shared;
}

/**
 * Understands one message of a young person (`youth`) or a counsellor.
 * A message that is only "oui"/"non"/"ok" gets a confidence of at most 0.3: read `signals`.
 */
export function understand(text: string, role: Role): Understanding {
  return getNlu().understand(text, role);
}
