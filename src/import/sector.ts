import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { SECTORS, sectorSchema, type Sector } from '../shared/domain.js';
import { loadNluData } from '../nlu/data.js';
import { LexiconMatcher } from '../nlu/entities/lexicon.js';
import { tokenize } from '../nlu/tokens.js';
import { fold } from '../shared/text.js';

/**
 * The sector of a mission from what a feed gives: one of the ten codes, a job word ("cariste") mapped with the
 * NLU's own vocabulary (src/nlu/data/sectors.json, so the bot and the imports never disagree), or a ROME code.
 */

const romeFile = z.object({ prefixes: z.record(z.string().regex(/^[A-N]\d{0,4}$/), sectorSchema) });

let matcher: LexiconMatcher<Sector> | undefined;
let romePrefixes: [string, Sector][] | undefined;
const byFoldedCode = new Map<string, Sector>(SECTORS.map((s) => [fold(s.replace(/_/g, ' ')), s]));

function lexicon(): LexiconMatcher<Sector> {
  matcher ??= new LexiconMatcher<Sector>(loadNluData().sectors);
  return matcher;
}

/** "N1101" -> "logistique" (longest prefix of data/rome-sectors.json), undefined when the family is not mapped. */
export function sectorOfRomeCode(code: string): Sector | undefined {
  romePrefixes ??= Object.entries(romeFile.parse(JSON.parse(readFileSync(new URL('./data/rome-sectors.json', import.meta.url), 'utf8'))).prefixes).sort(
    (a, b) => b[0].length - a[0].length,
  );
  const upper = code.toUpperCase();
  return romePrefixes.find(([p]) => upper.startsWith(p))?.[1];
}

/** True for a ROME code: a letter A-N and four digits. */
export function isRomeCode(s: string): boolean {
  return /^[A-Na-n]\d{4}$/.test(s.trim());
}

/** The first sector named by the words of `text` ("Préparateur de commandes H/F" -> logistique). */
export function sectorOfWords(text: string): Sector | undefined {
  return lexicon().find(tokenize(text).map((t) => t.norm))?.value;
}

/** A `secteur` value: a code ("btp", "Hôtellerie-restauration"), a ROME code, or job words. */
export function sectorOfValue(value: string): Sector | undefined {
  const code = byFoldedCode.get(fold(value));
  if (code) return code;
  if (isRomeCode(value)) return sectorOfRomeCode(value);
  return sectorOfWords(value);
}
