import { z } from 'zod';
import type { Db } from '../client.js';
import { idSchema, parseInput, topicSchema, type Topic } from '../schemas.js';
import { isUniqueViolation } from '../errors.js';

const noteSchema = z.string().trim().min(1).max(2000);

export interface RecordedApplication {
  id: number;
  status: string;
  /** False when the youth had already said they were interested: nothing new was written. */
  created: boolean;
}

/** Records "I'm interested" (or a counsellor proposal) once per youth and mission. */
export async function recordApplication(
  db: Db,
  youthId: number,
  missionId: number,
  source: 'youth' | 'counsellor_proposal',
): Promise<RecordedApplication> {
  const data = { youthId: parseInput(idSchema, youthId, 'youth id'), missionId: parseInput(idSchema, missionId, 'mission id'), source };
  const existing = await db.application.findUnique({ where: { youthId_missionId: { youthId: data.youthId, missionId: data.missionId } } });
  if (existing) {
    // A withdrawn application comes back to life when the youth says yes again.
    if (existing.status === 'withdrawn') {
      const revived = await db.application.update({ where: { id: existing.id }, data: { status: 'sent', source } });
      return { id: revived.id, status: revived.status, created: true };
    }
    return { id: existing.id, status: existing.status, created: false };
  }
  try {
    const created = await db.application.create({ data });
    return { id: created.id, status: created.status, created: true };
  } catch (err) {
    // Two deliveries of the same press racing: the other one won, which is the same outcome.
    if (!isUniqueViolation(err)) throw err;
    const row = await db.application.findUniqueOrThrow({ where: { youthId_missionId: { youthId: data.youthId, missionId: data.missionId } } });
    return { id: row.id, status: row.status, created: false };
  }
}

/** A youth's applications, newest first, with the mission's title and place. */
export async function listApplications(db: Db, youthId: number, take = 10) {
  return db.application.findMany({
    where: { youthId: parseInput(idSchema, youthId, 'youth id') },
    select: {
      id: true,
      status: true,
      source: true,
      createdAt: true,
      updatedAt: true,
      mission: { select: { id: true, title: true, communeName: true, startDate: true, status: true } },
    },
    orderBy: { createdAt: 'desc' },
    take: Math.min(take, 20),
  });
}
export type ApplicationView = Awaited<ReturnType<typeof listApplications>>[number];

export async function countApplications(db: Db, youthId: number): Promise<number> {
  return db.application.count({ where: { youthId: parseInput(idSchema, youthId, 'youth id') } });
}

/** Logs a counsellor's contact with a youth. */
export async function logInteraction(
  db: Db,
  input: { youthId: number; counsellorId: number | null; note: string; channel: 'phone' | 'meeting' | 'message' | 'bot'; at?: Date },
): Promise<{ id: number; at: Date }> {
  const row = await db.interaction.create({
    data: {
      youthId: parseInput(idSchema, input.youthId, 'youth id'),
      counsellorId: input.counsellorId === null ? null : parseInput(idSchema, input.counsellorId, 'counsellor id'),
      note: parseInput(noteSchema, input.note, 'note'),
      channel: input.channel,
      at: input.at ?? new Date(),
    },
  });
  return { id: row.id, at: row.at };
}

/** Upcoming planned appointments of a youth, soonest first. */
export async function upcomingAppointments(db: Db, youthId: number, now = new Date()) {
  return db.appointment.findMany({
    where: { youthId: parseInput(idSchema, youthId, 'youth id'), at: { gte: now }, status: 'planned' },
    select: { id: true, at: true, place: true, purpose: true, counsellor: { select: { firstName: true, lastName: true } } },
    orderBy: { at: 'asc' },
    take: 3,
  });
}

/**
 * Records a request the counsellor will see (call back, appointment, help with a barrier). Repeats are merged:
 * the open request's `openKey` is unique, so two simultaneous presses still leave one open request.
 */
export async function recordRequest(db: Db, youthId: number, kind: 'contact' | 'appointment' | 'barrier', message?: string) {
  const id = parseInput(idSchema, youthId, 'youth id');
  const msg = message === undefined ? null : parseInput(noteSchema, message, 'message');
  const openKey = `${id}:${kind}`;
  return createOnce({
    find: () => db.youthRequest.findFirst({ where: { youthId: id, kind, status: 'open' }, select: { id: true } }),
    create: () => db.youthRequest.create({ data: { youthId: id, kind, message: msg, openKey }, select: { id: true } }),
    releaseStaleKey: () => db.youthRequest.updateMany({ where: { openKey, status: { not: 'open' } }, data: { openKey: null } }),
  });
}

/** Opens a barrier on the youth's file unless one of that topic is already open (unique `openKey`, race-safe). */
export async function recordBarrier(db: Db, youthId: number, topic: Topic, note?: string) {
  const id = parseInput(idSchema, youthId, 'youth id');
  const t = parseInput(topicSchema, topic, 'topic');
  const openKey = `${id}:${t}`;
  return createOnce({
    find: () => db.barrier.findFirst({ where: { youthId: id, topic: t, status: { in: ['open', 'in_progress'] } }, select: { id: true } }),
    create: () => db.barrier.create({ data: { youthId: id, topic: t, note: note ?? 'Signalé par le jeune via le bot.', openKey }, select: { id: true } }),
    releaseStaleKey: () => db.barrier.updateMany({ where: { openKey, status: 'resolved' }, data: { openKey: null } }),
  });
}

/**
 * Finds the open row, or creates it holding the unique open key. A unique violation means either a concurrent
 * call created it first (found on the second look) or a closed row still holds the key (released, then retried once).
 */
async function createOnce(ops: {
  find: () => Promise<{ id: number } | null>;
  create: () => Promise<{ id: number }>;
  releaseStaleKey: () => Promise<unknown>;
}): Promise<{ id: number; created: boolean }> {
  for (let attempt = 0; ; attempt++) {
    const existing = await ops.find();
    if (existing) return { id: existing.id, created: false };
    try {
      return { id: (await ops.create()).id, created: true };
    } catch (err) {
      if (!isUniqueViolation(err) || attempt > 0) throw err;
      await ops.releaseStaleKey();
    }
  }
}

/** Facts an eligibility pre-check needs from the youth's file. */
export async function eligibilityFacts(db: Db, youthId: number, now = new Date()) {
  const id = parseInput(idSchema, youthId, 'youth id');
  const [youth, placements] = await Promise.all([
    db.youth.findUnique({ where: { id }, select: { birthDate: true } }),
    db.placement.findMany({ where: { youthId: id }, select: { startDate: true, endDate: true, hours: true } }),
  ]);
  const lastEnd = placements.reduce<Date | null>((acc, p) => (acc === null || p.endDate > acc ? p.endDate : acc), null);
  return {
    birthDate: youth?.birthDate ?? null,
    placements,
    lastPlacementEnd: lastEnd,
    onMissionNow: placements.some((p) => p.startDate <= now && p.endDate >= now),
  };
}
export type EligibilityFacts = Awaited<ReturnType<typeof eligibilityFacts>>;
