/**
 * Regenerates data/city-stoplist.json: commune names that are also ordinary words.
 *
 * Sources, all folded: the words of the training data and lexicons (the words our users
 * actually write), and a French word list (Debian's `wfrench`, /usr/share/dict/french) when
 * present. A commune of at least BIG inhabitants keeps matching without a preposition unless
 * listed in CURATED ("Tours", "Orange"…): "jcherche a bordeaux" must not need the "à".
 * Run: npx tsx src/nlu/tools/build-city-stoplist.ts
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { allCommunes } from '../../geo/communes.js';
import { DEFAULT_DATA_DIR, loadNluData } from '../data.js';
import { foldPhrase, tokenize } from '../tokens.js';

const BIG = 30_000;
/** Never a place, even after "à": "il a eu", "à plus", "il y a". */
const NEVER = ['y', 'eu', 'plus', 'bus', 'job', 'boulot', 'vers', 'ou', 'a', 'oui', 'non', 'ok', 'la', 'le', 'les', 'de', 'et', 'en', 'moi', 'toi', 'tout', 'taf', 'mission', 'code', 'merci', 'salut', 'bonjour', 'aide', 'travail'];
/** Populated communes that are everyday words too. */
const CURATED = ['tours', 'nice', 'orange', 'vienne', 'plaisir', 'fontaine', 'croix', 'avion', 'grasse', 'menton', 'trappes', 'sens', 'fosses', 'change', 'ligne', 'marche', 'publier', 'contes', 'charmes', 'lattes', 'cluses', 'vif', 'anse', 'monts', 'rives', 'mare', 'cours', 'salles', 'ville', 'bourg', 'port', 'mont', 'grand', 'plan', 'rue', 'bois', 'pont', 'condom', 'moulins', 'saintes', 'gap', 'lens'];

const data = loadNluData(DEFAULT_DATA_DIR);
const words = new Set<string>();
const addText = (s: string) => {
  for (const t of tokenize(s)) words.add(t.norm);
};
for (const ex of data.training) addText(ex.text);
for (const l of [...Object.values(data.sectors), ...Object.values(data.topics), ...Object.values(data.markers).map((l) => (Array.isArray(l) ? l : Object.values(l).flat()))]) for (const p of l) addText(p);
for (const [k, v] of Object.entries(data.sms)) addText(`${k} ${v}`);
// The dictionary decides for single words only: a multi-word name ("Entre-Deux") is a risk
// only when its words really occur together in messages, which the training data shows.
const dictWords = new Set<string>();
const dictPath = '/usr/share/dict/french';
if (existsSync(dictPath)) {
  for (const w of readFileSync(dictPath, 'utf8').split('\n')) {
    // Capitalised entries are proper nouns (often the communes themselves).
    if (w && w[0] === w[0]!.toLowerCase()) dictWords.add(foldPhrase(w));
  }
}

const pop = new Map<string, number>();
for (const c of allCommunes()) {
  const k = foldPhrase(c.name);
  pop.set(k, Math.max(pop.get(k) ?? 0, c.population));
}
// Job and barrier words of the lexicons ("maçon" / Mâcon) must win over the commune without "à".
const lexiconPhrases = new Set([...Object.values(data.sectors), ...Object.values(data.topics)].flat().map(foldPhrase));
const never = new Set(NEVER.filter((w) => pop.has(w)));
const needs = new Set<string>();
for (const [name, p] of pop) {
  if (never.has(name)) continue;
  const parts = name.split(' ');
  if (name.length <= 2) never.add(name);
  else if (CURATED.includes(name) || lexiconPhrases.has(name)) needs.add(name);
  else if (p < BIG && parts.length === 1 && (words.has(name) || dictWords.has(name))) needs.add(name);
  else if (p < BIG && parts.length > 1 && parts.every((w) => words.has(w))) needs.add(name);
}
const out = { never: [...never].sort(), needsPreposition: [...needs].sort() };
writeFileSync(join(DEFAULT_DATA_DIR, 'city-stoplist.json'), `${JSON.stringify(out, null, 0).replace(/","/g, '", "')}\n`);
console.log(`never: ${out.never.length}, needsPreposition: ${out.needsPreposition.length}`);
