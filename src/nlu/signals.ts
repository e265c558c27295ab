import { PhraseIndex } from './phrases.js';
import { foldPhrase } from './tokens.js';
import type { Signals } from './types.js';

/** Markers of data/markers.json that drive the dialogue rather than the intent. */
export interface SignalMarkers {
  yes: string[];
  no: string[];
  more: string[];
  deictic: string[];
}

// A yes/no deep inside a long sentence ("qui n'a jamais eu…") is not an answer to a question.
const MAX_WORDS_FOR_ANSWER = 4;
const SHORT_ONLY_MORE = new Set(['encore', 'autres']);

/** Detects dialogue signals: yes/no answers, "more results", pointing at a shown mission. */
export class SignalDetector {
  private readonly yes: PhraseIndex<true>;
  private readonly no: PhraseIndex<true>;
  private readonly more: PhraseIndex<string>;
  private readonly deictic: PhraseIndex<true>;

  constructor(m: SignalMarkers) {
    const asSet = (l: string[]) => l.map((p): [string, true] => [p, true]);
    this.yes = new PhraseIndex(asSet(m.yes));
    this.no = new PhraseIndex(asSet(m.no));
    this.more = new PhraseIndex(m.more.map((p): [string, string] => [p, p]));
    this.deictic = new PhraseIndex(asSet(m.deictic));
  }

  /**
   * The answer a message is made of, when every word belongs to yes phrases ("oui", "ok vas y", "oui oui") or
   * every word to no phrases ("non merci", "nan laisse tomber"); undefined for anything else, including a mix
   * ("oui non") or an answer followed by a request ("ok jcherche du taf").
   */
  onlyAnswer(words: readonly string[]): 'yes' | 'no' | undefined {
    if (!words.length) return undefined;
    let kind: 'yes' | 'no' | undefined;
    for (let i = 0; i < words.length; ) {
      const no = this.no.matchAt(words, i);
      const yes = no ? undefined : this.yes.matchAt(words, i);
      const m = no ?? yes;
      if (!m) return undefined;
      const k = no ? 'no' : 'yes';
      if (kind !== undefined && kind !== k) return undefined;
      kind = k;
      i = m.end;
    }
    return kind;
  }

  /** `words` are folded tokens with letter repetitions collapsed ("ouiii" -> "oui"). */
  detect(words: readonly string[]): Omit<Signals, 'ordinal'> {
    const out: Omit<Signals, 'ordinal'> = {};
    const short = words.length <= MAX_WORDS_FOR_ANSWER;
    const answer = (idx: PhraseIndex<true>) => (short ? idx.findAll(words).length > 0 : idx.matchAt(words, 0) !== undefined);
    // "non merci", "ça m'intéresse pas": a refusal phrase wins over the "merci"/"ok" inside it.
    if (answer(this.no)) out.no = true;
    else if (answer(this.yes)) out.yes = true;
    for (const m of this.more.findAll(words)) {
      if (!SHORT_ONLY_MORE.has(m.value) || short) out.more = true;
    }
    if (this.deictic.findAll(words).length) out.deictic = true;
    return out;
  }
}

/**
 * Word patterns over folded tokens: each pattern is a phrase whose words match exactly, or by their beginning
 * when written with a final "*" ("export*" matches "exporte", "exporter"…).
 */
export class WordPatterns {
  private readonly patterns: { word: string; prefix: boolean }[][];

  constructor(phrases: readonly string[]) {
    this.patterns = phrases.map((p) =>
      p
        .split(/\s+/)
        .filter(Boolean)
        .map((w) => (w.endsWith('*') ? { word: foldPhrase(w.slice(0, -1)), prefix: true } : { word: foldPhrase(w), prefix: false })),
    );
  }

  /** True when a pattern matches at position `i` of `words`. */
  matchAt(words: readonly string[], i: number): boolean {
    const fits = (w: { word: string; prefix: boolean }, t: string | undefined) => t !== undefined && (w.prefix ? t.startsWith(w.word) : t === w.word);
    return this.patterns.some((p) => p.length > 0 && p.every((w, k) => fits(w, words[i + k])));
  }

  /** True when a pattern matches at the first word (`at: 'start'`) or anywhere. */
  test(words: readonly string[], at: 'start' | 'anywhere'): boolean {
    if (at === 'start') return this.matchAt(words, 0);
    for (let i = 0; i < words.length; i++) if (this.matchAt(words, i)) return true;
    return false;
  }
}
