import { z } from 'zod';

/**
 * The programme's fixed vocabularies, defined once. The Prisma enums of the same names must match them
 * (test/store/schemas.test.ts checks it); the NLU, the store, the content files and the core all import these.
 */
export const SECTORS = [
  'logistique',
  'btp',
  'industrie',
  'hotellerie_restauration',
  'commerce',
  'proprete',
  'transport',
  'agriculture',
  'tertiaire',
  'services_personne',
] as const;
export const sectorSchema = z.enum(SECTORS);
export type Sector = z.infer<typeof sectorSchema>;

/** The "freins périphériques" a young person may need help with. */
export const TOPICS = ['housing', 'mobility', 'childcare', 'health', 'money', 'training'] as const;
export const topicSchema = z.enum(TOPICS);
export type Topic = z.infer<typeof topicSchema>;

export function isTopic(value: unknown): value is Topic {
  return typeof value === 'string' && (TOPICS as readonly string[]).includes(value);
}
