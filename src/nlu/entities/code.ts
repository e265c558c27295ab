import type { Token } from '../tokens.js';

/** Characters of link codes: no 0/O, 1/I/L, so a code read aloud or retyped stays unambiguous. */
export const CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
const ALPHABET_RE = new RegExp(`^[${CODE_ALPHABET}]+$`);
const MIN_LEN = 6;
const MAX_LEN = 8;
// Between "code" and the code itself people write "c'est", "est", ":"…
const FILLERS = new Set(['c', 'est', 'cest', 'c est', 'ce', 'mon', 'le', 'la', 'un', 'voici', 'voila', 'a', 'de', 'liaison', 'du']);

/** A link code found over tokens [start, end), upper case without separators. */
export interface CodeMatch {
  code: string;
  start: number;
  end: number;
}

function isCodeShaped(s: string): boolean {
  return s.length >= MIN_LEN && s.length <= MAX_LEN && ALPHABET_RE.test(s);
}

/**
 * Finds a link code such as "K7P3XQ", "k7p-3xq" or "code 6TR4 HN8". A code without any digit
 * is accepted only right after "code", written in capitals, and when it is not an ordinary word.
 */
export function findCode(tokens: readonly Token[], triggers: ReadonlySet<string>, knownWords: ReadonlySet<string>): CodeMatch | undefined {
  for (let i = 0; i < tokens.length; i++) {
    // "mon code c K7P3XQ": the filler is not the first group of the code.
    if (FILLERS.has(tokens[i]!.norm) || triggers.has(tokens[i]!.norm)) continue;
    let afterTrigger = false;
    for (let k = i - 1; k >= 0 && k >= i - 4; k--) {
      const t = tokens[k]!.norm;
      if (triggers.has(t)) {
        afterTrigger = true;
        break;
      }
      if (!FILLERS.has(t)) break;
    }
    let joined = '';
    let best: CodeMatch | undefined;
    for (let j = i; j < tokens.length && j < i + 4; j++) {
      const tok = tokens[j]!;
      if (j > i) {
        const gap = tok.before;
        // Groups are joined by a hyphen or a dot; by a space only right after "code".
        const joinable = gap === '-' || gap === '.' || gap === ' - ' || (afterTrigger && gap === ' ' && /\d/.test(tok.raw));
        if (!joinable) break;
      }
      joined += tok.raw.toUpperCase();
      if (joined.length > MAX_LEN) break;
      if (!isCodeShaped(joined)) {
        if (!ALPHABET_RE.test(joined)) break;
        continue;
      }
      const hasDigit = /\d/.test(joined);
      const hasLetter = /[A-Z]/.test(joined);
      // Without a digit, only a code copied in capitals right after "code" ("code : HTKWPQ").
      const ok = hasDigit ? hasLetter : afterTrigger && j === i && tok.raw === joined && !knownWords.has(tok.norm);
      if (ok) best = { code: joined, start: i, end: j + 1 };
    }
    if (best) return best;
  }
  return undefined;
}
