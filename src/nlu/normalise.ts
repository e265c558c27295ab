import { foldPhrase, tokenize } from './tokens.js';

const VERB_AFTER_C = new Set(['est', 'etait', 'etaient', 'es']);

/**
 * Rewrites SMS French into plain folded words ("jcherche" -> "je cherche", "g" -> "j ai",
 * "ouiiii" -> "oui") so that the classifier sees one spelling per word.
 * The table lives in data/sms.json; `vocabulary` (words seen in training) lets the generic
 * rules (letter repetition, glued "j") fire only when they produce a known word.
 */
export class SmsNormaliser {
  private readonly table = new Map<string, string[]>();

  constructor(
    table: Record<string, string>,
    private readonly vocabulary: ReadonlySet<string>,
  ) {
    for (const [k, v] of Object.entries(table)) {
      const key = foldPhrase(k);
      if (key && !key.includes(' ')) this.table.set(key, foldPhrase(v).split(' ').filter(Boolean));
    }
  }

  private known(w: string): boolean {
    return this.vocabulary.has(w) || this.table.has(w);
  }

  /** Words replacing `word` (a folded token); `next` is the following folded token, if any. */
  normaliseWord(word: string, next?: string): string[] {
    // "ouiiii", "merciiii": three or more identical letters never occur in French.
    let w = word.replace(/([a-z])\1{2,}/g, '$1');
    if (w === 'c' && next !== undefined && VERB_AFTER_C.has(next)) return ['c'];
    const mapped = this.table.get(w);
    if (mapped) return mapped;
    if (this.vocabulary.has(w) || /\d/.test(w)) return [w];
    // "mercii", "salutt", "ouii": a doubled letter that is not part of the word.
    const undoubled = w.replace(/([a-z])\1/g, '$1');
    if (undoubled !== w && this.known(undoubled)) return this.normaliseWord(undoubled, next);
    // "jcherche", "jveux", "jpeux": the elided "je" glued to a verb.
    if (/^j[bcdfghjklmnpqrstvwxz]/.test(w) && w.length > 2) {
      const rest = w.slice(1);
      if (this.known(rest)) return ['je', ...this.normaliseWord(rest, next)];
    }
    return [w];
  }

  /** Normalises a whole message to a single folded string (used by tests and tools). */
  normalise(text: string): string {
    const toks = tokenize(text).map((t) => t.norm);
    const out: string[] = [];
    toks.forEach((t, i) => out.push(...this.normaliseWord(t, toks[i + 1])));
    return out.join(' ');
  }
}
