import { z } from 'zod';
import type { Db, Prisma } from '../../../src/store/client.js';
import { idSchema, parseInput } from '../../../src/store/schemas.js';

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
  const youthScope: Prisma.YouthWhereInput = q.missionLocaleId ? { missionLocaleId: q.missionLocaleId } : {};
  const placementWhere: Prisma.PlacementWhereInput = { startDate: { gte: q.from, lte: q.to }, youth: youthScope };
  const [youthFollowed, placementAgg, youthWithPlacement, barriersResolved, newEntries] = await Promise.all([
    db.youth.count({ where: { ...youthScope, entryDate: { lte: q.to }, OR: [{ exitDate: null }, { exitDate: { gte: q.from } }] } }),
    db.placement.aggregate({ where: placementWhere, _count: { _all: true }, _sum: { hours: true } }),
    db.youth.count({ where: { ...youthScope, placements: { some: { startDate: { gte: q.from, lte: q.to } } } } }),
    db.barrier.count({ where: { status: 'resolved', resolvedAt: { gte: q.from, lte: q.to }, youth: youthScope } }),
    db.youth.count({ where: { ...youthScope, entryDate: { gte: q.from, lte: q.to } } }),
  ]);
  return {
    youthFollowed,
    placements: placementAgg._count._all,
    placementHours: placementAgg._sum.hours ?? 0,
    youthWithPlacement,
    barriersResolved,
    newEntries,
  };
}
