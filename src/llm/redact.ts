/**
 * What leaves the process for the model: the current message only, with contact details and, on the counsellor
 * route, the names of young people replaced by placeholders. The model answers with placeholders, which are
 * mapped back here, so a name never crosses the boundary in either direction.
 */
import { nluData } from './catalogue.js';
import { fold } from '../shared/text.js';

/** A message as it may be sent, and how to map the model's placeholders back to the original words. */
export interface RedactedMessage {
  text: string;
  /** The original words behind a placeholder such as `[PERSONNE_1]`, or undefined when it is not one of ours. */
  restore(placeholder: string): string | undefined;
}

const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}.-]+\.[\p{L}]{2,}/gu;
// French numbers, with or without +33, separated by spaces, dots or dashes; and any other long run of digits.
const PHONE = /(?:\+33[\s.-]?|\b0)[1-9](?:[\s.-]?\d{2}){4}\b|\b\d{9,}\b/g;
// A capitalised word (with hyphenated parts): a name candidate after a known first name.
const CAPITALISED = /^\p{Lu}[\p{Ll}'’-]+$/u;

let firstNames: Set<string> | undefined;
function isFirstName(word: string): boolean {
  firstNames ??= new Set(nluData().firstNames.map(fold));
  return firstNames.has(fold(word));
}

/**
 * Redacts one message. `person` is the name the deterministic NLU found (counsellor role); on that role every
 * known first name, and the capitalised word after it, are replaced too, so a name the NLU missed is still hidden.
 */
export function redactMessage(text: string, options: { role: 'youth' | 'counsellor'; person?: string }): RedactedMessage {
  const names = new Map<string, string>();
  let out = text.replace(EMAIL, '[EMAIL]').replace(PHONE, '[TELEPHONE]');
  if (options.role === 'counsellor') {
    const placeholderFor = (original: string) => {
      for (const [ph, o] of names) if (fold(o) === fold(original)) return ph;
      const ph = `[PERSONNE_${names.size + 1}]`;
      names.set(ph, original);
      return ph;
    };
    if (options.person) {
      // The NLU's person is a span of the message: find it without regard to case or accents.
      const found = findSpan(out, options.person);
      if (found) out = out.slice(0, found[0]) + placeholderFor(out.slice(found[0], found[1])) + out.slice(found[1]);
    }
    const words = out.split(/(\s+)/);
    for (let i = 0; i < words.length; i++) {
      const w = words[i]!;
      if (!w.trim() || w.startsWith('[') || !isFirstName(w.replace(/[^\p{L}'’-]/gu, ''))) continue;
      let end = i;
      const next = words[i + 2];
      if (next && CAPITALISED.test(next.replace(/[.,;:!?]+$/, ''))) end = i + 2;
      const original = words.slice(i, end + 1).join('');
      const trailing = original.match(/[.,;:!?]+$/)?.[0] ?? '';
      words.splice(i, end - i + 1, placeholderFor(original.slice(0, original.length - trailing.length)) + trailing);
    }
    out = words.join('');
  }
  return { text: out, restore: (placeholder) => names.get(placeholder.trim()) };
}

/** The [start, end) span of `needle` in `haystack`, comparing folded characters (case and accents ignored). */
function findSpan(haystack: string, needle: string): [number, number] | undefined {
  const target = fold(needle);
  for (let start = 0; start < haystack.length; start++) {
    if (start > 0 && /[\p{L}\p{N}]/u.test(haystack[start - 1]!)) continue;
    for (let end = start + 1; end <= haystack.length; end++) {
      const f = fold(haystack.slice(start, end));
      if (f === target && !/[\p{L}\p{N}]/u.test(haystack[end] ?? ' ')) return [start, end];
      if (f.length > target.length) break;
    }
  }
  return undefined;
}
