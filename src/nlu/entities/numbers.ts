import { PhraseIndex } from '../phrases.js';
import type { Token } from '../tokens.js';
import type { CalendarPeriod } from '../../shared/time.js';

/** Contents of data/numbers.json: number words, ordinal words, units and periods in days. */
export interface NumbersLexicon {
  cardinals: Record<string, number>;
  ordinals: Record<string, number>;
  units: Record<string, number>;
  periods: Record<string, number>;
  calendar: Record<string, CalendarPeriod>;
}

/** A number read from tokens [start, end). */
interface NumberAt {
  value: number;
  end: number;
}

/** A period found in the message, in days, over tokens [start, end). */
export interface DurationMatch {
  days: number;
  start: number;
  end: number;
  /** The calendar period the phrase names ("cette semaine" = until Sunday), when it names one. */
  period?: CalendarPeriod;
  /** Tokens holding the number itself (the classifier sees them as one placeholder). */
  numberSpan?: [number, number];
}

/** A mission pointed at, over tokens [start, end). */
export interface ReferenceMatch {
  /** As the user gave it: "2", "3417". */
  ref: string;
  /** Set when the number is a position in the last list ("la 2", "la deuxième"). */
  ordinal?: number;
  start: number;
  end: number;
  /** True when introduced by "mission", "offre", "n°", "#": then it is not a place or a département. */
  byTrigger: boolean;
}

const ATTACHED_UNIT = /^(\d{1,3})(j|jr|jrs|jour|jours|s|sem|sems|semaine|semaines|m|mois|an|ans)$/;
const ORDINAL_SUFFIX = /^(\d{1,2})(e|eme|em|er|ere|re|ier|iere|ieme|nd|nde)$/;
const ORDINAL_SUFFIX_WORDS = new Set(['e', 'eme', 'em', 'er', 'ere', 're', 'ieme', 'nd', 'nde']);
const FILLERS = new Set(['derniers', 'dernieres', 'dernier', 'derniere', 'prochains', 'prochaines', 'prochain', 'prochaine', 'premiers', 'premieres', 'ou', 'a', 'de', 'petits', 'petites', 'bons', 'bonnes', 'longs', 'longues']);
const ATTACHED_UNIT_DAYS: Record<string, number> = { j: 1, jr: 1, jrs: 1, jour: 1, jours: 1, s: 7, sem: 7, sems: 7, semaine: 7, semaines: 7, m: 30, mois: 30, an: 365, ans: 365 };
// Words that make "la 2" something else than a list position: a time, a price, a date.
const NOT_A_POSITION_AFTER = new Set(['h', 'heure', 'heures', 'min', 'minutes', 'euros', 'euro', 'e', 'eur', 'km', 'ans', 'an', 'fois', 'janvier', 'fevrier', 'mars', 'avril', 'mai', 'juin', 'juillet', 'aout', 'septembre', 'octobre', 'novembre', 'decembre', 'pourcent', 'personnes', 'jeunes']);
const POSITION_DETERMINERS = new Set(['la', 'le', 'l', 'celle', 'celui']);
const POSSESSIVES = new Set(['sa', 'son', 'ma', 'mon', 'ta', 'ton', 'leur', 'notre', 'votre', 'une', 'un', 'cette', 'ce', 'ses', 'mes', 'tes']);
const MAX_POSITION = 30;

/**
 * Reads numbers, durations and mission references from folded tokens:
 * "3 semaines" -> 21 days, "15j" -> 15, "la deuxième" -> position 2, "mission 3417" -> ref "3417".
 */
export class NumberReader {
  private readonly cardinals: Map<string, number>;
  private readonly ordinals: Map<string, number>;
  private readonly units: Map<string, number>;
  private readonly periods: PhraseIndex<number>;
  private readonly calendar: PhraseIndex<CalendarPeriod>;
  private readonly refTriggers: Set<string>;

  constructor(lex: NumbersLexicon, missionRefTriggers: string[]) {
    this.cardinals = new Map(Object.entries(lex.cardinals));
    this.ordinals = new Map(Object.entries(lex.ordinals));
    this.units = new Map(Object.entries(lex.units));
    this.periods = new PhraseIndex(Object.entries(lex.periods));
    this.calendar = new PhraseIndex(Object.entries(lex.calendar));
    this.refTriggers = new Set(missionRefTriggers);
  }

  /** True when a duration unit starts at `k`, possibly after fillers ("3 derniers mois"). */
  private followedByUnit(w: readonly string[], k: number): boolean {
    let j = k;
    while (j < w.length && j - k < 2 && FILLERS.has(w[j]!) && !this.units.has(w[j]!)) j++;
    return this.units.has(w[j] ?? '');
  }

  /** A cardinal at `i`: digits, or number words ("quarante cinq", "vingt et un", "quatre vingt dix"). */
  numberAt(w: readonly string[], i: number): NumberAt | undefined {
    const t = w[i];
    if (t === undefined) return undefined;
    if (/^\d{1,6}$/.test(t)) return { value: Number(t), end: i + 1 };
    let total = 0;
    let last = 0;
    let j = i;
    for (; j < w.length; j++) {
      const word = w[j]!;
      if (word === 'et' && j > i && this.cardinals.has(w[j + 1] ?? '')) continue;
      const v = this.cardinals.get(word);
      if (v === undefined) break;
      if (v === 20 && last >= 2 && last <= 9) total += last * 19; // "quatre vingt": 4 + 4*19 = 80
      else if (v === 100) total = (total || 1) * 100;
      else total += v;
      last = v;
    }
    return j > i ? { value: total, end: j } : undefined;
  }

  /** The first duration of the message, in days. */
  duration(w: readonly string[]): DurationMatch | undefined {
    for (let i = 0; i < w.length; i++) {
      const t = w[i]!;
      const attached = ATTACHED_UNIT.exec(t);
      if (attached) {
        const unit = ATTACHED_UNIT_DAYS[attached[2]!] ?? 1;
        return { days: Number(attached[1]) * unit, start: i, end: i + 1, numberSpan: [i, i + 1] };
      }
      const n = this.numberAt(w, i);
      if (!n) continue;
      let k = n.end;
      while (k < w.length && k - n.end < 2 && FILLERS.has(w[k]!) && !this.units.has(w[k]!)) k++;
      const unit = this.units.get(w[k] ?? '');
      if (unit !== undefined && n.value > 0) return { days: n.value * unit, start: i, end: k + 1, numberSpan: [i, n.end] };
      i = n.end - 1;
    }
    for (let i = 0; i < w.length; i++) {
      const p = this.periods.matchAt(w, i);
      if (p) {
        const calendar = this.calendar.matchAt(w, i);
        const period = calendar && calendar.end === p.end ? calendar.value : undefined;
        return { days: p.value, start: p.start, end: p.end, ...(period ? { period } : {}) };
      }
    }
    return undefined;
  }

  /**
   * A mission the user points at: a list position ("la 2", "la 2eme", "le premier") or a
   * reference after "mission", "offre", "n°"… `skip` marks tokens already used (durations, places).
   */
  reference(tokens: readonly Token[], w: readonly string[], skip: readonly boolean[] = []): ReferenceMatch | undefined {
    if (w.length === 1 && /^\d{1,2}$/.test(w[0]!) && Number(w[0]) > 0) return { ref: String(Number(w[0])), ordinal: Number(w[0]), start: 0, end: 1, byTrigger: false };
    for (let i = 0; i < w.length; i++) {
      if (skip[i]) continue;
      const t = w[i]!;
      const prev = w[i - 1] ?? '';
      const next = w[i + 1] ?? '';
      const word = this.ordinals.get(t);
      const suffixed = ORDINAL_SUFFIX.exec(t);
      if (word !== undefined || suffixed) {
        if (POSSESSIVES.has(prev) || NOT_A_POSITION_AFTER.has(next) || this.followedByUnit(w, i + 1)) continue;
        const n = word ?? Number(suffixed![1]);
        if (n < 1) continue;
        return { ref: String(n), ordinal: n, start: i, end: i + 1, byTrigger: false };
      }
      if (!/^\d{1,7}$/.test(t)) continue;
      const n = Number(t);
      if (ORDINAL_SUFFIX_WORDS.has(next) && n >= 1 && n <= MAX_POSITION) return { ref: String(n), ordinal: n, start: i, end: i + 2, byTrigger: false };
      if (NOT_A_POSITION_AFTER.has(next) || this.followedByUnit(w, i + 1)) continue;
      const hashed = tokens[i]?.before.includes('#') ?? false;
      if (this.refTriggers.has(prev) || hashed) {
        return { ref: String(n), ordinal: n >= 1 && n <= MAX_POSITION && t.length <= 2 ? n : undefined, start: i, end: i + 1, byTrigger: true };
      }
      if (POSITION_DETERMINERS.has(prev) && t.length <= 2 && n >= 1 && n <= MAX_POSITION) return { ref: String(n), ordinal: n, start: i, end: i + 1, byTrigger: false };
    }
    return undefined;
  }
}
