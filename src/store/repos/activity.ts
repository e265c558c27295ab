import { z } from 'zod';
import type { Db } from '../client.js';
import { idSchema, parseInput, topicSchema, type Topic } from '../schemas.js';
import { isUniqueViolation } from '../errors.js';

const noteSchema = z.string().trim().min(1).max(2000);

/** What a young person can ask of their counsellor through the bot. */
export type RequestKind = 'contact' | 'appointment' | 'barrier' | 'reschedule';

export interface RecordedApplication {
  id: number;
  status: string;
  source: 'youth' | 'counsellor_proposal';
  /** False when the youth had already said they were interested: nothing new was written. */
  created: boolean;
  /** True when this was the young person's yes to a counsellor's proposal (proposed -> sent). */
  answeredProposal?: boolean;
}

const appKey = (youthId: number, missionId: number) => ({ youthId_missionId: { youthId, missionId } });

/**
 * Records "I'm interested" (source youth, status sent) or a counsellor proposal (status proposed, waiting for the
 * young person's answer) once per youth and mission. The young person's "ça m'intéresse" on a proposal is their
 * yes to it (proposed -> sent, `answeredAt` stamped); on one they had declined or withdrawn, a change of mind.
 */
export async function recordApplication(
  db: Db,
  youthId: number,
  missionId: number,
  source: 'youth' | 'counsellor_proposal',
  now = new Date(),
): Promise<RecordedApplication> {
  const data = { youthId: parseInput(idSchema, youthId, 'youth id'), missionId: parseInput(idSchema, missionId, 'mission id'), source };
  const initial = source === 'youth' ? 'sent' : 'proposed';
  const existing = await db.application.findUnique({ where: appKey(data.youthId, data.missionId) });
  if (existing) {
    if (existing.status === 'proposed' && source === 'youth') {
      // Conditional on the status: two deliveries of the same "yes" racing answer once.
      const { count } = await db.application.updateMany({ where: { id: existing.id, status: 'proposed' }, data: { status: 'sent', answeredAt: now } });
      return { id: existing.id, status: 'sent', source: existing.source, created: count === 1, ...(count === 1 ? { answeredProposal: true } : {}) };
    }
    // A withdrawn application comes back to life when the youth says yes again (or a declined one, a change of mind).
    if (existing.status === 'withdrawn' || (existing.status === 'declined' && source === 'youth')) {
      const revived = await db.application.update({ where: { id: existing.id }, data: { status: initial, source } });
      return { id: revived.id, status: revived.status, source: revived.source, created: true };
    }
    return { id: existing.id, status: existing.status, source: existing.source, created: false };
  }
  try {
    const created = await db.application.create({ data: { ...data, status: initial } });
    return { id: created.id, status: created.status, source: created.source, created: true };
  } catch (err) {
    // Two deliveries of the same press racing: the other one won, which is the same outcome.
    if (!isUniqueViolation(err)) throw err;
    const row = await db.application.findUniqueOrThrow({ where: appKey(data.youthId, data.missionId) });
    return { id: row.id, status: row.status, source: row.source, created: false };
  }
}

/**
 * The young person's "non merci" to a counsellor's proposal: proposed -> declined, once (a second press or a
 * redelivery changes nothing). Null when there is no proposal of that mission to them.
 */
export async function declineProposal(db: Db, youthId: number, missionId: number, now = new Date()): Promise<{ id: number; status: string; declined: boolean } | null> {
  const key = appKey(parseInput(idSchema, youthId, 'youth id'), parseInput(idSchema, missionId, 'mission id'));
  const row = await db.application.findUnique({ where: key, select: { id: true, status: true, source: true } });
  if (!row || row.source !== 'counsellor_proposal') return null;
  if (row.status !== 'proposed') return { id: row.id, status: row.status, declined: false };
  const { count } = await db.application.updateMany({ where: { id: row.id, status: 'proposed' }, data: { status: 'declined', answeredAt: now } });
  return { id: row.id, status: count === 1 ? 'declined' : (await db.application.findUniqueOrThrow({ where: { id: row.id }, select: { status: true } })).status, declined: count === 1 };
}

/** The status of the young person's application to a mission, or null when there is none. */
export async function findApplicationStatus(db: Db, youthId: number, missionId: number): Promise<string | null> {
  const row = await db.application.findUnique({ where: appKey(parseInput(idSchema, youthId, 'youth id'), parseInput(idSchema, missionId, 'mission id')), select: { status: true } });
  return row?.status ?? null;
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
export async function recordRequest(db: Db, youthId: number, kind: RequestKind, message?: string, appointmentId?: number) {
  const id = parseInput(idSchema, youthId, 'youth id');
  const msg = message === undefined ? null : parseInput(noteSchema, message, 'message');
  const appointment = appointmentId === undefined ? null : parseInput(idSchema, appointmentId, 'appointment id');
  // A reschedule request is one per appointment; the other kinds one per youth while open.
  const openKey = appointment === null ? `${id}:${kind}` : `${id}:${kind}:${appointment}`;
  return createOnce({
    find: () => db.youthRequest.findFirst({ where: { youthId: id, kind, status: 'open', ...(appointment === null ? {} : { appointmentId: appointment }) }, select: { id: true } }),
    create: () => db.youthRequest.create({ data: { youthId: id, kind, message: msg, openKey, appointmentId: appointment }, select: { id: true } }),
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
