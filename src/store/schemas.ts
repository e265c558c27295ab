import { z } from 'zod';
import { InvalidInputError } from './errors.js';

/**
 * Zod schemas of the values that cross into the store. The enums mirror prisma/schema.prisma;
 * test/store/schemas.test.ts checks they stay equal to the generated Prisma enums.
 */
export { sectorSchema, topicSchema, type Sector, type Topic } from '../shared/domain.js';

export const channelSchema = z.enum(['telegram', 'teams', 'terminal']);
export type ChannelName = z.infer<typeof channelSchema>;

export const idSchema = z.number().int().positive().max(2_147_483_647);
export const communeCodeSchema = z.string().regex(/^(\d{5}|2[AB]\d{3})$/, 'a commune code is 5 characters (INSEE)');
export const departementCodeSchema = z.string().regex(/^(\d{2,3}|2[AB])$/, 'a département code is 2 or 3 characters');
export const daysSchema = z.number().int().min(0).max(3650);

/** Who is looking at a caseload: one counsellor's youth, or a whole Mission locale for a manager. */
export const caseloadScopeSchema = z.union([
  z.object({ counsellorId: idSchema }).strict(),
  z.object({ missionLocaleId: idSchema }).strict(),
]);
export type CaseloadScope = z.infer<typeof caseloadScopeSchema>;

/** Parses `value` with `schema`, throwing an InvalidInputError that says which field is wrong and why. */
export function parseInput<T extends z.ZodType>(schema: T, value: unknown, what: string): z.infer<T> {
  const result = schema.safeParse(value);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const where = issue.path.length ? ` (${issue.path.join('.')})` : '';
    throw new InvalidInputError(`Invalid ${what}${where}: ${issue.message}`);
  }
  return result.data;
}

export { InvalidInputError };
