import { foldPhrase } from './tokens.js';

/** A phrase found in a token sequence: tokens [start, end) carry `value`. */
export interface PhraseMatch<V> {
  start: number;
  end: number;
  value: V;
}

// Plural and most feminine-plural endings do not change meaning for lexicon look-ups ("caissieres" = "caissiere").
function singular(w: string): string {
  return w.length > 3 && (w.endsWith('s') || w.endsWith('x')) ? w.slice(0, -1) : w;
}

/**
 * Longest-match dictionary of multi-word phrases over folded tokens.
 * Look-ups are O(phrase length) per position: the index is keyed by the joined phrase.
 */
export class PhraseIndex<V> {
  private readonly map = new Map<string, V>();
  // Most positions start (or end) no phrase: checking one word first avoids building keys.
  private readonly firstWords = new Set<string>();
  private readonly lastWords = new Set<string>();
  private maxLen = 0;

  /** @param loose compare words without their plural ending. */
  constructor(
    entries: Iterable<[string, V]>,
    private readonly loose = false,
  ) {
    for (const [phrase, value] of entries) {
      const words = foldPhrase(phrase).split(' ').filter(Boolean);
      if (!words.length) continue;
      const key = this.key(words);
      if (!this.map.has(key)) this.map.set(key, value);
      this.firstWords.add(this.word(words[0]!));
      this.lastWords.add(this.word(words[words.length - 1]!));
      this.maxLen = Math.max(this.maxLen, words.length);
    }
  }

  private word(w: string): string {
    return this.loose ? singular(w) : w;
  }

  private key(words: readonly string[]): string {
    return (this.loose ? words.map(singular) : words).join(' ');
  }

  /** Longest phrase starting at `i`, if any. */
  matchAt(words: readonly string[], i: number): PhraseMatch<V> | undefined {
    if (i >= words.length || !this.firstWords.has(this.word(words[i]!))) return undefined;
    const max = Math.min(this.maxLen, words.length - i);
    for (let len = max; len >= 1; len--) {
      const v = this.map.get(this.key(words.slice(i, i + len)));
      if (v !== undefined) return { start: i, end: i + len, value: v };
    }
    return undefined;
  }

  /** Non-overlapping longest matches, left to right. */
  findAll(words: readonly string[]): PhraseMatch<V>[] {
    const out: PhraseMatch<V>[] = [];
    for (let i = 0; i < words.length; ) {
      const m = this.matchAt(words, i);
      if (m) {
        out.push(m);
        i = m.end;
      } else i++;
    }
    return out;
  }

  /** Phrase ending exactly at token `end` (exclusive), longest first. */
  matchEndingAt(words: readonly string[], end: number): PhraseMatch<V> | undefined {
    if (end < 1 || !this.lastWords.has(this.word(words[end - 1]!))) return undefined;
    for (let len = Math.min(this.maxLen, end); len >= 1; len--) {
      const v = this.map.get(this.key(words.slice(end - len, end)));
      if (v !== undefined) return { start: end - len, end, value: v };
    }
    return undefined;
  }

  has(phrase: string): boolean {
    return this.map.has(this.key(foldPhrase(phrase).split(' ')));
  }
}
