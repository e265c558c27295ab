import { fold } from '../shared/text.js';

/** A word of the message with its position, so entities can be cut from the original text. */
export interface Token {
  /** As written. */
  raw: string;
  /** Folded: lower case, no accents. */
  norm: string;
  start: number;
  end: number;
  /** Characters between the previous token and this one ("" for the first token). */
  before: string;
}

// fold() turns ligatures into spaces (they have no NFD decomposition), which would split "manœuvre".
function foldWord(s: string): string {
  return fold(s.replace(/œ/g, 'oe').replace(/Œ/g, 'OE').replace(/æ/g, 'ae').replace(/Æ/g, 'AE')).replace(/ /g, '');
}

/** Folds a phrase the same way tokens are folded, word by word, single spaces. */
export function foldPhrase(s: string): string {
  return tokenize(s)
    .map((t) => t.norm)
    .join(' ');
}

/** Splits on anything that is not a letter or a digit (apostrophes and hyphens separate words). */
export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  const re = /[\p{L}\p{N}]+/gu;
  let last = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const norm = foldWord(m[0]);
    if (!norm) continue;
    out.push({ raw: m[0], norm, start: m.index, end: m.index + m[0].length, before: text.slice(last, m.index) });
    last = m.index + m[0].length;
  }
  return out;
}

/** True when the raw word starts with an upper-case letter. */
export function isCapitalised(raw: string): boolean {
  const c = raw[0];
  return c !== undefined && c !== c.toLowerCase() && c === c.toUpperCase();
}
