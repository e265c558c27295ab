import { PhraseIndex, type PhraseMatch } from '../phrases.js';

/**
 * Maps words and phrases to a category (job words -> sector, barrier words -> topic).
 * The first phrase in reading order wins: "nettoyage de bureaux" is cleaning, not office work.
 */
export class LexiconMatcher<V extends string> {
  private readonly index: PhraseIndex<V>;

  constructor(lexicon: Record<V, string[]>) {
    const entries: [string, V][] = [];
    for (const [value, phrases] of Object.entries(lexicon) as [V, string[]][]) for (const p of phrases) entries.push([p, value]);
    this.index = new PhraseIndex(entries, true);
  }

  /** All non-overlapping matches, left to right. */
  findAll(words: readonly string[]): PhraseMatch<V>[] {
    return this.index.findAll(words);
  }

  /** The first category named, if any. */
  find(words: readonly string[]): PhraseMatch<V> | undefined {
    return this.index.findAll(words)[0];
  }
}
