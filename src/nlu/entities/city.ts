import { editDistance } from '../../shared/text.js';
import { allCommunes, allDepartements, communesByPostcode } from '../../geo/communes.js';
import { PhraseIndex } from '../phrases.js';
import { foldPhrase } from '../tokens.js';

/**
 * Typo tolerance is limited to communes at least this populated: below it, a one-letter
 * change too often lands on some village, and the smaller index keeps look-ups fast.
 */
export const FUZZY_MIN_POPULATION = 10_000;
/** Longest commune name in tokens ("Saint-Remy-en-Bouzemont-Saint-Genest-et-Isson" has 8). */
const MAX_NAME_TOKENS = 8;
/** Typos are looked for in names of up to this many words. */
const MAX_FUZZY_TOKENS = 5;
const UNIT_WORDS = new Set(['jour', 'jours', 'j', 'semaine', 'semaines', 'mois', 'an', 'ans', 'h', 'heure', 'heures', 'euros', 'euro', 'e', 'min', 'minutes', 'km', 'pourcent']);
const NUMERIC_DEP_TRIGGERS = ['dans le', 'ds le', 'sur le', 'en', 'departement', 'departement du', 'le departement', 'dep', 'dept', 'dpt', 'du'];
const ABBREVIATIONS: Record<string, string> = { st: 'saint', ste: 'sainte', sts: 'saints', stes: 'saintes' };

interface Candidate {
  start: number;
  end: number;
  key: string;
  dist: number;
  pop: number;
}

/** What the gazetteer found; tokens [start, end) are consumed. */
export interface PlaceMatch {
  start: number;
  end: number;
  city?: { name: string; code: string; departement: string };
  departement?: string;
  around: boolean;
}

/** Word lists the gazetteer needs, from data/city-stoplist.json and data/markers.json. */
export interface GazetteerOptions {
  /** Commune names (folded) never read as a place, and names read as a place only after a preposition. */
  stoplist: { never: string[]; needsPreposition: string[] };
  locationPrepositions: string[];
  aroundTriggers: string[];
  departementTriggers: string[];
  /** Ordinary words: a window made only of them is never typo-matched to a commune. */
  knownWords: ReadonlySet<string>;
}

/** What the gazetteer keeps of a commune. */
interface Place {
  /** Folded name (`foldPhrase`). */
  key: string;
  name: string;
  code: string;
  departement: string;
  population: number;
}

/**
 * The communes, départements and postcodes a gazetteer indexes: read from the official list (src/geo), or from
 * the NLU's model cache, which then spares loading that 12 MB list at start-up.
 */
export interface GazetteerPlaces {
  /** Every current commune, in the official list's order (homonyms keep their order of precedence). */
  communes: Place[];
  departements: { name: string; code: string }[];
  /** Postcode -> INSEE code of the most populated commune it serves. */
  postcodes: Record<string, string>;
}

/** The places of the official list (src/geo/communes.ts). */
export function placesFromGeo(): GazetteerPlaces {
  const communes: Place[] = [];
  const postcodes: Record<string, string> = {};
  for (const c of allCommunes()) {
    communes.push({ key: foldPhrase(c.name), name: c.name, code: c.code, departement: c.departement, population: c.population });
    for (const p of c.postcodes) {
      if (p in postcodes) continue;
      const best = communesByPostcode(p).reduce((b, x) => (x.population > b.population ? x : b));
      postcodes[p] = best.code;
    }
  }
  return { communes, departements: [...allDepartements()].map((d) => ({ name: d.name, code: d.code })), postcodes };
}

function deletions(s: string, depth: number, out: Set<string>): Set<string> {
  out.add(s);
  if (depth === 0 || s.length <= 3) return out;
  for (let i = 0; i < s.length; i++) {
    const d = s.slice(0, i) + s.slice(i + 1);
    if (!out.has(d)) deletions(d, depth - 1, out);
  }
  return out;
}

/** Edits tolerated on a commune name: none under 5 letters, 1 from 5, 2 from 9. */
function allowedEdits(name: string): number {
  const letters = name.replace(/ /g, '').length;
  return letters >= 9 ? 2 : letters >= 5 ? 1 : 0;
}

/**
 * Finds communes, départements and postcodes in folded tokens, using indexes built once:
 * exact names (all ~35,000 communes, longest window first), a symmetric-deletion index for
 * typos on populated communes, and the département list.
 */
/** A multi-word commune this large is what its first word alone means… */
const SHORT_NAME_MIN_POPULATION = 20_000;
/** …unless a commune with exactly that one-word name is at least a tenth of its size. */
const SHORT_NAME_RATIO = 10;

export class Gazetteer {
  private readonly byName = new Map<string, Place>();
  private readonly byCode = new Map<string, Place>();
  private readonly postcodes: Map<string, string>;
  private readonly firstWords = new Set<string>();
  /** Deletion variants of populated one-word names -> names. */
  private readonly fuzzySingle = new Map<string, string[]>();
  /** First word of a large multi-word commune -> the largest ("vaulx" -> Vaulx-en-Velin), see SHORT_NAME_MIN_POPULATION. */
  private readonly shortNames = new Map<string, Place>();
  /** First word of populated multi-word names -> those names. */
  private readonly multiByFirst = new Map<string, string[]>();
  private readonly depByName: PhraseIndex<string>;
  private readonly depCodes = new Set<string>();
  private readonly never: Set<string>;
  private readonly needsPrep: Set<string>;
  private readonly preps: Set<string>;
  private readonly around: PhraseIndex<true>;
  private readonly depTriggers: PhraseIndex<true>;
  private readonly numericDepTriggers = new PhraseIndex<true>(NUMERIC_DEP_TRIGGERS.map((t) => [t, true]));

  constructor(
    private readonly opts: GazetteerOptions,
    places: GazetteerPlaces = placesFromGeo(),
  ) {
    this.postcodes = new Map(Object.entries(places.postcodes));
    for (const c of places.communes) {
      const key = c.key;
      this.byCode.set(c.code, c);
      const prev = this.byName.get(key);
      // Homonyms ("Saint-Denis"): the most populated one is the likely meaning.
      if (!prev || c.population > prev.population) this.byName.set(key, c);
      const first = key.split(' ')[0]!;
      this.firstWords.add(first);
      if (key !== first && c.population >= SHORT_NAME_MIN_POPULATION && c.population > (this.shortNames.get(first)?.population ?? 0)) this.shortNames.set(first, c);
    }
    for (const [key, c] of this.byName) {
      const edits = allowedEdits(key);
      if (c.population < FUZZY_MIN_POPULATION || edits === 0) continue;
      const parts = key.split(' ');
      if (parts.length > 1) {
        const list = this.multiByFirst.get(parts[0]!);
        if (list) list.push(key);
        else this.multiByFirst.set(parts[0]!, [key]);
        continue;
      }
      for (const d of deletions(key, edits, new Set())) {
        const list = this.fuzzySingle.get(d);
        if (list) list.push(key);
        else this.fuzzySingle.set(d, [key]);
      }
    }
    const deps: [string, string][] = [];
    for (const d of places.departements) {
      deps.push([d.name, d.code]);
      this.depCodes.add(d.code.toLowerCase());
    }
    this.depByName = new PhraseIndex(deps);
    this.never = new Set(opts.stoplist.never.map(foldPhrase));
    this.needsPrep = new Set(opts.stoplist.needsPreposition.map(foldPhrase));
    this.preps = new Set(opts.locationPrepositions.map(foldPhrase));
    this.around = new PhraseIndex(opts.aroundTriggers.map((t) => [t, true as const]));
    this.depTriggers = new PhraseIndex(opts.departementTriggers.map((t) => [t, true as const]));
  }

  /** True when `folded` is exactly the (folded) name of a commune. */
  isCommuneName(folded: string): boolean {
    return this.byName.has(folded);
  }

  /** The first place named in `words` (folded tokens); `blocked` tokens belong to other entities. */
  find(words: readonly string[], blocked: readonly boolean[] = []): PlaceMatch | undefined {
    const w = words.map((x) => ABBREVIATIONS[x] ?? x);
    for (let i = 0; i < w.length; i++) {
      if (blocked[i]) continue;
      const m = this.postcodeAt(w, i) ?? this.depNumberAt(w, i) ?? this.depNameAt(w, i, blocked) ?? this.communeAt(w, i, blocked);
      if (!m) continue;
      // "taf à vaulx": people shorten a large commune's name; a village named exactly that is far less likely.
      const short = m.city && m.end === i + 1 ? this.shortNames.get(w[i]!) : undefined;
      const exact = m.city && m.end === i + 1 ? this.byName.get(w[i]!) : undefined;
      if (short && exact && exact.population * SHORT_NAME_RATIO < short.population) return this.cityMatch(m.start, m.end, short, w);
      // "aix en provance": the exact village "Aix" must not hide the misspelt city.
      if (m.city && !m.departement) {
        const longer = this.fuzzyMultiAt(w, i, blocked);
        if (longer && longer.end > m.end) return longer;
      }
      // "vers villeurbane ou lyon": a misspelt place named first still comes first.
      return (i > 0 ? this.fuzzyFind(w, blocked, i) : undefined) ?? m;
    }
    return this.fuzzyFind(w, blocked, w.length);
  }

  private isAround(w: readonly string[], i: number): boolean {
    return this.around.matchEndingAt(w, i) !== undefined;
  }

  private hasPreposition(w: readonly string[], i: number): boolean {
    const prev = w[i - 1];
    return prev !== undefined && (this.preps.has(prev) || this.isAround(w, i));
  }

  private cityMatch(start: number, end: number, c: Place, w: readonly string[]): PlaceMatch {
    return { start, end, city: { name: c.name, code: c.code, departement: c.departement }, departement: undefined, around: this.isAround(w, start) };
  }

  private postcodeAt(w: readonly string[], i: number): PlaceMatch | undefined {
    const t = w[i]!;
    if (!/^\d{5}$/.test(t)) return undefined;
    const code = this.postcodes.get(t);
    const c = code === undefined ? undefined : this.byCode.get(code);
    if (!c) return undefined;
    return { ...this.cityMatch(i, i + 1, c, w), departement: c.departement };
  }

  private depNumberAt(w: readonly string[], i: number): PlaceMatch | undefined {
    const t = w[i]!;
    if (!/^(\d{2}|2[ab]|97\d)$/.test(t) || !this.depCodes.has(t)) return undefined;
    if (!this.numericDepTriggers.matchEndingAt(w, i)) return undefined;
    if (UNIT_WORDS.has(w[i + 1] ?? '')) return undefined;
    return { start: i, end: i + 1, departement: t.toUpperCase(), around: this.isAround(w, i) };
  }

  private depNameAt(w: readonly string[], i: number, blocked: readonly boolean[]): PlaceMatch | undefined {
    const m = this.depByName.matchAt(w, i);
    if (!m || !this.depTriggers.matchEndingAt(w, i)) return undefined;
    for (let k = m.start; k < m.end; k++) if (blocked[k]) return undefined;
    // "à Paris" is the commune; "dans le Rhône", "en Gironde" the département.
    return { start: m.start, end: m.end, departement: m.value, around: this.isAround(w, i) };
  }

  private communeAt(w: readonly string[], i: number, blocked: readonly boolean[]): PlaceMatch | undefined {
    const first = w[i]!;
    // "au Mans", "aux Mureaux": the article is merged with the preposition.
    const article = first === 'au' ? 'le' : first === 'aux' ? 'les' : undefined;
    const candidates: [number, string][] = [];
    if (article) candidates.push([i + 1, article]);
    if (this.firstWords.has(first)) candidates.push([i, '']);
    for (const [from, prefix] of candidates) {
      const max = Math.min(MAX_NAME_TOKENS, w.length - from);
      let key = prefix;
      const keys: string[] = [];
      for (let len = 1; len <= max; len++) {
        if (blocked[from + len - 1]) break;
        key = key ? `${key} ${w[from + len - 1]}` : w[from + len - 1]!;
        keys.push(key);
      }
      for (let len = keys.length; len >= 1; len--) {
        const k = keys[len - 1]!;
        const c = this.byName.get(k);
        if (!c || this.never.has(k)) continue;
        if (this.needsPrep.has(k) && !(article || this.hasPreposition(w, i))) continue;
        return this.cityMatch(i, from + len, c, w);
      }
    }
    return undefined;
  }

  /** Best typo match starting before token `limit`. */
  private fuzzyFind(w: readonly string[], blocked: readonly boolean[], limit: number): PlaceMatch | undefined {
    let best: Candidate | undefined;
    for (let i = 0; i < limit; i++) {
      if (blocked[i]) continue;
      const t = w[i]!;
      // One word: symmetric deletions, so only ~t.length² look-ups whatever the number of communes.
      if (this.isUnknown(t) && t.length >= 4) {
        const depth = t.length >= 8 ? 2 : 1;
        for (const d of deletions(t, depth, new Set())) {
          for (const key of this.fuzzySingle.get(d) ?? []) best = this.better(best, this.candidate(w, i, i + 1, t, key));
        }
      }
      best = this.better(best, this.multiCandidate(w, i, blocked));
    }
    return best && this.cityMatch(best.start, best.end, this.byName.get(best.key)!, w);
  }

  private fuzzyMultiAt(w: readonly string[], i: number, blocked: readonly boolean[]): PlaceMatch | undefined {
    const c = this.multiCandidate(w, i, blocked);
    return c && this.cityMatch(c.start, c.end, this.byName.get(c.key)!, w);
  }

  private isUnknown(t: string): boolean {
    return /^[a-z]+$/.test(t) && !this.opts.knownWords.has(t);
  }

  /**
   * Several words ("clermont ferand", "st etiene"): the first word must be right, then the few
   * populated names starting with it are compared whole.
   */
  private multiCandidate(w: readonly string[], i: number, blocked: readonly boolean[]): Candidate | undefined {
    const names = this.multiByFirst.get(w[i]!);
    if (!names) return undefined;
    let best: Candidate | undefined;
    let s = w[i]!;
    let hasUnknown = false;
    for (let len = 2; len <= MAX_FUZZY_TOKENS && i + len <= w.length; len++) {
      const next = w[i + len - 1]!;
      if (blocked[i + len - 1] || !/^[a-z]+$/.test(next)) break;
      s = `${s} ${next}`;
      hasUnknown ||= this.isUnknown(next);
      if (!hasUnknown) continue;
      for (const key of names) if (key.split(' ').length === len) best = this.better(best, this.candidate(w, i, i + len, s, key));
    }
    return best;
  }

  private candidate(w: readonly string[], start: number, end: number, s: string, key: string): Candidate | undefined {
    if (key[0] !== s[0] || this.never.has(key)) return undefined;
    const allowed = allowedEdits(key);
    const dist = editDistance(s, key, allowed);
    if (dist > allowed || dist === 0) return undefined;
    if (this.needsPrep.has(key) && !this.hasPreposition(w, start)) return undefined;
    return { start, end, key, dist, pop: this.byName.get(key)!.population };
  }

  /** Fewer edits first, then the more populated commune. */
  private better(a: Candidate | undefined, b: Candidate | undefined): Candidate | undefined {
    if (!a || !b) return a ?? b;
    return b.dist < a.dist || (b.dist === a.dist && b.pop > a.pop) ? b : a;
  }
}
