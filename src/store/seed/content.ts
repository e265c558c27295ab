import type { Db } from '../client.js';
import { loadFaq, loadSupportCatalogue } from '../../content/load.js';

/** The content sync upserts ~100 rows in one transaction: Prisma's 5 s default is too short on a loaded machine. */
const CONTENT_SYNC_TIMEOUT_MS = 60_000;

/**
 * Upserts the FAQ and the support catalogue from prisma/content/ (by key), so a content fix in the files
 * reaches an existing database at its next start. Entries removed from the files are removed from the store.
 */
export async function syncContent(db: Db): Promise<{ faq: number; measures: number }> {
  const faq = loadFaq();
  const measures = loadSupportCatalogue();
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
  }, { timeout: CONTENT_SYNC_TIMEOUT_MS });
  return { faq: faq.length, measures: measures.length };
}
