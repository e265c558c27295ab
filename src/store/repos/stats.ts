import { z } from 'zod';
import type { Db } from '../client.js';
import { raw, readRows, sql } from '../sql.js';
import { idSchema, parseInput } from '../schemas.js';

export const statsQuerySchema = z
  .object({ missionLocaleId: idSchema.optional(), from: z.date(), to: z.date() })
  .strict()
  .refine((q) => q.from <= q.to, 'from must not be after to');

export interface ProgrammeStats {
  youthFollowed: number;
  placements: number;
  placementHours: number;
  youthWithPlacement: number;
  barriersResolved: number;
  newEntries: number;
}

/**
 * The programme's figures over a period, for one Mission locale or overall: youth followed during the period,
 * placements (missions d'intérim) started in it, their hours, youth with at least one, barriers resolved.
 */
export async function programmeStats(db: Db, query: z.input<typeof statsQuerySchema>): Promise<ProgrammeStats> {
  const q = parseInput(statsQuerySchema, query, 'stats query');
  const scope = q.missionLocaleId ? sql`y."missionLocaleId" = ${q.missionLocaleId}` : raw('1 = 1');
  const inPeriod = (column: string) => sql`${raw(column)} >= ${q.from} AND ${raw(column)} <= ${q.to}`;
  // Overall, the placements and barriers of the period are read on their own date indexes alone (every row has
  // its youth); for one Mission locale, joined to its youth.
  const placements = q.missionLocaleId
    ? sql`FROM "Placement" p JOIN "Youth" y ON y."id" = p."youthId" WHERE ${scope} AND ${inPeriod('p."startDate"')}`
    : sql`FROM "Placement" p WHERE ${inPeriod('p."startDate"')}`;
  const resolved = q.missionLocaleId
    ? sql`FROM "Barrier" b JOIN "Youth" y ON y."id" = b."youthId" WHERE ${scope} AND b."status" = 'resolved' AND ${inPeriod('b."resolvedAt"')}`
    : sql`FROM "Barrier" b WHERE b."status" = 'resolved' AND ${inPeriod('b."resolvedAt"')}`;
  // One statement of scalar subqueries: five ORM calls were five compilations and round trips.
  const [row] = await readRows(
    db,
    statsRow,
    () => sql`SELECT
      (SELECT COUNT(*) FROM "Youth" y WHERE ${scope} AND y."entryDate" <= ${q.to} AND (y."exitDate" IS NULL OR y."exitDate" >= ${q.from})) AS "youthFollowed",
      (SELECT COUNT(*) ${placements}) AS "placements",
      (SELECT COALESCE(SUM(p."hours"), 0) ${placements}) AS "placementHours",
      (SELECT COUNT(DISTINCT p."youthId") ${placements}) AS "youthWithPlacement",
      (SELECT COUNT(*) ${resolved}) AS "barriersResolved",
      (SELECT COUNT(*) FROM "Youth" y WHERE ${scope} AND ${inPeriod('y."entryDate"')}) AS "newEntries"`,
  );
  return row!;
}

const statsRow = z.object({
  youthFollowed: z.coerce.number().int(),
  placements: z.coerce.number().int(),
  placementHours: z.coerce.number(),
  youthWithPlacement: z.coerce.number().int(),
  barriersResolved: z.coerce.number().int(),
  newEntries: z.coerce.number().int(),
}) satisfies z.ZodType<ProgrammeStats>;
