import type { Db } from '../client.js';
import { loadFaq, loadSupportCatalogue } from '../../content/load.js';

/**
 * Upserts the FAQ and the support catalogue from prisma/content/ (by key), so a content fix in the files
 * reaches an existing database at its next start. Entries removed from the files are removed from the store.
 */
export async function syncContent(db: Db): Promise<{ faq: number; measures: number }> {
  const faq = loadFaq();
  const measures = loadSupportCatalogue();
  // A start on a busy machine may take a while: the default 5 s transaction timeout would fail it for no reason.
  await db.$transaction(async (tx) => {
    for (const f of faq) {
      const data = { ...f, lastVerifiedAt: new Date(`${f.lastVerifiedAt}T00:00:00Z`) };
      await tx.faqEntry.upsert({ where: { key: f.key }, create: data, update: data });
    }
    await tx.faqEntry.deleteMany({ where: { key: { notIn: faq.map((f) => f.key) } } });
    for (const m of measures) {
      const data = { ...m, lastVerifiedAt: new Date(`${m.lastVerifiedAt}T00:00:00Z`) };
      await tx.supportMeasure.upsert({ where: { key: m.key }, create: data, update: data });
    }
    await tx.supportMeasure.deleteMany({ where: { key: { notIn: measures.map((m) => m.key) } } });
  }, { maxWait: 10_000, timeout: 60_000 });
  return { faq: faq.length, measures: measures.length };
}
