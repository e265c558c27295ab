import type { FaqView } from '../../store/index.js';
import { fold } from '../../shared/text.js';

/**
 * Retrieval over the store's FAQ questions and their variants: TF-IDF over character trigrams and over content
 * words and word pairs, cosine, best variant wins. Trigrams tolerate the typos and missing accents of SMS-style
 * questions; the words and pairs make what the question is about ("s'arrête avant la fin") outweigh the words
 * every pay question shares ("combien je touche … la fin").
 */
export interface FaqIndex {
  search(query: string): { entry: FaqView; score: number }[];
}

/** Words that say nothing about which question is asked. */
const STOPWORDS = new Set(
  'a au aux avec c ca ce ces cest d de des du elle en est et il j je jai la le les l m ma mes mon ne on ou par pas pour qu que qui quoi s sa se si son sur t ta te tes ton tu un une y est ete suis'.split(' '),
);
/** A crude stem: accents and plurals already folded away, "arrete"/"arreter"/"arretee" share their first 6 letters. */
const stem = (w: string) => w.slice(0, 6);
/** Word features weigh this much relative to one trigram. */
const WORD_WEIGHT = 2;

function trigrams(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  const add = (g: string, n = 1) => counts.set(g, (counts.get(g) ?? 0) + n);
  const words = fold(text).split(/[^a-z0-9]+/).filter(Boolean);
  for (const word of words) {
    if (word.length < 2) continue;
    const w = ` ${word} `;
    for (let i = 0; i + 3 <= w.length; i++) add(w.slice(i, i + 3));
  }
  const content = words.filter((w) => w.length > 1 && !STOPWORDS.has(w)).map(stem);
  content.forEach((w, i) => {
    add(`w:${w}`, WORD_WEIGHT);
    if (i > 0) add(`b:${content[i - 1]}_${w}`, WORD_WEIGHT);
  });
  return counts;
}

export function buildFaqIndex(entries: FaqView[]): FaqIndex {
  const docs: { entry: FaqView; grams: Map<string, number> }[] = [];
  for (const entry of entries) for (const t of [entry.question, ...entry.variants]) docs.push({ entry, grams: trigrams(t) });
  const df = new Map<string, number>();
  for (const d of docs) for (const g of d.grams.keys()) df.set(g, (df.get(g) ?? 0) + 1);
  const idf = (g: string) => Math.log((docs.length + 1) / ((df.get(g) ?? 0) + 1)) + 1;
  // An inverted index (feature -> the documents holding it, with their weight): a query visits only the documents
  // that share a feature with it, not every variant (it was a few % of a webhook turn's CPU). Each document's dot
  // product adds the query's features in the query's order, as a scan of every document would, so scores are equal.
  const postings = new Map<string, { doc: number; weight: number }[]>();
  const norms = docs.map((d, doc) => {
    let norm = 0;
    for (const [g, c] of d.grams) {
      const weight = c * idf(g);
      let list = postings.get(g);
      if (!list) postings.set(g, (list = []));
      list.push({ doc, weight });
      norm += weight * weight;
    }
    return Math.sqrt(norm) || 1;
  });
  return {
    search(query) {
      const q = trigrams(query);
      let qnorm = 0;
      const dots = new Float64Array(docs.length);
      for (const [g, c] of q) {
        const w = c * idf(g);
        qnorm += w * w;
        for (const p of postings.get(g) ?? []) dots[p.doc]! += w * p.weight;
      }
      qnorm = Math.sqrt(qnorm) || 1;
      const best = new Map<string, { entry: FaqView; score: number }>();
      docs.forEach((d, i) => {
        const score = dots[i]! / (qnorm * norms[i]!);
        const prev = best.get(d.entry.key);
        if (!prev || score > prev.score) best.set(d.entry.key, { entry: d.entry, score });
      });
      return [...best.values()].sort((a, b) => b.score - a.score);
    },
  };
}
