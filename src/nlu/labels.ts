import { loadIntentCatalogue } from './data.js';
import type { IntentName } from './types.js';

let buttonLabels: Map<IntentName, string> | undefined;

/**
 * The button label of an intent ("🔎 Chercher une mission"): its emoji and label in data/intents.json, the one
 * place intents are named for people. Read once per process, without building the NLU.
 */
export function intentLabel(intent: IntentName): string {
  buttonLabels ??= new Map(loadIntentCatalogue().map((i) => [i.name, i.emoji ? `${i.emoji} ${i.label}` : i.label]));
  return buttonLabels.get(intent) ?? intent;
}
