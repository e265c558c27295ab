/**
 * What the LLM route shows the model about the NLU: the role's intent catalogue with its labels, the entity
 * vocabularies, and few-shot examples drawn from the NLU's training data. Read once from `src/nlu/data/`.
 */
import { loadNluData, type NluData } from '../nlu/data.js';
import { COUNSELLOR_INTENTS, YOUTH_INTENTS, type IntentName, type Role } from '../nlu/types.js';

let data: NluData | undefined;

/** The NLU's data files, read once per process. */
export function nluData(): NluData {
  data ??= loadNluData();
  return data;
}

/** The intents a role may have, in catalogue order (the structured output's enum). */
export function intentsOf(role: Role): readonly [IntentName, ...IntentName[]] {
  return role === 'youth' ? YOUTH_INTENTS : COUNSELLOR_INTENTS;
}

/** One line per intent, "name : label (hint)", for the prompt. */
export function intentLines(role: Role): string {
  const labels = new Map(nluData().intents.map((i) => [i.name, i.hint ? `${i.label} (${i.hint})` : i.label]));
  return intentsOf(role)
    .map((name) => `- ${name} : ${labels.get(name) ?? name}`)
    .join('\n');
}

/**
 * Up to `perIntent` training examples of each of the role's intents, the first ones of the file (stable across
 * runs, so a prompt does not change between starts).
 */
export function fewShotExamples(role: Role, perIntent: number): { text: string; intent: IntentName }[] {
  if (perIntent === 0) return [];
  const allowed = new Set<IntentName>(intentsOf(role));
  const rolesOf = new Map(nluData().intents.map((i) => [i.name, i.roles]));
  const count = new Map<IntentName, number>();
  const out: { text: string; intent: IntentName }[] = [];
  for (const ex of nluData().training) {
    if (!allowed.has(ex.intent)) continue;
    if (ex.role ? ex.role !== role : !rolesOf.get(ex.intent)?.includes(role)) continue;
    const n = count.get(ex.intent) ?? 0;
    if (n >= perIntent) continue;
    count.set(ex.intent, n + 1);
    out.push({ text: ex.text, intent: ex.intent });
  }
  return out;
}
