import { createRequire } from 'node:module';
import { elements } from './helpers.js';

/**
 * Microsoft's `adaptivecards` parser (the renderer the Playground and Teams web use), loaded from its UMD
 * bundle: the package's ESM build has extension-less imports Node cannot resolve.
 */
const AC = createRequire(import.meta.url)('adaptivecards/dist/adaptivecards.js') as {
  AdaptiveCard: new () => { parse(json: unknown, context: unknown): void; validateProperties(): { validationEvents: { message: string }[] } };
  SerializationContext: new (version: unknown) => { eventCount: number; getEventAt(i: number): { message: string } };
  Versions: { v1_5: unknown };
};

/**
 * What the `adaptivecards` library finds wrong with a card at schema 1.5: parse events (unknown element or
 * action types, properties of a later version, bad values) and validation events (duplicate ids, missing
 * required values), plus ToggleVisibility targets that are not in the card. Empty = valid.
 */
export function cardProblems(card: object): string[] {
  const context = new AC.SerializationContext(AC.Versions.v1_5);
  const parsed = new AC.AdaptiveCard();
  parsed.parse(card, context);
  const problems: string[] = [];
  for (let i = 0; i < context.eventCount; i++) problems.push(`parse: ${context.getEventAt(i).message}`);
  for (const e of parsed.validateProperties().validationEvents) problems.push(`validate: ${e.message}`);
  const all = elements(card);
  const ids = new Set(all.map((e) => e.id).filter((id) => typeof id === 'string'));
  for (const t of all.filter((e) => e.type === 'Action.ToggleVisibility')) {
    for (const target of t.targetElements as string[]) if (!ids.has(target)) problems.push(`toggle target ${target} missing`);
  }
  if ((card as { version?: string }).version !== '1.5') problems.push('version is not 1.5');
  return problems;
}
