import type { Db, Prisma } from '../../../src/store/client.js';
import { daysSchema, idSchema, parseInput, topicSchema, type CaseloadScope, type Topic } from '../../../src/store/schemas.js';
import { scopeWhere } from './youth.js';
import { parisDayStart, startOfParisDay } from '../../../src/shared/time.js';

const DAY = 86_400_000;

/** One row of a caseload list: enough to sort and to decide whom to call first. */
export interface CaseloadRow {
  id: number;
  firstName: string;
  lastName: string;
  status: string;
  lastContactAt: Date | null;
  lastMissionEnd: Date | null;
  /** True when the youth never had a placement. */
  neverPlaced: boolean;
  nextAppointmentAt: Date | null;
  /** Extra value of the list: the end date of the current mission, the barrier topics… */
  detail?: string;
  currentMissionEnd?: Date | null;
  barrierTopics?: string[];
}

const rowSelect = (now: Date) =>
  ({
    id: true,
    firstName: true,
    lastName: true,
    status: true,
    interactions: { select: { at: true }, orderBy: { at: 'desc' }, take: 1 },
    placements: { select: { endDate: true, startDate: true }, orderBy: { endDate: 'desc' }, take: 1 },
    appointments: { select: { at: true }, where: { at: { gte: now }, status: 'planned' }, orderBy: { at: 'asc' }, take: 1 },
  }) satisfies Prisma.YouthSelect;

type RawRow = Prisma.YouthGetPayload<{ select: ReturnType<typeof rowSelect> }>;

function toRow(r: RawRow): CaseloadRow {
  return {
    id: r.id,
    firstName: r.firstName,
    lastName: r.lastName,
    status: r.status,
    lastContactAt: r.interactions[0]?.at ?? null,
    lastMissionEnd: r.placements[0]?.endDate ?? null,
    neverPlaced: r.placements.length === 0,
    nextAppointmentAt: r.appointments[0]?.at ?? null,
  };
}

/** Followed youth: exited and anonymised files are not part of a caseload. */
function followed(scope: CaseloadScope): Prisma.YouthWhereInput {
  return { ...scopeWhere(scope), status: { not: 'exited' }, anonymizedAt: null };
}

/**
 * Rows a caseload list reads at most. A counsellor's caseload is far below it; a manager of a large Mission locale
 * may reach it, and the list then says "at least" (the oldest files in the programme come first).
 */
export const CASELOAD_LIST_LIMIT = 2_000;
const LIST_LIMIT = CASELOAD_LIST_LIMIT;
const LIST_ORDER = [{ entryDate: 'asc' }, { id: 'asc' }] satisfies Prisma.YouthOrderByWithRelationInput[];

/**
 * The order counsellors work through a list: earliest date first (a missing date, such as "never placed" or
 * "never contacted", before everything), then by id so equal dates stay stable.
 */
function earliestFirst<T extends { id: number }>(rows: T[], date: (row: T) => Date | undefined): T[] {
  const at = (row: T) => date(row)?.getTime() ?? 0;
  return rows.sort((a, b) => at(a) - at(b) || a.id - b.id);
}

/** The same calendar definitions as src/store/repos/caseload.ts: "today" is the Paris day. */
const startOfDay = startOfParisDay;

/**
 * "Without a mission for N days" = the last placement ended on or before today − N (whole days), and none runs
 * today. Returns the earliest end date that disqualifies: a placement ending at or after it is too recent.
 */
function noMissionSince(now: Date, days: number): Date {
  return days === 0 ? startOfDay(now) : parisDayStart(now, 1 - days);
}

/**
 * Youth with no placement ending in the last `days` days and none running now, including those who never had one
 * (flagged `neverPlaced`). Longest without a mission first; never-placed first of all.
 */
export async function youthWithoutMission(db: Db, scope: CaseloadScope, days: number, now = new Date()): Promise<CaseloadRow[]> {
  const cutoff = noMissionSince(now, parseInput(daysSchema, days, 'days'));
  const rows = await db.youth.findMany({
    where: { ...followed(scope), placements: { none: { endDate: { gte: cutoff } } } },
    select: rowSelect(now),
    orderBy: LIST_ORDER,
    take: LIST_LIMIT,
  });
  return earliestFirst(rows, (r) => r.placements[0]?.endDate).map(toRow);
}

/** Youth with no logged contact in the last `days` days (or none ever); longest silence first. */
export async function youthWithoutContact(db: Db, scope: CaseloadScope, days: number, now = new Date()): Promise<CaseloadRow[]> {
  const cutoff = new Date(now.getTime() - parseInput(daysSchema, days, 'days') * DAY);
  const rows = await db.youth.findMany({
    where: { ...followed(scope), interactions: { none: { at: { gte: cutoff } } } },
    select: rowSelect(now),
    orderBy: LIST_ORDER,
    take: LIST_LIMIT,
  });
  return earliestFirst(rows, (r) => r.interactions[0]?.at).map(toRow);
}

/** Youth whose current placement ends between today (start of day) and `days` days from now; soonest first. */
export async function missionsEndingSoon(db: Db, scope: CaseloadScope, days: number, now = new Date()): Promise<CaseloadRow[]> {
  const from = startOfDay(now);
  const to = new Date(now.getTime() + parseInput(daysSchema, days, 'days') * DAY);
  const rows = await db.youth.findMany({
    where: { ...followed(scope), placements: { some: { endDate: { gte: from, lte: to }, startDate: { lte: now } } } },
    select: {
      ...rowSelect(now),
      placements: { select: { endDate: true, startDate: true }, where: { endDate: { gte: from, lte: to } }, orderBy: { endDate: 'asc' }, take: 1 },
    },
    orderBy: LIST_ORDER,
    take: LIST_LIMIT,
  });
  return earliestFirst(rows, (r) => r.placements[0]?.endDate).map((r) => ({ ...toRow(r), currentMissionEnd: r.placements[0]?.endDate ?? null }));
}

/** Youth with an open or in-progress barrier (of `topic`, or any); oldest barrier first. */
export async function youthWithBarrier(db: Db, scope: CaseloadScope, topic: Topic | undefined, now = new Date()): Promise<CaseloadRow[]> {
  const t = topic === undefined ? undefined : parseInput(topicSchema, topic, 'topic');
  const barrierWhere = { status: { in: ['open', 'in_progress'] }, ...(t ? { topic: t } : {}) } satisfies Prisma.BarrierWhereInput;
  const rows = await db.youth.findMany({
    where: { ...followed(scope), barriers: { some: barrierWhere } },
    select: { ...rowSelect(now), barriers: { where: barrierWhere, select: { topic: true, openedAt: true }, orderBy: { openedAt: 'asc' } } },
    orderBy: LIST_ORDER,
    take: LIST_LIMIT,
  });
  return earliestFirst(rows, (r) => r.barriers[0]?.openedAt).map((r) => ({ ...toRow(r), barrierTopics: r.barriers.map((b) => b.topic) }));
}

/** Youth on a placement today (started, not ended before today); soonest end first. */
export async function youthInMissionNow(db: Db, scope: CaseloadScope, now = new Date()): Promise<CaseloadRow[]> {
  const today = startOfDay(now);
  const current = { startDate: { lte: now }, endDate: { gte: today } } satisfies Prisma.PlacementWhereInput;
  const rows = await db.youth.findMany({
    where: { ...followed(scope), placements: { some: current } },
    select: { ...rowSelect(now), placements: { select: { endDate: true, startDate: true }, where: current, orderBy: { endDate: 'asc' }, take: 1 } },
    orderBy: LIST_ORDER,
    take: LIST_LIMIT,
  });
  return earliestFirst(rows, (r) => r.placements[0]?.endDate).map((r) => ({ ...toRow(r), currentMissionEnd: r.placements[0]?.endDate ?? null }));
}

/** Youth with an "I'm interested" the counsellor has not handled yet (status sent); oldest first. */
export async function youthWithPendingInterest(db: Db, scope: CaseloadScope, now = new Date()): Promise<CaseloadRow[]> {
  const rows = await db.youth.findMany({
    where: { ...followed(scope), applications: { some: { status: 'sent', source: 'youth' } } },
    select: { ...rowSelect(now), applications: { where: { status: 'sent', source: 'youth' }, select: { createdAt: true }, orderBy: { createdAt: 'asc' }, take: 1 } },
    orderBy: LIST_ORDER,
    take: LIST_LIMIT,
  });
  return earliestFirst(rows, (r) => r.applications[0]?.createdAt).map(toRow);
}

/** Youth with an open request (call back, appointment, barrier); oldest first. */
export async function youthWithOpenRequests(db: Db, scope: CaseloadScope, now = new Date()): Promise<CaseloadRow[]> {
  const rows = await db.youth.findMany({
    where: { ...followed(scope), requests: { some: { status: 'open' } } },
    select: { ...rowSelect(now), requests: { where: { status: 'open' }, select: { createdAt: true }, orderBy: { createdAt: 'asc' }, take: 1 } },
    orderBy: LIST_ORDER,
    take: LIST_LIMIT,
  });
  return earliestFirst(rows, (r) => r.requests[0]?.createdAt).map(toRow);
}

export interface CaseloadOverview {
  followed: number;
  byStatus: Record<string, number>;
  inMissionNow: number;
  withoutMission: number;
  withoutContact: number;
  endingSoon: number;
  openBarriersByTopic: Record<string, number>;
  pendingApplications: number;
  openRequests: number;
}

/** The counts of the caseload dashboard; each count has a matching list function above. */
export async function caseloadOverview(db: Db, scope: CaseloadScope, now = new Date()): Promise<CaseloadOverview> {
  const base = followed(scope);
  const from = startOfDay(now);
  const d30 = new Date(now.getTime() - 30 * DAY);
  const noMissionCutoff = noMissionSince(now, 30);
  const in7 = new Date(now.getTime() + 7 * DAY);
  const [statusGroups, inMissionNow, withoutMission, withoutContact, endingSoon, barrierGroups, pendingApplications, openRequests] =
    await Promise.all([
      db.youth.groupBy({ by: ['status'], where: { ...scopeWhere(scope), anonymizedAt: null }, _count: { _all: true } }),
      db.youth.count({ where: { ...base, placements: { some: { startDate: { lte: now }, endDate: { gte: from } } } } }),
      db.youth.count({ where: { ...base, placements: { none: { endDate: { gte: noMissionCutoff } } } } }),
      db.youth.count({ where: { ...base, interactions: { none: { at: { gte: d30 } } } } }),
      db.youth.count({ where: { ...base, placements: { some: { endDate: { gte: from, lte: in7 }, startDate: { lte: now } } } } }),
      db.barrier.groupBy({ by: ['topic'], where: { status: { in: ['open', 'in_progress'] }, youth: base }, _count: { _all: true } }),
      db.application.count({ where: { status: 'sent', source: 'youth', youth: base } }),
      db.youthRequest.count({ where: { status: 'open', youth: base } }),
    ]);
  const byStatus: Record<string, number> = {};
  let followedCount = 0;
  for (const g of statusGroups) {
    byStatus[g.status] = g._count._all;
    if (g.status !== 'exited') followedCount += g._count._all;
  }
  const openBarriersByTopic: Record<string, number> = {};
  for (const g of barrierGroups) openBarriersByTopic[g.topic] = g._count._all;
  return { followed: followedCount, byStatus, inMissionNow, withoutMission, withoutContact, endingSoon, openBarriersByTopic, pendingApplications, openRequests };
}

/** A youth's file as a counsellor sees it. Call only after the scope check (findYouthInScope). */
export async function youthFile(db: Db, youthId: number, now = new Date()) {
  const id = parseInput(idSchema, youthId, 'youth id');
  const y = await db.youth.findUnique({
    where: { id },
    select: {
      id: true,
      firstName: true,
      lastName: true,
      birthDate: true,
      phone: true,
      email: true,
      communeCode: true,
      postcode: true,
      status: true,
      entryDate: true,
      telegramUserId: true,
      counsellor: { select: { id: true, firstName: true, lastName: true } },
      missionLocale: { select: { id: true, name: true } },
      placements: { select: { startDate: true, endDate: true, hours: true, mission: { select: { title: true } } }, orderBy: { endDate: 'desc' } },
      applications: {
        select: { id: true, status: true, source: true, createdAt: true, mission: { select: { id: true, title: true, communeName: true } } },
        orderBy: { createdAt: 'desc' },
        take: 5,
      },
      barriers: { where: { status: { in: ['open', 'in_progress'] } }, select: { topic: true, status: true, note: true, openedAt: true } },
      interactions: { select: { at: true, channel: true, note: true }, orderBy: { at: 'desc' }, take: 3 },
      appointments: { where: { at: { gte: now }, status: 'planned' }, select: { at: true, place: true, purpose: true }, orderBy: { at: 'asc' }, take: 1 },
      requests: { where: { status: 'open' }, select: { kind: true, createdAt: true, message: true }, orderBy: { createdAt: 'desc' }, take: 5 },
    },
  });
  if (!y) return null;
  const { placements, telegramUserId, ...rest } = y;
  return {
    ...rest,
    linkedToTelegram: telegramUserId !== null,
    placementCount: placements.length,
    placementHours: placements.reduce((sum, p) => sum + p.hours, 0),
    lastPlacement: placements[0] ?? null,
  };
}
export type YouthFile = NonNullable<Awaited<ReturnType<typeof youthFile>>>;
