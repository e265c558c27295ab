import { z } from 'zod';
import type { Db } from '../client.js';
import { caseloadScopeSchema, daysSchema, idSchema, parseInput, topicSchema, type CaseloadScope, type Topic } from '../schemas.js';
import { raw, readRows, sql, typed, type Sql } from '../sql.js';
import { parisDayStart, startOfParisDay } from '../../shared/time.js';

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

/** What every caseload list reads per youth; `sortAt` is the list's own date (see each list). */
const listRow = z.object({
  id: z.coerce.number().int(),
  firstName: z.string(),
  lastName: z.string(),
  status: z.string(),
  lastContactAt: z.coerce.date().nullable(),
  lastMissionEnd: z.coerce.date().nullable(),
  nextAppointmentAt: z.coerce.date().nullable(),
  sortAt: z.coerce.date().nullable(),
});
type ListRow = z.output<typeof listRow>;

function toRow(r: ListRow, neverPlaced = r.lastMissionEnd === null): CaseloadRow {
  return {
    id: r.id,
    firstName: r.firstName,
    lastName: r.lastName,
    status: r.status,
    lastContactAt: r.lastContactAt,
    lastMissionEnd: r.lastMissionEnd,
    neverPlaced,
    nextAppointmentAt: r.nextAppointmentAt,
  };
}

/** The youth of a scope, as a condition on the alias `y`. */
function inScope(scope: CaseloadScope): Sql {
  const s = parseInput(caseloadScopeSchema, scope, 'caseload scope');
  return 'counsellorId' in s ? sql`y."counsellorId" = ${s.counsellorId}` : sql`y."missionLocaleId" = ${s.missionLocaleId}`;
}

/** Followed youth: exited and anonymised files are not part of a caseload. */
function followed(scope: CaseloadScope): Sql {
  return sql`${inScope(scope)} AND y."status" <> 'exited' AND y."anonymizedAt" IS NULL`;
}

const LAST_CONTACT = raw(`(SELECT MAX(i."at") FROM "Interaction" i WHERE i."youthId" = y."id")`);
const LAST_PLACEMENT_END = raw(`(SELECT MAX(p."endDate") FROM "Placement" p WHERE p."youthId" = y."id")`);
const nextAppointment = (now: Date) => sql`(SELECT MIN(ap."at") FROM "Appointment" ap WHERE ap."youthId" = y."id" AND ap."at" >= ${now} AND ap."status" = 'planned')`;

/**
 * One caseload list: the followed youth of `scope` matching `condition`, oldest files first up to the limit.
 * `lastMissionEnd` and `sortAt` are subqueries chosen by the list.
 */
function listQuery(db: Db, scope: CaseloadScope, now: Date, parts: { condition: Sql; lastMissionEnd?: Sql; sortAt: Sql }): Promise<ListRow[]> {
  return readRows(
    db,
    listRow,
    () => sql`SELECT y."id", y."firstName", y."lastName", CAST(y."status" AS TEXT) AS "status",
        ${LAST_CONTACT} AS "lastContactAt", ${parts.lastMissionEnd ?? LAST_PLACEMENT_END} AS "lastMissionEnd",
        ${nextAppointment(now)} AS "nextAppointmentAt", ${parts.sortAt} AS "sortAt"
      FROM "Youth" y WHERE ${followed(scope)} AND ${parts.condition}
      ORDER BY y."entryDate" ASC, y."id" ASC LIMIT ${LIST_LIMIT}`,
  );
}

const sortKey = (r: ListRow) => r.sortAt ?? undefined;

/**
 * Rows a caseload list reads at most. A counsellor's caseload is far below it; a manager of a large Mission locale
 * may reach it, and the list then says "at least" (the oldest files in the programme come first).
 */
export const CASELOAD_LIST_LIMIT = 2_000;
const LIST_LIMIT = CASELOAD_LIST_LIMIT;

/**
 * The order counsellors work through a list: earliest date first (a missing date, such as "never placed" or
 * "never contacted", before everything), then by id so equal dates stay stable.
 */
function earliestFirst<T extends { id: number }>(rows: T[], date: (row: T) => Date | undefined): T[] {
  const at = (row: T) => date(row)?.getTime() ?? 0;
  return rows.sort((a, b) => at(a) - at(b) || a.id - b.id);
}

/**
 * Placements end on a date (00:00 UTC of that day): one ending today still counts as a mission today. "Today" is
 * the Paris calendar day (`src/shared/time.ts`), so just after midnight in Paris yesterday's end no longer counts.
 */
const startOfDay = startOfParisDay;

/**
 * "Without a mission for N days" = the last placement ended on or before today − N (whole days), and none runs
 * today. Returns the earliest end date that disqualifies: a placement ending at or after it is too recent.
 */
function noMissionSince(now: Date, days: number): Date {
  // Ended on or before today − N  ⇔  ended before the start of the Paris day today − N + 1.
  return days === 0 ? startOfDay(now) : parisDayStart(now, 1 - days);
}

/**
 * Youth with no placement ending in the last `days` days and none running now, including those who never had one
 * (flagged `neverPlaced`). Longest without a mission first; never-placed first of all.
 */
export async function youthWithoutMission(db: Db, scope: CaseloadScope, days: number, now = new Date()): Promise<CaseloadRow[]> {
  const cutoff = noMissionSince(now, parseInput(daysSchema, days, 'days'));
  const rows = await listQuery(db, scope, now, {
    condition: sql`NOT EXISTS (SELECT 1 FROM "Placement" p WHERE p."youthId" = y."id" AND p."endDate" >= ${cutoff})`,
    sortAt: LAST_PLACEMENT_END,
  });
  return earliestFirst(rows, sortKey).map((r) => toRow(r));
}

/** Youth with no logged contact in the last `days` days (or none ever); longest silence first. */
export async function youthWithoutContact(db: Db, scope: CaseloadScope, days: number, now = new Date()): Promise<CaseloadRow[]> {
  const cutoff = new Date(now.getTime() - parseInput(daysSchema, days, 'days') * DAY);
  const rows = await listQuery(db, scope, now, {
    condition: sql`NOT EXISTS (SELECT 1 FROM "Interaction" i WHERE i."youthId" = y."id" AND i."at" >= ${cutoff})`,
    sortAt: LAST_CONTACT,
  });
  return earliestFirst(rows, sortKey).map((r) => toRow(r));
}

/** The soonest-ending placement matching `where` (alias p), as a subquery. */
const soonestEnd = (where: Sql) => sql`(SELECT MIN(p."endDate") FROM "Placement" p WHERE p."youthId" = y."id" AND ${where})`;

/**
 * Youth whose current placement ends between today (start of day) and `days` days from now, or within `span`
 * (`to` excluded) when the core gives calendar bounds ("cette semaine" = until Sunday night); soonest first.
 */
export async function missionsEndingSoon(db: Db, scope: CaseloadScope, days: number, now = new Date(), span?: { from: Date; to: Date }): Promise<CaseloadRow[]> {
  const from = span ? span.from : startOfDay(now);
  const to = span ? new Date(span.to.getTime() - 1) : new Date(now.getTime() + parseInput(daysSchema, days, 'days') * DAY);
  // The listed end is that of the placement ending in the window (its start does not matter for the date shown).
  const end = soonestEnd(sql`p."endDate" >= ${from} AND p."endDate" <= ${to}`);
  const rows = await listQuery(db, scope, now, {
    condition: sql`EXISTS (SELECT 1 FROM "Placement" p WHERE p."youthId" = y."id" AND p."endDate" >= ${from} AND p."endDate" <= ${to} AND p."startDate" <= ${now})`,
    lastMissionEnd: end,
    sortAt: end,
  });
  return earliestFirst(rows, sortKey).map((r) => ({ ...toRow(r, false), currentMissionEnd: r.lastMissionEnd }));
}

const barrierTopicRow = z.object({ youthId: z.coerce.number().int(), topic: z.string() });

/** Youth with an open or in-progress barrier (of `topic`, or any); oldest barrier first. */
export async function youthWithBarrier(db: Db, scope: CaseloadScope, topic: Topic | undefined, now = new Date()): Promise<CaseloadRow[]> {
  const t = topic === undefined ? undefined : parseInput(topicSchema, topic, 'topic');
  const barrier = t ? sql`b."status" IN ('open', 'in_progress') AND b."topic" = ${typed(t, '"BarrierTopic"')}` : sql`b."status" IN ('open', 'in_progress')`;
  const rows = await listQuery(db, scope, now, {
    condition: sql`EXISTS (SELECT 1 FROM "Barrier" b WHERE b."youthId" = y."id" AND ${barrier})`,
    sortAt: sql`(SELECT MIN(b."openedAt") FROM "Barrier" b WHERE b."youthId" = y."id" AND ${barrier})`,
  });
  // The topics of the listed youth, oldest first: one more statement rather than one per youth.
  const topics = new Map<number, string[]>();
  if (rows.length > 0) {
    const barrierRows = await readRows(
      db,
      barrierTopicRow,
      () => sql`SELECT b."youthId", CAST(b."topic" AS TEXT) AS "topic" FROM "Barrier" b JOIN "Youth" y ON y."id" = b."youthId"
        WHERE ${followed(scope)} AND ${barrier} ORDER BY b."openedAt" ASC, b."id" ASC`,
    );
    const listed = new Set(rows.map((r) => r.id));
    for (const b of barrierRows) {
      if (!listed.has(b.youthId)) continue;
      const list = topics.get(b.youthId) ?? [];
      list.push(b.topic);
      topics.set(b.youthId, list);
    }
  }
  return earliestFirst(rows, sortKey).map((r) => ({ ...toRow(r), barrierTopics: topics.get(r.id) ?? [] }));
}

/** Youth on a placement today (started, not ended before today); soonest end first. */
export async function youthInMissionNow(db: Db, scope: CaseloadScope, now = new Date()): Promise<CaseloadRow[]> {
  const current = sql`p."startDate" <= ${now} AND p."endDate" >= ${startOfDay(now)}`;
  const end = soonestEnd(current);
  const rows = await listQuery(db, scope, now, {
    condition: sql`EXISTS (SELECT 1 FROM "Placement" p WHERE p."youthId" = y."id" AND ${current})`,
    lastMissionEnd: end,
    sortAt: end,
  });
  return earliestFirst(rows, sortKey).map((r) => ({ ...toRow(r, false), currentMissionEnd: r.lastMissionEnd }));
}

/** Youth with an "I'm interested" the counsellor has not handled yet (status sent); oldest first. */
export async function youthWithPendingInterest(db: Db, scope: CaseloadScope, now = new Date()): Promise<CaseloadRow[]> {
  const rows = await listQuery(db, scope, now, {
    condition: raw(`EXISTS (SELECT 1 FROM "Application" a WHERE a."youthId" = y."id" AND a."status" = 'sent')`),
    sortAt: raw(`(SELECT MIN(a."createdAt") FROM "Application" a WHERE a."youthId" = y."id" AND a."status" = 'sent')`),
  });
  return earliestFirst(rows, sortKey).map((r) => toRow(r));
}

/** Youth with an open request (call back, appointment, barrier); oldest first. */
export async function youthWithOpenRequests(db: Db, scope: CaseloadScope, now = new Date()): Promise<CaseloadRow[]> {
  const rows = await listQuery(db, scope, now, {
    condition: raw(`EXISTS (SELECT 1 FROM "YouthRequest" r WHERE r."youthId" = y."id" AND r."status" = 'open')`),
    sortAt: raw(`(SELECT MIN(r."createdAt") FROM "YouthRequest" r WHERE r."youthId" = y."id" AND r."status" = 'open')`),
  });
  return earliestFirst(rows, sortKey).map((r) => toRow(r));
}

export interface CaseloadOverview {
  followed: number;
  byStatus: Record<string, number>;
  inMissionNow: number;
  withoutMission30: number;
  withoutContact30: number;
  endingWithin7: number;
  openBarriersByTopic: Record<string, number>;
  pendingApplications: number;
  openRequests: number;
}

const overviewRow = z.object({ k: z.string(), v: z.string().nullable(), n: z.coerce.number().int() });

/** The counts of the caseload dashboard, in one statement; each count has a matching list function above. */
export async function caseloadOverview(db: Db, scope: CaseloadScope, now = new Date()): Promise<CaseloadOverview> {
  const base = followed(scope);
  const from = startOfDay(now);
  const d30 = new Date(now.getTime() - 30 * DAY);
  const noMissionCutoff = noMissionSince(now, 30);
  const in7 = new Date(now.getTime() + 7 * DAY);
  const placement = (where: Sql) => sql`(SELECT 1 FROM "Placement" p WHERE p."youthId" = y."id" AND ${where})`;
  // A counsellor's hundred youth are best read youth by youth (each probe an index lookup); a Mission locale's
  // tens of thousands are not: there each count starts from the recent placements or contacts (date indexes) and
  // keeps those of followed youth of the scope, and "without" is the followed count minus "with".
  const perYouth = 'counsellorId' in scope;
  const withYouth = (table: string, alias: string, where: Sql) =>
    sql`SELECT COUNT(DISTINCT ${raw(`${alias}."youthId"`)}) FROM ${raw(`"${table}" ${alias}`)} JOIN "Youth" y ON y."id" = ${raw(`${alias}."youthId"`)} WHERE ${where} AND ${base}`;
  const counts = perYouth
    ? sql`SELECT 'inMissionNow', NULL, COUNT(*) FROM "Youth" y
        WHERE ${base} AND EXISTS ${placement(sql`p."startDate" <= ${now} AND p."endDate" >= ${from}`)}
      UNION ALL SELECT 'withoutMission30', NULL, COUNT(*) FROM "Youth" y
        WHERE ${base} AND NOT EXISTS ${placement(sql`p."endDate" >= ${noMissionCutoff}`)}
      UNION ALL SELECT 'withoutContact30', NULL, COUNT(*) FROM "Youth" y
        WHERE ${base} AND NOT EXISTS (SELECT 1 FROM "Interaction" i WHERE i."youthId" = y."id" AND i."at" >= ${d30})
      UNION ALL SELECT 'endingWithin7', NULL, COUNT(*) FROM "Youth" y
        WHERE ${base} AND EXISTS ${placement(sql`p."endDate" >= ${from} AND p."endDate" <= ${in7} AND p."startDate" <= ${now}`)}`
    : sql`SELECT 'followedBase', NULL, COUNT(*) FROM "Youth" y WHERE ${base}
      UNION ALL SELECT 'inMissionNow', NULL, (${withYouth('Placement', 'p', sql`p."endDate" >= ${from} AND p."startDate" <= ${now}`)})
      UNION ALL SELECT 'withMission30', NULL, (${withYouth('Placement', 'p', sql`p."endDate" >= ${noMissionCutoff}`)})
      UNION ALL SELECT 'withContact30', NULL, (${withYouth('Interaction', 'i', sql`i."at" >= ${d30}`)})
      UNION ALL SELECT 'endingWithin7', NULL, (${withYouth('Placement', 'p', sql`p."endDate" >= ${from} AND p."endDate" <= ${in7} AND p."startDate" <= ${now}`)})`;
  const rows = await readRows(
    db,
    overviewRow,
    () => sql`SELECT 'status' AS "k", CAST(y."status" AS TEXT) AS "v", COUNT(*) AS "n" FROM "Youth" y
        WHERE ${inScope(scope)} AND y."anonymizedAt" IS NULL GROUP BY y."status"
      UNION ALL ${counts}
      UNION ALL SELECT 'topic', CAST(b."topic" AS TEXT), COUNT(*) FROM "Barrier" b JOIN "Youth" y ON y."id" = b."youthId"
        WHERE ${base} AND b."status" IN ('open', 'in_progress') GROUP BY b."topic"
      UNION ALL SELECT 'pendingApplications', NULL, COUNT(*) FROM "Application" a JOIN "Youth" y ON y."id" = a."youthId"
        WHERE ${base} AND a."status" = 'sent'
      UNION ALL SELECT 'openRequests', NULL, COUNT(*) FROM "YouthRequest" r JOIN "Youth" y ON y."id" = r."youthId"
        WHERE ${base} AND r."status" = 'open'`,
  );
  const byStatus: Record<string, number> = {};
  const openBarriersByTopic: Record<string, number> = {};
  const single: Record<string, number> = {};
  let followedCount = 0;
  for (const r of rows) {
    if (r.k === 'status' && r.v !== null) {
      byStatus[r.v] = r.n;
      if (r.v !== 'exited') followedCount += r.n;
    } else if (r.k === 'topic' && r.v !== null) openBarriersByTopic[r.v] = r.n;
    else single[r.k] = r.n;
  }
  const n = (k: string) => single[k] ?? 0;
  return {
    followed: followedCount,
    byStatus,
    inMissionNow: n('inMissionNow'),
    withoutMission30: perYouth ? n('withoutMission30') : n('followedBase') - n('withMission30'),
    withoutContact30: perYouth ? n('withoutContact30') : n('followedBase') - n('withContact30'),
    endingWithin7: n('endingWithin7'),
    openBarriersByTopic,
    pendingApplications: n('pendingApplications'),
    openRequests: n('openRequests'),
  };
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
      appointments: { where: { at: { gte: now }, status: 'planned' }, select: { at: true, place: true, purpose: true }, orderBy: { at: 'asc' }, take: 3 },
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
    /** The five latest placements, latest first (the file's "missions" section). */
    recentPlacements: placements.slice(0, 5),
  };
}
export type YouthFile = NonNullable<Awaited<ReturnType<typeof youthFile>>>;
