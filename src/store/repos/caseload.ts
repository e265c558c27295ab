import { z } from 'zod';
import type { Db } from '../client.js';
import { caseloadScopeSchema, idSchema, parseInput, topicSchema, type CaseloadScope, type Topic } from '../schemas.js';
import { raw, readRows, sql, typed, type Sql } from '../sql.js';
import { startOfParisDay } from '../../shared/time.js';


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

/** Followed youth: exited and anonymised files are not part of a caseload (also read by the digest, `digest.ts`). */
export function followed(scope: CaseloadScope): Sql {
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

/** An interval of placement end dates, both bounds included. */
export interface EndWindow {
  from: Date;
  to: Date;
}
const endWindowSchema = z.object({ from: z.date(), to: z.date() }).refine((w) => w.from <= w.to, 'from must not be after to');

/**
 * The cut-offs of the overview's alerts, computed by the core (src/core/counsellor/definitions.ts), which decides what
 * "without a mission", "without contact" and "ending soon" mean and over how many days.
 */
export interface CaseloadWindows {
  /** Placements ending at or after this instant are too recent for "without a mission". */
  noMissionSince: Date;
  /** Contacts at or after this instant are recent. */
  noContactSince: Date;
  /** End dates of "ending soon". */
  ending: EndWindow;
}
const windowsSchema = z.object({ noMissionSince: z.date(), noContactSince: z.date(), ending: endWindowSchema });
const cutoffSchema = z.date();

/**
 * The condition of each list, on the alias `y`: built once, for the list and for its count in the overview.
 * Each receives the cut-offs the core computed, never a number of days.
 */
/**
 * The caseload alerts' conditions on one row of its own table (alias p for a placement, i for a contact): each
 * list's `WHERE` below is built from them, and a Mission locale's overview counts from them directly.
 */
const ROW = {
  recentPlacement: (since: Date) => sql`p."endDate" >= ${since}`,
  recentContact: (since: Date) => sql`i."at" >= ${since}`,
  /** A placement ending in the window that has begun (its end date is the one listed). */
  endingIn: (w: EndWindow, now: Date) => sql`p."endDate" >= ${w.from} AND p."endDate" <= ${w.to} AND p."startDate" <= ${now}`,
  /** On a placement today: started, and not ended before today. */
  inMission: (now: Date) => sql`p."startDate" <= ${now} AND p."endDate" >= ${startOfDay(now)}`,
};

const WHERE = {
  withoutMission: (since: Date) => sql`NOT EXISTS (SELECT 1 FROM "Placement" p WHERE p."youthId" = y."id" AND ${ROW.recentPlacement(since)})`,
  withoutContact: (since: Date) => sql`NOT EXISTS (SELECT 1 FROM "Interaction" i WHERE i."youthId" = y."id" AND ${ROW.recentContact(since)})`,
  endingIn: (w: EndWindow, now: Date) => sql`EXISTS (SELECT 1 FROM "Placement" p WHERE p."youthId" = y."id" AND ${ROW.endingIn(w, now)})`,
  inMission: (now: Date) => sql`EXISTS (SELECT 1 FROM "Placement" p WHERE p."youthId" = y."id" AND ${ROW.inMission(now)})`,
};

/**
 * Youth with no placement ending at or after `since` and none running now, including those who never had one
 * (flagged `neverPlaced`). Longest without a mission first; never-placed first of all.
 */
export async function youthWithoutMission(db: Db, scope: CaseloadScope, since: Date, now = new Date()): Promise<CaseloadRow[]> {
  const cutoff = parseInput(cutoffSchema, since, 'cut-off');
  const rows = await listQuery(db, scope, now, { condition: WHERE.withoutMission(cutoff), sortAt: LAST_PLACEMENT_END });
  return earliestFirst(rows, sortKey).map((r) => toRow(r));
}

/** Youth with no logged contact at or after `since` (or none ever); longest silence first. */
export async function youthWithoutContact(db: Db, scope: CaseloadScope, since: Date, now = new Date()): Promise<CaseloadRow[]> {
  const cutoff = parseInput(cutoffSchema, since, 'cut-off');
  const rows = await listQuery(db, scope, now, { condition: WHERE.withoutContact(cutoff), sortAt: LAST_CONTACT });
  return earliestFirst(rows, sortKey).map((r) => toRow(r));
}

/** The soonest-ending placement matching `where` (alias p), as a subquery. */
const soonestEnd = (where: Sql) => sql`(SELECT MIN(p."endDate") FROM "Placement" p WHERE p."youthId" = y."id" AND ${where})`;

/** Youth whose current placement ends within `window` (both ends included); soonest first. */
export async function missionsEndingSoon(db: Db, scope: CaseloadScope, window: EndWindow, now = new Date()): Promise<CaseloadRow[]> {
  const { from, to } = parseInput(endWindowSchema, window, 'end window');
  // The listed end is that of the placement ending in the window (its start does not matter for the date shown).
  const end = soonestEnd(sql`p."endDate" >= ${from} AND p."endDate" <= ${to}`);
  const rows = await listQuery(db, scope, now, { condition: WHERE.endingIn({ from, to }, now), lastMissionEnd: end, sortAt: end });
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
  const end = soonestEnd(sql`p."startDate" <= ${now} AND p."endDate" >= ${startOfDay(now)}`);
  const rows = await listQuery(db, scope, now, {
    condition: WHERE.inMission(now),
    lastMissionEnd: end,
    sortAt: end,
  });
  return earliestFirst(rows, sortKey).map((r) => ({ ...toRow(r, false), currentMissionEnd: r.lastMissionEnd }));
}

/** Youth with an "I'm interested" the counsellor has not handled yet (status sent); oldest first. */
export async function youthWithPendingInterest(db: Db, scope: CaseloadScope, now = new Date()): Promise<CaseloadRow[]> {
  const rows = await listQuery(db, scope, now, {
    // The young person's own "ça m’intéresse" only: a counsellor's proposal waits for the youth, not for the counsellor.
    condition: raw(`EXISTS (SELECT 1 FROM "Application" a WHERE a."youthId" = y."id" AND a."status" = 'sent' AND a."source" = 'youth')`),
    sortAt: raw(`(SELECT MIN(a."createdAt") FROM "Application" a WHERE a."youthId" = y."id" AND a."status" = 'sent' AND a."source" = 'youth')`),
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
  /** Youth of `youthWithoutMission(windows.noMissionSince)`, and so on: each count is its list's. */
  withoutMission: number;
  withoutContact: number;
  endingSoon: number;
  openBarriersByTopic: Record<string, number>;
  pendingApplications: number;
  openRequests: number;
}

const overviewRow = z.object({ k: z.string(), v: z.string().nullable(), n: z.coerce.number().int() });

/** The counts of the caseload dashboard, in one statement; each count has a matching list function above (same `WHERE`). */
export async function caseloadOverview(db: Db, scope: CaseloadScope, windows: CaseloadWindows, now = new Date()): Promise<CaseloadOverview> {
  const w = parseInput(windowsSchema, windows, 'caseload windows');
  const base = followed(scope);
  // A counsellor's hundred youth are best read youth by youth (each probe an index lookup); a Mission locale's
  // tens of thousands are not: there each count starts from the recent placements or contacts (date indexes) and
  // keeps those of followed youth of the scope, and "without" is the followed count minus "with".
  const perYouth = 'counsellorId' in scope;
  const withYouth = (table: string, alias: string, where: Sql) =>
    sql`SELECT COUNT(DISTINCT ${raw(`${alias}."youthId"`)}) FROM ${raw(`"${table}" ${alias}`)} JOIN "Youth" y ON y."id" = ${raw(`${alias}."youthId"`)} WHERE ${where} AND ${base}`;
  const counts = perYouth
    ? sql`SELECT 'inMissionNow', NULL, COUNT(*) FROM "Youth" y WHERE ${base} AND ${WHERE.inMission(now)}
      UNION ALL SELECT 'withoutMission', NULL, COUNT(*) FROM "Youth" y WHERE ${base} AND ${WHERE.withoutMission(w.noMissionSince)}
      UNION ALL SELECT 'withoutContact', NULL, COUNT(*) FROM "Youth" y WHERE ${base} AND ${WHERE.withoutContact(w.noContactSince)}
      UNION ALL SELECT 'endingSoon', NULL, COUNT(*) FROM "Youth" y WHERE ${base} AND ${WHERE.endingIn(w.ending, now)}`
    : sql`SELECT 'followedBase', NULL, COUNT(*) FROM "Youth" y WHERE ${base}
      UNION ALL SELECT 'inMissionNow', NULL, (${withYouth('Placement', 'p', ROW.inMission(now))})
      UNION ALL SELECT 'withMission', NULL, (${withYouth('Placement', 'p', ROW.recentPlacement(w.noMissionSince))})
      UNION ALL SELECT 'withContact', NULL, (${withYouth('Interaction', 'i', ROW.recentContact(w.noContactSince))})
      UNION ALL SELECT 'endingSoon', NULL, (${withYouth('Placement', 'p', ROW.endingIn(w.ending, now))})`;
  const rows = await readRows(
    db,
    overviewRow,
    () => sql`SELECT 'status' AS "k", CAST(y."status" AS TEXT) AS "v", COUNT(*) AS "n" FROM "Youth" y
        WHERE ${inScope(scope)} AND y."anonymizedAt" IS NULL GROUP BY y."status"
      UNION ALL ${counts}
      UNION ALL SELECT 'topic', CAST(b."topic" AS TEXT), COUNT(*) FROM "Barrier" b JOIN "Youth" y ON y."id" = b."youthId"
        WHERE ${base} AND b."status" IN ('open', 'in_progress') GROUP BY b."topic"
      UNION ALL SELECT 'pendingApplications', NULL, COUNT(*) FROM "Application" a JOIN "Youth" y ON y."id" = a."youthId"
        WHERE ${base} AND a."status" = 'sent' AND a."source" = 'youth'
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
    withoutMission: perYouth ? n('withoutMission') : n('followedBase') - n('withMission'),
    withoutContact: perYouth ? n('withoutContact') : n('followedBase') - n('withContact'),
    endingSoon: n('endingSoon'),
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
