import { isDeepStrictEqual } from 'node:util';
import type { Db } from '../client.js';
import { loadFaq, loadSupportCatalogue } from '../../content/load.js';
import { contentChanged } from '../repos/content.js';

/** True when the stored row already holds every field of `data` (optional fields: undefined = null). */
function unchanged(row: Record<string, unknown> | undefined, data: Record<string, unknown>): boolean {
  if (!row) return false;
  return Object.entries(data).every(([k, v]) => isDeepStrictEqual(row[k] ?? null, v ?? null));
}

/**
 * Upserts the FAQ and the support catalogue from prisma/content/ (by key), so a content fix in the files
 * reaches an existing database at its next start. Entries removed from the files are removed from the store.
 * Runs at every start: the stored rows are read first (two queries) and only what differs is written, so an
 * unchanged catalogue costs no write.
 */
export async function syncContent(db: Db, options: { postgres?: boolean } = {}): Promise<{ faq: number; measures: number; written: number }> {
  const faq = loadFaq();
  const measures = loadSupportCatalogue();
  const written = await db.$transaction(async (tx) => {
    // Processes starting together on one PostgreSQL database would race on the same inserts (unique violation):
    // one syncs, the others wait and then find nothing to write. SQLite already serialises writers.
    if (options.postgres) await tx.$executeRawUnsafe('SELECT pg_advisory_xact_lock(727275)');
    let n = 0;
    const storedFaq = new Map((await tx.faqEntry.findMany()).map((r) => [r.key, r as unknown as Record<string, unknown>]));
    for (const f of faq) {
      const data = { ...f, lastVerifiedAt: new Date(`${f.lastVerifiedAt}T00:00:00Z`) };
      if (unchanged(storedFaq.get(f.key), data)) continue;
      await tx.faqEntry.upsert({ where: { key: f.key }, create: data, update: data });
      n++;
    }
    const faqKeys = new Set(faq.map((f) => f.key));
    if ([...storedFaq.keys()].some((k) => !faqKeys.has(k))) {
      n += (await tx.faqEntry.deleteMany({ where: { key: { notIn: [...faqKeys] } } })).count;
    }
    const storedMeasures = new Map((await tx.supportMeasure.findMany()).map((r) => [r.key, r as unknown as Record<string, unknown>]));
    for (const m of measures) {
      const data = { ...m, lastVerifiedAt: new Date(`${m.lastVerifiedAt}T00:00:00Z`) };
      if (unchanged(storedMeasures.get(m.key), data)) continue;
      await tx.supportMeasure.upsert({ where: { key: m.key }, create: data, update: data });
      n++;
    }
    const measureKeys = new Set(measures.map((m) => m.key));
    if ([...storedMeasures.keys()].some((k) => !measureKeys.has(k))) {
      n += (await tx.supportMeasure.deleteMany({ where: { key: { notIn: [...measureKeys] } } })).count;
    }
    return n;
    // Generous: on a fresh database under load, the first process writes every entry while the others wait.
  }, { timeout: 60_000, maxWait: 20_000 });
  if (written > 0) contentChanged();
  return { faq: faq.length, measures: measures.length, written };
}
