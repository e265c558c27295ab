import { z } from 'zod';
import { topicSchema } from '../shared/domain.js';

/**
 * Schemas of the content files in `prisma/content/` (FAQ and support catalogue).
 * They are seeded into the store; the assistant answers from the store rows, never from these files directly.
 */

export const verificationLevel = z.enum(['verified', 'partial', 'unverified']);
export type VerificationLevel = z.infer<typeof verificationLevel>;

export const barrierTopic = topicSchema;
export type BarrierTopic = z.infer<typeof barrierTopic>;

export const funder = z.enum(['FASTT', 'Akto', 'FPETT', 'MissionLocale', 'State']);

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD');

/**
 * One eligibility rule. Rules are checked against the young person's file when linked,
 * or turned into a yes/no question (`question`) when the person is anonymous or the file lacks the fact.
 */
export const eligibilityRule = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('max_age'),
    years: z.number().int().positive(),
    /**
     * A higher age limit under a condition the store cannot know (the CEJ: 25, or 29 with a disability
     * recognition). Between the two limits the rule is asked, so `question` must name both.
     */
    extendedTo: z.object({ years: z.number().int().positive(), condition: z.string().min(1) }).optional(),
    question: z.string().min(5),
  }),
  z.object({ type: z.literal('min_age'), years: z.number().int().positive(), question: z.string().min(5) }),
  z.object({
    type: z.literal('min_interim_hours'),
    hours: z.number().int().positive(),
    /** Only hours worked in this many last months count; absent = whole career. */
    withinMonths: z.number().int().positive().optional(),
    question: z.string().min(5),
  }),
  z.object({
    type: z.literal('on_mission_within_days'),
    days: z.number().int().nonnegative(),
    question: z.string().min(5),
  }),
  /** A condition the store cannot know (e.g. "not already receiving grands déplacements allowances"). */
  z.object({ type: z.literal('declared'), id: z.string().min(1), question: z.string().min(5) }),
]);
export type EligibilityRule = z.infer<typeof eligibilityRule>;

/** Keys travel in button payloads (Telegram's 64-byte callback data): at most 40 characters. */
const contentKey = z.string().regex(/^[a-z0-9_]{1,40}$/, 'a key is 1-40 characters: a-z, 0-9, _');

export const supportMeasureContent = z.object({
  key: contentKey,
  funder,
  topic: barrierTopic,
  title: z.string().min(3).max(120),
  summary: z.string().min(20).max(800),
  eligibility: z.array(eligibilityRule),
  howToRequest: z.string().min(10).max(800),
  contact: z.string().min(3).max(300),
  sourceUrl: z.url(),
  lastVerifiedAt: isoDate,
  verification: verificationLevel,
});
export type SupportMeasureContent = z.infer<typeof supportMeasureContent>;

export const faqEntryContent = z.object({
  key: contentKey,
  question: z.string().min(5).max(200),
  /** Other ways young people ask it, SMS style included; used for retrieval. */
  variants: z.array(z.string().min(2).max(200)).min(3),
  answer: z.string().min(20).max(1500),
  tags: z.array(z.string().min(2)).min(1),
  sourceUrl: z.url(),
  lastVerifiedAt: isoDate,
  verification: verificationLevel,
});
export type FaqEntryContent = z.infer<typeof faqEntryContent>;

export const supportCatalogueFile = z.array(supportMeasureContent).min(15);
export const faqFile = z.array(faqEntryContent).min(30);
