import { z } from 'zod';
import type { Db, Prisma } from '../client.js';
import { communeCodeSchema, departementCodeSchema, idSchema, parseInput, sectorSchema } from '../schemas.js';
import { isUniqueViolation } from '../errors.js';
import { join, jsonRecords, raw, readRows, sql, writeRows, type Dialect, type Sql } from '../sql.js';

/**
 * Saved searches ("🔔 Préviens-moi") and mission alerts. The criteria are columns, so one set-based statement
 * matches the missions published since the last run against every saved search (`matchNewMissions`); what was
 * alerted is recorded per (youth, mission), so a mission is never alerted twice to the same person; each young
 * person's matches go into one grouped message per Paris day (`queueMissionAlerts`), ids only.
 */

/** At most this many saved searches per young person. */
export const MAX_SAVED_SEARCHES = 10;
/** A grouped alert lists at most this many mission ids (the message shows 5 and counts the rest). */
export const MAX_ALERT_MISSIONS = 200;

export const savedSearchInputSchema = z.object({
  communeCode: communeCodeSchema.optional(),
  communeName: z.string().min(1).max(100).optional(),
  epciCode: z.string().regex(/^\d{9}$/).optional(),
  departementCode: departementCodeSchema.optional(),
  sector: sectorSchema.optional(),
  startFrom: z.date().optional(),
  startTo: z.date().optional(),
  startWithinDays: z.number().int().min(0).max(365).optional(),
});
export type SavedSearchInput = z.infer<typeof savedSearchInputSchema>;

export interface SavedSearchView extends SavedSearchInput {
  id: number;
  createdAt: Date;
}

/** One string per set of criteria: the same search saved twice is one alert. */
function criteriaKey(c: SavedSearchInput): string {
  const day = (d: Date | undefined) => (d ? d.toISOString().slice(0, 10) : '');
  return [c.communeCode ?? '', c.epciCode ?? '', c.departementCode ?? '', c.sector ?? '', day(c.startFrom), day(c.startTo), c.startWithinDays ?? ''].join('|');
}

/**
 * Saves a search for a young person at `at` (alerts cover missions published from then on); an identical one is
 * kept as is. `full` when the limit is reached.
 */
export async function saveSearch(db: Db, youthId: number, input: SavedSearchInput, at: Date): Promise<{ id: number; created: boolean } | { full: true }> {
  const id = parseInput(idSchema, youthId, 'youth id');
  const c = parseInput(savedSearchInputSchema, input, 'saved search');
  const key = criteriaKey(c);
  const existing = await db.savedSearch.findUnique({ where: { youthId_criteriaKey: { youthId: id, criteriaKey: key } }, select: { id: true } });
  if (existing) return { id: existing.id, created: false };
  if ((await db.savedSearch.count({ where: { youthId: id } })) >= MAX_SAVED_SEARCHES) return { full: true };
  try {
    const row = await db.savedSearch.create({ data: { youthId: id, criteriaKey: key, ...c, createdAt: at }, select: { id: true } });
    return { id: row.id, created: true };
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
    const row = await db.savedSearch.findUniqueOrThrow({ where: { youthId_criteriaKey: { youthId: id, criteriaKey: key } }, select: { id: true } });
    return { id: row.id, created: false };
  }
}

const viewSelect = {
  id: true,
  communeCode: true,
  communeName: true,
  epciCode: true,
  departementCode: true,
  sector: true,
  startFrom: true,
  startTo: true,
  startWithinDays: true,
  createdAt: true,
} satisfies Prisma.SavedSearchSelect;

/** A young person's saved searches, oldest first. */
export async function listSavedSearches(db: Db, youthId: number): Promise<SavedSearchView[]> {
  const rows = await db.savedSearch.findMany({ where: { youthId: parseInput(idSchema, youthId, 'youth id') }, orderBy: { id: 'asc' }, select: viewSelect });
  return rows.map((r) => Object.fromEntries(Object.entries(r).filter(([, v]) => v !== null)) as unknown as SavedSearchView);
}

/** Stops one alert of this young person (another person's id changes nothing); true when it existed. */
export async function deleteSavedSearch(db: Db, youthId: number, savedSearchId: number): Promise<boolean> {
  const { count } = await db.savedSearch.deleteMany({ where: { id: parseInput(idSchema, savedSearchId, 'saved search id'), youthId: parseInput(idSchema, youthId, 'youth id') } });
  return count === 1;
}

/** Stops every alert of a young person; returns how many there were. */
export async function deleteAllSavedSearches(db: Db, youthId: number): Promise<number> {
  const { count } = await db.savedSearch.deleteMany({ where: { youthId: parseInput(idSchema, youthId, 'youth id') } });
  return count;
}

/** "Starts within N days of now", in each dialect (SQLite keeps Prisma's ISO text, so the bound is built as text). */
function withinDays(dialect: Dialect, now: Date): Sql {
  return dialect === 'postgresql'
    ? sql`m."startDate" <= ${now} + s."startWithinDays" * INTERVAL '1 day'`
    : sql`m."startDate" <= strftime('%Y-%m-%dT%H:%M:%f+00:00', ${now}, '+' || s."startWithinDays" || ' days')`;
}

/**
 * The place and sector conditions, each an equality (or IS NULL) the saved searches' (place, sector) indexes
 * answer: a `UNION ALL` of seven joins, where one OR'ed join condition would read every saved search of the
 * place (or all of them) for every new mission.
 */
const PLACE_JOINS = [
  ...['communeCode', 'epciCode', 'departementCode'].flatMap((place) => [
    raw(`s."${place}" = m."${place}" AND s."sector" = m."sector"`),
    raw(`s."${place}" = m."${place}" AND s."sector" IS NULL`),
  ]),
  raw(`s."sector" = m."sector" AND s."communeCode" IS NULL AND s."epciCode" IS NULL AND s."departementCode" IS NULL`),
];

/** The statement of `matchNewMissions` (the benchmark replays it on a bare driver). */
export function matchNewMissionsSql(dialect: Dialect, since: Date, now: Date): Sql {
  // SQLite without statistics would start from the status index (every open mission): the new ones are few.
  const missions = raw(dialect === 'sqlite' ? `"Mission" m INDEXED BY "Mission_publishedAt_idx"` : `"Mission" m`);
  const branch = (place: Sql) => sql`SELECT s."youthId" AS "youthId", m."id" AS "missionId"
      FROM ${missions}
      JOIN "SavedSearch" s ON ${place}
      WHERE m."status" = 'open' AND m."publishedAt" > ${since} AND m."publishedAt" <= ${now} AND m."endDate" >= ${now}
        AND m."publishedAt" >= s."createdAt"
        AND (s."startFrom" IS NULL OR m."startDate" >= s."startFrom")
        AND (s."startTo" IS NULL OR m."startDate" <= s."startTo")
        AND (s."startWithinDays" IS NULL OR ${withinDays(dialect, now)})`;
  return sql`SELECT DISTINCT c."youthId", c."missionId"
    FROM (${join(PLACE_JOINS.map(branch), ' UNION ALL ')}) c
    JOIN "Youth" y ON y."id" = c."youthId"
    WHERE y."consentAt" IS NOT NULL AND y."telegramChatId" IS NOT NULL AND y."anonymizedAt" IS NULL AND CAST(y."status" AS TEXT) <> 'exited'
      AND NOT EXISTS (SELECT 1 FROM "AlertedMission" a WHERE a."youthId" = c."youthId" AND a."missionId" = c."missionId")
    ORDER BY c."youthId", c."missionId"`;
}

const matchRow = z.object({ youthId: z.coerce.number().int(), missionId: z.coerce.number().int() });

/**
 * Open missions published in (since, now] that match a saved search of a young person who may receive
 * alerts (linked on Telegram, consent given, file not closed) and were not alerted to them yet, grouped by youth.
 * One statement, whatever the number of saved searches.
 */
export async function matchNewMissions(db: Db, since: Date, now: Date): Promise<Map<number, number[]>> {
  const rows = await readRows(db, matchRow, (dialect) => matchNewMissionsSql(dialect, since, now));
  const byYouth = new Map<number, number[]>();
  for (const r of rows) {
    const list = byYouth.get(r.youthId);
    if (list) list.push(r.missionId);
    else byYouth.set(r.youthId, [r.missionId]);
  }
  return byYouth;
}

/** A Paris day a grouped alert may go out on, and from when. */
export interface AlertSlot {
  day: string;
  notBefore: Date;
}

const alertPayloadSchema = z.object({ kind: z.literal('mission_alert'), youthId: idSchema, missionIds: z.array(idSchema).min(1).max(MAX_ALERT_MISSIONS), day: z.string() });
const dedupeKey = (youthId: number, day: string) => `mission_alert:${youthId}:${day}`;
const CHUNK = 500;

function chunks<T>(list: T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

/**
 * Puts each young person's new matches into their one alert message of the first slot whose message is not
 * gone yet: a pending message of that day takes the new ids (still one message), a day whose message was
 * already sent passes to the next slot. Records every (youth, mission) put in a message. Batched statements
 * (a read and inserts per 500 young people), never one query per youth; run it inside a transaction.
 */
export async function queueMissionAlerts(db: Db, matches: Map<number, number[]>, slots: AlertSlot[], now: Date): Promise<{ messages: number; missions: number; appended: number }> {
  let messages = 0;
  let missions = 0;
  let appended = 0;
  for (const part of chunks([...matches.entries()])) {
    const keys = part.flatMap(([youthId]) => slots.map((s) => dedupeKey(youthId, s.day)));
    const existing = new Map(
      (await db.notification.findMany({ where: { dedupeKey: { in: keys } }, select: { id: true, dedupeKey: true, status: true, payload: true } })).map((n) => [n.dedupeKey!, n]),
    );
    const creates: { youthId: number; missionIds: number[]; slot: AlertSlot }[] = [];
    const alerted: { youthId: number; missionId: number; dedupeKey: string }[] = [];
    for (const [youthId, ids] of part) {
      // A day is open while its message does not exist or still waits to go; sent (or given up) = that day is used.
      const slot = slots.find((s) => (existing.get(dedupeKey(youthId, s.day))?.status ?? 'pending') === 'pending');
      if (!slot) continue;
      const key = dedupeKey(youthId, slot.day);
      const row = existing.get(key);
      if (row) {
        const payload = alertPayloadSchema.parse(row.payload);
        const missionIds = [...new Set([...payload.missionIds, ...ids])].slice(0, MAX_ALERT_MISSIONS);
        await db.notification.update({ where: { id: row.id }, data: { payload: { ...payload, missionIds } } });
        appended++;
      } else {
        creates.push({ youthId, missionIds: ids.slice(0, MAX_ALERT_MISSIONS), slot });
      }
      for (const missionId of ids) alerted.push({ youthId, missionId, dedupeKey: key });
    }
    if (creates.length) {
      // One statement per batch, the rows as one JSON parameter: through the ORM, 100,000 creates took minutes.
      messages += await writeRows(
        db,
        (dialect) => sql`INSERT INTO "Notification" ("kind", "channel", "youthId", "dedupeKey", "payload", "status", "attempts", "partsSent", "createdAt", "nextAttemptAt")
          SELECT 'mission_alert', ${raw(dialect === 'postgresql' ? `'telegram'::"Channel"` : `'telegram'`)}, j."youthId", j."dedupeKey", j."payload",
                 ${raw(dialect === 'postgresql' ? `'pending'::"NotificationStatus"` : `'pending'`)}, 0, 0, j."createdAt", j."nextAttemptAt"
          FROM ${jsonRecords(
            dialect,
            [
              ['youthId', 'int'],
              ['dedupeKey', 'text'],
              ['payload', 'jsonb'],
              ['createdAt', 'timestamp(3)'],
              ['nextAttemptAt', 'timestamp(3)'],
            ],
            creates.map((c) => ({
              youthId: c.youthId,
              dedupeKey: dedupeKey(c.youthId, c.slot.day),
              payload: { kind: 'mission_alert', youthId: c.youthId, missionIds: c.missionIds, day: c.slot.day },
              createdAt: now,
              nextAttemptAt: c.slot.notBefore,
            })),
          )}`,
      );
    }
    missions += alerted.length;
    // The message of each pair is found by its key: the same statement serves new and appended messages.
    await writeRows(
      db,
      (dialect) => sql`INSERT INTO "AlertedMission" ("youthId", "missionId", "notificationId", "alertedAt")
        SELECT j."youthId", j."missionId", n."id", ${now}
        FROM ${jsonRecords(dialect, [['youthId', 'int'], ['missionId', 'int'], ['dedupeKey', 'text']], alerted)}
        JOIN "Notification" n ON n."dedupeKey" = j."dedupeKey"
        WHERE true
        ON CONFLICT ("youthId", "missionId") DO NOTHING`,
    );
  }
  return { messages, missions, appended };
}

/** The mission ids of one alert message of this young person (the "voir les N autres" button); null if not theirs. */
export async function findAlertMissionIds(db: Db, notificationId: number, youthId: number): Promise<number[] | null> {
  const row = await db.notification.findFirst({
    where: { id: parseInput(idSchema, notificationId, 'notification id'), youthId: parseInput(idSchema, youthId, 'youth id'), kind: 'mission_alert' },
    select: { payload: true },
  });
  const parsed = alertPayloadSchema.safeParse(row?.payload);
  return parsed.success ? parsed.data.missionIds : null;
}
