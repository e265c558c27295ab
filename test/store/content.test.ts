import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { databaseFactories, type TestDatabase } from '../helpers/db.js';
import { expectInvalid } from './fixtures.js';
import { loadFaq, loadSupportCatalogue } from '../../src/content/load.js';
import type { Topic } from '../../src/store/index.js';

const TOPICS: Topic[] = ['housing', 'mobility', 'childcare', 'health', 'money', 'training'];
const VERIFICATION_ORDER = ['verified', 'partial', 'unverified'];

describe.each(databaseFactories)('content store on %s', (_kind, open) => {
  let db: TestDatabase;
  // The files the store was synced from: the independent reference.
  const faqFile = loadFaq();
  const measuresFile = loadSupportCatalogue();

  beforeAll(async () => {
    db = await open();
  });
  afterAll(async () => {
    await db?.close();
  });

  it('listFaq returns every FAQ entry of prisma/content with its variants and tags as arrays', async () => {
    const faq = await db.store.content.listFaq();
    expect(faq).toHaveLength(faqFile.length);
    expect(faq.map((f) => f.key).sort()).toEqual(faqFile.map((f) => f.key).sort());
    for (const f of faqFile) {
      const got = faq.find((x) => x.key === f.key)!;
      expect(got.question).toBe(f.question);
      expect(got.answer).toBe(f.answer);
      expect(got.variants).toEqual(f.variants);
      expect(got.tags).toEqual(f.tags);
      expect(got.sourceUrl).toBe(f.sourceUrl);
      expect(got.verification).toBe(f.verification);
      expect(got.lastVerifiedAt.toISOString().slice(0, 10)).toBe(f.lastVerifiedAt);
    }
    const ids = faq.map((f) => f.id);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
  });

  it('findFaqByKey finds an entry by key, null for an unknown key', async () => {
    const f = faqFile[3]!;
    const got = await db.store.content.findFaqByKey(f.key);
    expect(got?.question).toBe(f.question);
    expect(got?.variants).toEqual(f.variants);
    expect(await db.store.content.findFaqByKey('no_such_entry')).toBeNull();
    await expectInvalid(db.store.content.findFaqByKey('k'.repeat(81)), /FAQ key/);
  });

  it('a FAQ row whose variants are not a list of strings reads as an empty list', async () => {
    const f = faqFile[0]!;
    const row = await db.connection.db.faqEntry.findUniqueOrThrow({ where: { key: f.key } });
    await db.connection.db.faqEntry.update({ where: { id: row.id }, data: { variants: { not: 'a list' }, tags: [1, 2] } });
    try {
      const got = await db.store.content.findFaqByKey(f.key);
      expect(got?.variants).toEqual([]);
      expect(got?.tags).toEqual([]);
    } finally {
      await db.connection.db.faqEntry.update({ where: { id: row.id }, data: { variants: row.variants as string[], tags: row.tags as string[] } });
    }
    expect((await db.store.content.findFaqByKey(f.key))?.variants).toEqual(f.variants);
  });

  it('listMeasuresByTopic returns the measures of exactly that topic', async () => {
    for (const topic of TOPICS) {
      const got = await db.store.content.listMeasuresByTopic(topic);
      const expected = measuresFile.filter((m) => m.topic === topic);
      expect(got.map((m) => m.key).sort(), topic).toEqual(expected.map((m) => m.key).sort());
      expect(got.every((m) => m.topic === topic)).toBe(true);
      for (const m of got) expect(m.eligibility).toEqual(expected.find((e) => e.key === m.key)!.eligibility);
    }
    await expectInvalid(db.store.content.listMeasuresByTopic('food' as Topic), /topic/);
  });

  it('listMeasuresByTopic puts verified measures first, then partial, then unverified', async () => {
    // Training has verified and partial measures in the catalogue.
    const training = measuresFile.filter((m) => m.topic === 'training');
    expect(new Set(training.map((m) => m.verification))).toEqual(new Set(['verified', 'partial']));
    for (const topic of TOPICS) {
      const got = await db.store.content.listMeasuresByTopic(topic);
      const ranks = got.map((m) => VERIFICATION_ORDER.indexOf(m.verification));
      expect(ranks, `${topic}: ${got.map((m) => m.verification).join(', ')}`).toEqual([...ranks].sort((a, b) => a - b));
    }
  });

  it('findMeasureByKey returns a measure with its eligibility rules; a rule that no longer parses drops the list', async () => {
    const m = measuresFile.find((x) => x.eligibility.length > 0)!;
    const got = await db.store.content.findMeasureByKey(m.key);
    expect(got).toMatchObject({ key: m.key, funder: m.funder, topic: m.topic, title: m.title, summary: m.summary, howToRequest: m.howToRequest, contact: m.contact });
    expect(got!.eligibility).toEqual(m.eligibility);
    expect(await db.store.content.findMeasureByKey('nope')).toBeNull();
    await expectInvalid(db.store.content.findMeasureByKey('k'.repeat(81)), /measure key/);

    const row = await db.connection.db.supportMeasure.findUniqueOrThrow({ where: { key: m.key } });
    await db.connection.db.supportMeasure.update({ where: { id: row.id }, data: { eligibility: [{ type: 'max_age', years: 'vingt-six' }] } });
    try {
      expect((await db.store.content.findMeasureByKey(m.key))!.eligibility).toEqual([]);
    } finally {
      await db.connection.db.supportMeasure.update({ where: { id: row.id }, data: { eligibility: row.eligibility as object[] } });
    }
  });
});
