import { isCapitalised, type Token } from '../tokens.js';

export interface PersonLexicon {
  /** Folded first names. */
  firstNames: ReadonlySet<string>;
  /** Words after which a name is expected: "fiche de", "pour", "avec", "vu"… */
  triggers: ReadonlySet<string>;
  /** Words that end a name: "ce matin", "est", "a"… */
  stopwords: ReadonlySet<string>;
  particles: ReadonlySet<string>;
  /** Capitalised words that are not names in counsellor messages ("Mission", "Telegram"…). */
  nonNames: ReadonlySet<string>;
  /** Ordinary words of the domain: a capitalised one is not taken for an unknown first name. */
  knownWords: ReadonlySet<string>;
  /** True for a folded commune name: "à Lyon" is a place, not a person. */
  isPlace: (folded: string) => boolean;
}

export interface PersonMatch {
  /** As written in the message. */
  text: string;
  start: number;
  end: number;
}

const MAX_NAME_TOKENS = 4;
const SENTENCE_BREAK = /[.!?:;]/;

function isAllCaps(raw: string): boolean {
  return raw.length > 1 && raw === raw.toUpperCase() && raw !== raw.toLowerCase();
}

/** A name continues over a plain space or a hyphen glued to both words ("Jean-Baptiste"). */
function continues(gap: string): boolean {
  return gap === ' ' || gap === '-';
}

/**
 * Finds a youth's name in a counsellor message: a known first name (any case after a trigger,
 * capitalised anywhere) or an unknown capitalised word after a trigger, followed by surname words.
 * Surname words after a lower-case first name may be lower case ("chloé petit"); after a
 * capitalised first name they must be capitalised, so "Kevin ce matin" stops at "Kevin".
 */
export function findPerson(text: string, tokens: readonly Token[], lex: PersonLexicon, blocked: readonly boolean[] = []): PersonMatch | undefined {
  for (let i = 0; i < tokens.length; i++) {
    if (blocked[i]) continue;
    const t = tokens[i]!;
    if (!/^[a-z]+$/.test(t.norm) || t.norm.length < 2) continue;
    if (lex.stopwords.has(t.norm) || lex.nonNames.has(t.norm)) continue;
    const prev = tokens[i - 1];
    // "Saint-Denis", "Sainte-Sophie": a saint's name inside a place name.
    if (prev && t.before === '-' && /^(saint|sainte|st|ste)$/.test(prev.norm)) continue;
    const cap = isCapitalised(t.raw);
    const afterTrigger = prev !== undefined && lex.triggers.has(prev.norm);
    const sentenceStart = i === 0 || SENTENCE_BREAK.test(t.before);
    const known = lex.firstNames.has(t.norm);
    const nextTok = tokens[i + 1];
    const nextCap = nextTok !== undefined && continues(nextTok.before) && isCapitalised(nextTok.raw) && !lex.nonNames.has(nextTok.norm) && !lex.stopwords.has(nextTok.norm);
    let start = false;
    if (known) start = cap || afterTrigger;
    else if (cap && !sentenceStart && !lex.knownWords.has(t.norm) && !isAllCaps(t.raw)) {
      start = (afterTrigger && !lex.isPlace(t.norm)) || (nextCap && !lex.isPlace(t.norm));
    }
    if (!start) continue;

    let end = i + 1;
    let surnames = 0;
    while (end < tokens.length && end - i < MAX_NAME_TOKENS && !blocked[end]) {
      const n = tokens[end]!;
      if (!continues(n.before) || !/^[a-z]+$/.test(n.norm)) break;
      const nCap = isCapitalised(n.raw);
      if (lex.particles.has(n.norm) && surnames === 0) {
        const after = tokens[end + 1];
        if (after && continues(after.before) && isCapitalised(after.raw) && !lex.stopwords.has(after.norm)) {
          end += 2;
          surnames++;
          continue;
        }
        break;
      }
      if (lex.stopwords.has(n.norm) || lex.nonNames.has(n.norm)) break;
      // First name written in lower case: the surname may be too ("chloé petit"), but only one word.
      const ok = nCap || (!cap && surnames === 0 && n.before === ' ');
      if (!ok) break;
      end++;
      surnames++;
    }
    const first = tokens[i]!;
    const last = tokens[end - 1]!;
    return { text: text.slice(first.start, last.end), start: i, end };
  }
  return undefined;
}

/**
 * The free text of a contact log: what follows the first ":" or " - " ("note pour Léa : appelée"
 * -> "appelée"); without a separator the whole message is the note.
 */
export function findNote(text: string): string {
  const m = /\s*:\s*|\s+[-–—]\s+/.exec(text);
  if (m && m.index > 0) {
    const rest = text.slice(m.index + m[0].length).trim();
    if (/[\p{L}\p{N}]/u.test(rest)) return rest;
  }
  return text.trim();
}
