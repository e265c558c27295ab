import { z } from 'zod';
import type { Db } from '../client.js';
import { databaseKey, jsonText, raw, readRows, sql, typed } from '../sql.js';
import { parseInput, topicSchema, type Topic } from '../schemas.js';
import { eligibilityRule, type EligibilityRule } from '../../content/schema.js';

/** Schemas are built once per module: building one costs more than the statement it guards. */
const keySchema = z.string().max(80);

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

const faqRow = z.object({
  id: z.coerce.number().int(),
  key: z.string(),
  question: z.string(),
  variants: jsonText,
  answer: z.string(),
  tags: jsonText,
  sourceUrl: z.string(),
  lastVerifiedAt: z.coerce.date(),
  verification: z.string(),
});
const FAQ_COLUMNS = raw(`f."id", f."key", f."question", CAST(f."variants" AS TEXT) AS "variants", f."answer", CAST(f."tags" AS TEXT) AS "tags", f."sourceUrl", f."lastVerifiedAt", CAST(f."verification" AS TEXT) AS "verification"`);

function toFaq(r: z.output<typeof faqRow>): FaqView {
  return { ...r, variants: stringList.catch([]).parse(r.variants), tags: stringList.catch([]).parse(r.tags) };
}

/**
 * Content is written only by the start-up sync (seed/content.ts), so the lists the turns read (the whole FAQ,
 * the measures of a topic) are read once per database and kept, as the same arrays (the core indexes the FAQ
 * once per array). The sync calls `contentChanged`; the few minutes of `CONTENT_CACHE_MS` bound how long another
 * process's sync (a rolling deploy on PostgreSQL) takes to show.
 */
const CONTENT_CACHE_MS = 5 * 60_000;
let generation = 0;
const contentCache = new WeakMap<object, Map<string, { at: number; generation: number; value: Promise<unknown> }>>();

/** Forgets every cached content list (called by the content sync after it wrote). */
export function contentChanged(): void {
  generation++;
}

function cached<T>(db: Db, key: string, read: () => Promise<T>): Promise<T> {
  const scope = databaseKey(db);
  let entries = contentCache.get(scope);
  if (!entries) contentCache.set(scope, (entries = new Map()));
  const hit = entries.get(key);
  const now = Date.now();
  if (hit && hit.generation === generation && now - hit.at < CONTENT_CACHE_MS) return hit.value as Promise<T>;
  const value = read();
  entries.set(key, { at: now, generation, value });
  // A failed read is not kept: the next call reads again.
  value.catch(() => entries.get(key)?.value === value && entries.delete(key));
  return value;
}

/** Every FAQ entry with its variants (a few dozen rows; the core indexes them for retrieval), read once (above). */
export async function listFaq(db: Db): Promise<FaqView[]> {
  return cached(db, 'faq', async () => (await readRows(db, faqRow, () => sql`SELECT ${FAQ_COLUMNS} FROM "FaqEntry" f ORDER BY f."id" ASC`)).map(toFaq));
}

export async function findFaqByKey(db: Db, key: string): Promise<FaqView | null> {
  const k = parseInput(keySchema, key, 'FAQ key');
  const [r] = await readRows(db, faqRow, () => sql`SELECT ${FAQ_COLUMNS} FROM "FaqEntry" f WHERE f."key" = ${k}`);
  return r ? toFaq(r) : null;
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

const measureRow = z.object({
  id: z.coerce.number().int(),
  key: z.string(),
  funder: z.string(),
  topic: z.string(),
  title: z.string(),
  summary: z.string(),
  eligibility: jsonText,
  howToRequest: z.string(),
  contact: z.string(),
  sourceUrl: z.string(),
  lastVerifiedAt: z.coerce.date(),
  verification: z.string(),
});
const MEASURE_COLUMNS = raw(
  `s."id", s."key", CAST(s."funder" AS TEXT) AS "funder", CAST(s."topic" AS TEXT) AS "topic", s."title", s."summary", CAST(s."eligibility" AS TEXT) AS "eligibility",
   s."howToRequest", s."contact", s."sourceUrl", s."lastVerifiedAt", CAST(s."verification" AS TEXT) AS "verification"`,
);

function toMeasure(r: z.output<typeof measureRow>): MeasureView {
  // A rule that no longer parses is dropped rather than shown half-understood.
  return { ...r, eligibility: ruleList.catch([]).parse(r.eligibility) };
}

const VERIFICATION_RANK: Record<string, number> = { verified: 0, partial: 1, unverified: 2 };

/** Support measures of a topic, verified ones first (sorted here: SQLite orders enums as text, PostgreSQL by declaration). */
export async function listMeasuresByTopic(db: Db, topic: Topic): Promise<MeasureView[]> {
  const t = parseInput(topicSchema, topic, 'topic');
  return cached(db, `measures:${t}`, async () => {
    const rows = await readRows(db, measureRow, () => sql`SELECT ${MEASURE_COLUMNS} FROM "SupportMeasure" s WHERE s."topic" = ${typed(t, '"BarrierTopic"')} ORDER BY s."id" ASC`);
    return rows.sort((a, b) => (VERIFICATION_RANK[a.verification] ?? 9) - (VERIFICATION_RANK[b.verification] ?? 9) || a.id - b.id).map(toMeasure);
  });
}

export async function findMeasureByKey(db: Db, key: string): Promise<MeasureView | null> {
  const k = parseInput(keySchema, key, 'measure key');
  const [r] = await readRows(db, measureRow, () => sql`SELECT ${MEASURE_COLUMNS} FROM "SupportMeasure" s WHERE s."key" = ${k}`);
  return r ? toMeasure(r) : null;
}
