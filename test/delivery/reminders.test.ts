import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createDeliveryStack } from '../../src/delivery/compose.js';
import { parisClock } from '../../src/shared/time.js';
import { createInProcessQueue } from '../../src/store/jobs.js';
import { postgresTestDatabase, sqliteTestDatabase, type TestDatabase } from '../helpers/db.js';
import { runScript } from '../helpers/process.js';
import { startBotApi } from '../telegram/helpers/bot-api-server.js';

/**
 * Appointment reminders (D-7 and D-1, from 10:00 Paris time) end to end: `npm run jobs -- --once --at …` queues
 * and sends them through the delivery engine to a Bot API stand-in; a run happens once; a cancelled or moved
 * appointment's reminder is not sent; two processes claiming the same run do it once.
 */
const DAY = 86_400_000;
let db: TestDatabase;
let api: Awaited<ReturnType<typeof startBotApi>>;
const CHAT = 5_550_001;
let youth: { id: number; counsellorId: number };
/** 10:30 Paris time on the day after the seed's day (winter: UTC+1). */
let runAt: Date;

async function appointment(at: Date, status: 'planned' | 'cancelled' = 'planned') {
  return db.connection.db.appointment.create({ data: { youthId: youth.id, counsellorId: youth.counsellorId, at, place: 'Mission locale de Lyon', status } });
}

/** The reminder runs among what ran (the hourly mission-alerts job runs beside them). */
const reminderRuns = <T extends { name: string }>(ran: T[]) => ran.filter((r) => r.name === 'appointment-reminders');

const jobs = (at: Date) =>
  runScript('scripts/jobs.ts', ['--once', '--at', at.toISOString()], { DATABASE_URL: db.url, TELEGRAM_BOT_TOKEN: '6006:REMINDERS', TELEGRAM_API_ROOT: api.apiRoot, LOG_LEVEL: 'silent' });

beforeAll(async () => {
  db = await sqliteTestDatabase();
  api = await startBotApi();
  const y = await db.connection.db.youth.findFirstOrThrow({ where: { telegramChatId: null, status: 'active' }, orderBy: { id: 'asc' } });
  youth = { id: y.id, counsellorId: y.counsellorId };
  await db.connection.db.youth.update({ where: { id: y.id }, data: { telegramChatId: String(CHAT), telegramUserId: String(CHAT) } });
  runAt = new Date(Date.UTC(db.now.getUTCFullYear(), db.now.getUTCMonth(), db.now.getUTCDate() + 1, 9, 30));
  // Only this test's appointments for this youth.
  await db.connection.db.appointment.updateMany({ where: { youthId: y.id }, data: { status: 'cancelled' } });
});

afterAll(async () => {
  await api?.close();
  await db?.close();
});

describe('appointment reminders', () => {
  it('npm run jobs -- --once --at <10:30 Paris> sends one D-7 and one D-1 reminder, with buttons; again, nothing', async () => {
    expect(parisClock(runAt).hour).toBeGreaterThanOrEqual(10);
    await appointment(new Date(runAt.getTime() + 7 * DAY));
    await appointment(new Date(runAt.getTime() + 1 * DAY + 3_600_000));
    await appointment(new Date(runAt.getTime() + 3 * DAY));
    await appointment(new Date(runAt.getTime() + 1 * DAY), 'cancelled');

    const first = await jobs(runAt);
    expect(first.code).toBe(0);
    const out = JSON.parse(first.stdout.trim().split('\n').pop()!);
    expect(reminderRuns(out.ran)).toEqual([{ name: 'appointment-reminders', runKey: `appointment-reminders:${parisClock(runAt).date}T${String(parisClock(runAt).hour).padStart(2, '0')}`, result: expect.objectContaining({ due: expect.any(Number) }) }]);
    const sent = api.delivered(CHAT).map((c) => String(c.payload.text));
    expect(sent).toHaveLength(2);
    expect(sent.filter((t) => /dans une semaine/.test(t))).toHaveLength(1);
    expect(sent.filter((t) => /demain/.test(t))).toHaveLength(1);
    const keyboard = JSON.stringify(api.delivered(CHAT)[0]!.payload.reply_markup);
    expect(keyboard).toContain('Je confirme');
    expect(keyboard).toContain('Je ne peux pas');
    expect(keyboard).toMatch(/"ra:\d+:y"/);
    expect(keyboard).toMatch(/"ra:\d+:n"/);

    // The same hour again: nothing to run. The next hour's run re-finds the two reminders and sends nothing more.
    const sameHour = await jobs(new Date(runAt.getTime() + 60_000));
    expect(reminderRuns(JSON.parse(sameHour.stdout.trim().split('\n').pop()!).ran)).toEqual([]);
    const again = await jobs(new Date(runAt.getTime() + 3_600_000));
    expect(again.code).toBe(0);
    expect(reminderRuns(JSON.parse(again.stdout.trim().split('\n').pop()!).ran)).toEqual([expect.objectContaining({ result: expect.objectContaining({ due: 2 }) })]);
    expect(api.delivered(CHAT)).toHaveLength(2);
  }, 120_000);

  it('before 10:00 Paris time nothing is due', async () => {
    const early = new Date(runAt.getTime() + DAY - 2 * 3_600_000); // 08:30 Paris the next day
    const run = await jobs(early);
    expect(reminderRuns(JSON.parse(run.stdout.trim().split('\n').pop()!).ran)).toEqual([]);
  }, 60_000);

  it('a reminder queued for an appointment cancelled or moved since is not sent', async () => {
    const sent: number[] = [];
    const stack = await createDeliveryStack({ store: db.store, databaseUrl: db.url, config: loadConfig({ LOG_LEVEL: 'silent' }), log: pino({ level: 'silent' }), jobs: createInProcessQueue() });
    stack.engine.attach([{ name: 'telegram', canSend: () => true, send: async (d) => void sent.push(d.notificationId) }]);
    const day3 = new Date(runAt.getTime() + 2 * DAY); // the run two days later: its D-1 is the appointment below
    const cancelled = await appointment(new Date(day3.getTime() + DAY + 60_000));
    const moved = await appointment(new Date(day3.getTime() + DAY + 120_000));
    const kept = await appointment(new Date(day3.getTime() + DAY + 180_000));
    const [ran] = reminderRuns(await stack.scheduler.runDue(day3));
    expect(ran?.result.due).toBeGreaterThanOrEqual(3);
    await db.connection.db.appointment.update({ where: { id: cancelled.id }, data: { status: 'cancelled' } });
    await db.connection.db.appointment.update({ where: { id: moved.id }, data: { at: new Date(moved.at.getTime() + 3 * DAY) } });
    await stack.engine.runDue();
    const rows = await db.connection.db.notification.findMany({ where: { kind: 'appointment_reminder', youthId: youth.id, id: { gt: 0 } }, orderBy: { id: 'desc' }, take: 3 });
    const byAppointment = new Map(rows.map((r) => [(r.payload as { appointmentId: number }).appointmentId, r]));
    expect(byAppointment.get(kept.id)).toMatchObject({ status: 'sent' });
    expect(byAppointment.get(cancelled.id)).toMatchObject({ status: 'failed', lastError: 'nothing_to_say' });
    expect(byAppointment.get(moved.id)).toMatchObject({ status: 'failed', lastError: 'nothing_to_say' });
    expect(sent).toContain(byAppointment.get(kept.id)!.id);
    expect(sent).not.toContain(byAppointment.get(cancelled.id)!.id);
    expect(sent).not.toContain(byAppointment.get(moved.id)!.id);
    // The moved appointment is reminded at its new time: its own D-1, on the run of the day before it.
    const movedTo = new Date(moved.at.getTime() + 3 * DAY);
    await stack.scheduler.runDue(new Date(day3.getTime() + 3 * DAY));
    await stack.engine.runDue();
    const again = await db.connection.db.notification.findMany({ where: { kind: 'appointment_reminder', youthId: youth.id, status: 'sent' } });
    const newOne = again.find((r) => (r.payload as { appointmentId: number; at: string }).appointmentId === moved.id);
    expect(newOne?.payload).toMatchObject({ at: movedTo.toISOString(), daysBefore: 1 });
    expect(sent).toContain(newOne!.id);
    await stack.close();
  });

  it('an appointment moved to tomorrow after the day’s first run gets its D-1 reminder at the next hour’s run', async () => {
    const sent: number[] = [];
    const stack = await createDeliveryStack({ store: db.store, databaseUrl: db.url, config: loadConfig({ LOG_LEVEL: 'silent' }), log: pino({ level: 'silent' }), jobs: createInProcessQueue() });
    stack.engine.attach([{ name: 'telegram', canSend: () => true, send: async (d) => void sent.push(d.notificationId) }]);
    const day = new Date(runAt.getTime() + 10 * DAY); // 10:30 Paris, a day with no other appointment of this file
    const first = reminderRuns(await stack.scheduler.runDue(day));
    expect(first).toHaveLength(1);
    // At 11:15 the counsellor moves an appointment of next month to tomorrow: the 10:00 run could not see it.
    const moved = await appointment(new Date(day.getTime() + 30 * DAY));
    await db.connection.db.appointment.update({ where: { id: moved.id }, data: { at: new Date(day.getTime() + DAY + 3_600_000) } });
    const next = reminderRuns(await stack.scheduler.runDue(new Date(day.getTime() + 2 * 3_600_000))); // the 12:30 run
    expect(next).toHaveLength(1);
    await stack.engine.runDue();
    const reminders = await db.connection.db.notification.findMany({ where: { kind: 'appointment_reminder', youthId: youth.id } });
    const forMoved = reminders.filter((r) => (r.payload as { appointmentId: number }).appointmentId === moved.id);
    expect(forMoved).toHaveLength(1);
    expect(forMoved[0]!.payload).toMatchObject({ daysBefore: 1 });
    expect(sent).toContain(forMoved[0]!.id);
    // After 21:00 no reminder run is due any more (nothing is sent in the evening).
    expect(reminderRuns(await stack.scheduler.runDue(new Date(day.getTime() + 11 * 3_600_000)))).toEqual([]);
    await stack.close();
  });
});

describe('scheduled runs across processes', () => {
  it('two `npm run jobs -- --once` processes at the same time on PostgreSQL: the D-7 and the D-1 reminder are sent once each', async () => {
    const pgdb = await postgresTestDatabase();
    const pgApi = await startBotApi();
    try {
      const chat = 5_550_077;
      const y = await pgdb.connection.db.youth.findFirstOrThrow({ where: { telegramChatId: null, status: 'active' }, orderBy: { id: 'asc' } });
      await pgdb.connection.db.youth.update({ where: { id: y.id }, data: { telegramChatId: String(chat), telegramUserId: String(chat) } });
      await pgdb.connection.db.appointment.updateMany({ where: { youthId: y.id }, data: { status: 'cancelled' } });
      for (const days of [7, 1]) await pgdb.connection.db.appointment.create({ data: { youthId: y.id, counsellorId: y.counsellorId, at: new Date(runAt.getTime() + days * DAY), place: 'Mission locale de Lyon' } });
      const env = { DATABASE_URL: pgdb.url, TELEGRAM_BOT_TOKEN: '6006:REMINDERS', TELEGRAM_API_ROOT: pgApi.apiRoot, LOG_LEVEL: 'silent' };
      const runs = await Promise.all([0, 1].map(() => runScript('scripts/jobs.ts', ['--once', '--at', runAt.toISOString()], env)));
      expect(runs.map((r) => r.code)).toEqual([0, 0]);
      const claimed = runs.map((r) => JSON.parse(r.stdout.trim().split('\n').pop()!).ran.filter((x: { name: string }) => x.name === 'appointment-reminders').length);
      expect(claimed.sort()).toEqual([0, 1]);
      const sent = pgApi.delivered(chat).map((c) => String(c.payload.text));
      expect(sent.filter((t) => /dans une semaine/.test(t))).toHaveLength(1);
      expect(sent.filter((t) => /demain/.test(t))).toHaveLength(1);
      expect(sent).toHaveLength(2);
    } finally {
      await pgApi.close();
      await pgdb.close();
    }
  }, 180_000);

  it('two processes claiming the same run at the same time: it runs once', async () => {
    const pgdb = await postgresTestDatabase();
    try {
      const config = loadConfig({ LOG_LEVEL: 'silent' });
      const stacks = await Promise.all([0, 1].map(() => createDeliveryStack({ store: pgdb.store, databaseUrl: pgdb.url, config, log: pino({ level: 'silent' }), jobs: createInProcessQueue() })));
      const results = await Promise.all(stacks.map((s) => s.scheduler.runDue(runAt)));
      expect(results.map((r) => reminderRuns(r).length).sort()).toEqual([0, 1]);
      expect(await pgdb.connection.db.jobRun.count({ where: { name: 'appointment-reminders' } })).toBe(1);
      for (const s of stacks) await s.close();
    } finally {
      await pgdb.close();
    }
  });
});
