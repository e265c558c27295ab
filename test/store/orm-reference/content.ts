import type { Db } from '../../../src/store/client.js';
import { parseInput, topicSchema, type Topic } from '../../../src/store/schemas.js';
import { eligibilityRule, type EligibilityRule } from '../../../src/content/schema.js';
import { z } from 'zod';

const stringList = z.array(z.string());
const ruleList = z.array(eligibilityRule);

export interface FaqView {
  id: number;
  key: string;
  question: string;
  variants: string[];
  answer: string;
  tags: string[];
  sourceUrl: string;
  lastVerifiedAt: Date;
  verification: string;
}

/** Every FAQ entry with its variants (a few dozen rows; the core indexes them for retrieval). */
export async function listFaq(db: Db): Promise<FaqView[]> {
  const rows = await db.faqEntry.findMany({ orderBy: { id: 'asc' } });
  return rows.map((r) => ({ ...r, variants: stringList.catch([]).parse(r.variants), tags: stringList.catch([]).parse(r.tags) }));
}

export async function findFaqByKey(db: Db, key: string): Promise<FaqView | null> {
  const r = await db.faqEntry.findUnique({ where: { key: parseInput(z.string().max(80), key, 'FAQ key') } });
  return r ? { ...r, variants: stringList.catch([]).parse(r.variants), tags: stringList.catch([]).parse(r.tags) } : null;
}

export interface MeasureView {
  id: number;
  key: string;
  funder: string;
  topic: string;
  title: string;
  summary: string;
  eligibility: EligibilityRule[];
  howToRequest: string;
  contact: string;
  sourceUrl: string;
  lastVerifiedAt: Date;
  verification: string;
}

function toMeasure(r: Awaited<ReturnType<Db['supportMeasure']['findFirstOrThrow']>>): MeasureView {
  // A rule that no longer parses is dropped rather than shown half-understood.
  return { ...r, eligibility: ruleList.catch([]).parse(r.eligibility) };
}

const VERIFICATION_RANK: Record<string, number> = { verified: 0, partial: 1, unverified: 2 };

/** Support measures of a topic, verified ones first (sorted here: SQLite orders enums as text, PostgreSQL by declaration). */
export async function listMeasuresByTopic(db: Db, topic: Topic): Promise<MeasureView[]> {
  const rows = await db.supportMeasure.findMany({ where: { topic: parseInput(topicSchema, topic, 'topic') }, orderBy: { id: 'asc' } });
  return rows.sort((a, b) => (VERIFICATION_RANK[a.verification] ?? 9) - (VERIFICATION_RANK[b.verification] ?? 9) || a.id - b.id).map(toMeasure);
}

export async function findMeasureByKey(db: Db, key: string): Promise<MeasureView | null> {
  const r = await db.supportMeasure.findUnique({ where: { key: parseInput(z.string().max(80), key, 'measure key') } });
  return r ? toMeasure(r) : null;
}
