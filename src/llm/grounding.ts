/**
 * The guard of grounded phrasing: a reworded text may only repeat the facts of the reply it rewords. Every
 * amount, number, date, time, phone number, e-mail, URL and proper name in the model's text must appear in the
 * facts, and anything else that looks like one is an invention; either way the plain rendering is sent instead.
 */
import { fold } from '../shared/text.js';

/** What in a text looks like a fact, by kind, each value normalised for comparison. */
export interface FactLikeTokens {
  urls: string[];
  emails: string[];
  phones: string[];
  numbers: string[];
  names: string[];
}

const URL = /\bhttps?:\/\/[^\s<>"')\]]+/giu;
const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}.-]+\.\p{L}{2,}/gu;
const PHONE = /(?:\+33[\s.-]?|\b0)[1-9](?:[\s.-]?\d{2}){4}\b/g;
// Numbers with a decimal comma or point and thousands separated by spaces ("1 823,03"): amounts, dates, hours, refs.
const NUMBER = /\d+(?:[\s\u00a0\u202f]\d{3})*(?:[.,]\d+)?/g;
// A capitalised word that does not start a sentence: a name of a person, a company, a place or a mission title.
const PROPER = /(?<![.!?:…\n]\s*|^\s*)(?<=[\s(«"'’-])\p{Lu}[\p{L}'’-]*/gu;

const digits = (s: string) => s.replace(/\D/g, '');
const number = (s: string) => s.replace(/[\s\u00a0\u202f]/g, '').replace(',', '.').replace(/^0+(?=\d)/, '');

/** The fact-like tokens of a text. */
export function factLikeTokens(text: string): FactLikeTokens {
  const urls = [...text.matchAll(URL)].map((m) => m[0].replace(/[.,;:!?]+$/, '').toLowerCase());
  let rest = text.replace(URL, ' ');
  const emails = [...rest.matchAll(EMAIL)].map((m) => m[0].toLowerCase());
  rest = rest.replace(EMAIL, ' ');
  const phones = [...rest.matchAll(PHONE)].map((m) => digits(m[0]).replace(/^33/, '0'));
  rest = rest.replace(PHONE, ' ');
  const numbers = [...rest.matchAll(NUMBER)].map((m) => number(m[0]));
  const names = [...rest.matchAll(PROPER)].map((m) => fold(m[0])).filter((n) => n.length > 1);
  return { urls, emails, phones, numbers, names };
}

/**
 * The fact-like tokens of `candidate` that `facts` does not contain (empty = grounded). Names are looked up among
 * the folded words of the facts, so a name may change case or accents but not spelling.
 */
export function ungroundedTokens(candidate: string, facts: string): string[] {
  const got = factLikeTokens(candidate);
  const known = factLikeTokens(facts);
  const knownWords = new Set(fold(facts).split(' '));
  const missing: string[] = [];
  const check = (kind: keyof FactLikeTokens, ok: (v: string) => boolean) => {
    for (const v of got[kind]) if (!ok(v)) missing.push(`${kind}:${v}`);
  };
  check('urls', (v) => known.urls.includes(v));
  check('emails', (v) => known.emails.includes(v));
  check('phones', (v) => known.phones.includes(v));
  check('numbers', (v) => known.numbers.includes(v));
  check('names', (v) => v.split(' ').every((w) => knownWords.has(w)));
  return missing;
}
