import type { FaqView } from '../../store/index.js';
import { fold } from '../../shared/text.js';

/**
 * Retrieval over the store's FAQ questions and their variants: character-trigram TF-IDF, cosine,
 * best variant wins. Trigrams tolerate the typos and missing accents of SMS-style questions.
 */
export interface FaqIndex {
  search(query: string): { entry: FaqView; score: number }[];
}

function trigrams(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const word of fold(text).split(' ')) {
    if (word.length < 2) continue;
    const w = ` ${word} `;
    for (let i = 0; i + 3 <= w.length; i++) {
      const g = w.slice(i, i + 3);
      counts.set(g, (counts.get(g) ?? 0) + 1);
    }
  }
  return counts;
}

export function buildFaqIndex(entries: FaqView[]): FaqIndex {
  const docs: { entry: FaqView; grams: Map<string, number> }[] = [];
  for (const entry of entries) for (const t of [entry.question, ...entry.variants]) docs.push({ entry, grams: trigrams(t) });
  const df = new Map<string, number>();
  for (const d of docs) for (const g of d.grams.keys()) df.set(g, (df.get(g) ?? 0) + 1);
  const idf = (g: string) => Math.log((docs.length + 1) / ((df.get(g) ?? 0) + 1)) + 1;
  const vectors = docs.map((d) => {
    const v = new Map<string, number>();
    let norm = 0;
    for (const [g, c] of d.grams) {
      const w = c * idf(g);
      v.set(g, w);
      norm += w * w;
    }
    return { entry: d.entry, v, norm: Math.sqrt(norm) || 1 };
  });
  return {
    search(query) {
      const q = trigrams(query);
      let qnorm = 0;
      const qv = new Map<string, number>();
      for (const [g, c] of q) {
        const w = c * idf(g);
        qv.set(g, w);
        qnorm += w * w;
      }
      qnorm = Math.sqrt(qnorm) || 1;
      const best = new Map<string, { entry: FaqView; score: number }>();
      for (const d of vectors) {
        let dot = 0;
        for (const [g, w] of qv) dot += w * (d.v.get(g) ?? 0);
        const score = dot / (qnorm * d.norm);
        const prev = best.get(d.entry.key);
        if (!prev || score > prev.score) best.set(d.entry.key, { entry: d.entry, score });
      }
      return [...best.values()].sort((a, b) => b.score - a.score);
    },
  };
}
