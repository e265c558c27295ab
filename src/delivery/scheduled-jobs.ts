import type { Logger } from 'pino';
import type { Store } from '../store/index.js';
import type { JobQueue } from '../store/jobs.js';
import { noMetrics, type DeliveryMetrics } from './metrics.js';
import { isParisWorkingDay, parisClock, parisDate, parisDateKey, parisHour } from '../shared/time.js';
import { alertSlots } from '../core/youth/alerts.js';

/**
 * Scheduled jobs: each definition says which run is due at a given time ("appointment-reminders of
 * 2026-12-02, due from 10:00 Paris time"); a run is claimed once in the store (`JobRun`), so it happens once
 * whichever process or `npm run jobs -- --once` gets there first, and a restart catches up a run still due.
 * In the service, due runs are queued on the job engine (pg-boss on PostgreSQL); `--once` runs them inline.
 */
export interface ScheduledJob {
  name: string;
  /** The key of the run due at `now`, or null when none is (before its hour). */
  dueRun(now: Date): string | null;
  /** Does the run's work as of `now`; returns counts for the logs. */
  run(now: Date): Promise<Record<string, number>>;
}

/** Reminders run every hour of the Paris day from this hour up to (not including) the last one. */
const REMINDER_HOURS = { first: 10, last: 21 } as const;

/**
 * D-7 and D-1 reminders of planned appointments, from 10:00 Paris time. The run is hourly until 21:00 so that an
 * appointment booked or moved after the day's first run still gets the reminder that falls on that day; a reminder
 * is queued once per appointment, lead time and appointment time (its dedupe key), so the later runs of the day
 * re-find what is already queued and add nothing, while a moved appointment (a new time) gets its own.
 */
export function appointmentReminders(store: Store): ScheduledJob {
  const name = 'appointment-reminders';
  return {
    name,
    dueRun: (now) => {
      const clock = parisClock(now);
      const inHours = clock.hour >= REMINDER_HOURS.first && clock.hour < REMINDER_HOURS.last;
      return inHours ? `${name}:${clock.date}T${String(clock.hour).padStart(2, '0')}` : null;
    },
    async run(now) {
      // Reminders due today; each is queued once, however many runs of the day find it.
      let due = 0;
      for (const daysBefore of [7, 1] as const) {
        const target = parisDate(now, daysBefore);
        // A window wide enough for any time zone offset, then the Paris calendar decides.
        const from = new Date(now.getTime() + (daysBefore - 2) * 86_400_000);
        const to = new Date(now.getTime() + (daysBefore + 2) * 86_400_000);
        for (const a of await store.reminders.listRemindableAppointments(from, to)) {
          if (parisClock(a.at).date !== target) continue;
          await store.notifications.enqueueNotification({ kind: 'appointment_reminder', youthId: a.youthId, appointmentId: a.id, at: a.at.toISOString(), daysBefore });
          due++;
        }
      }
      return { due };
    },
  };
}

/**
 * The counsellors' daily digest, on Paris working days (Monday to Friday, not a French public holiday) from
 * 08:30: one Teams card per subscribed counsellor, covering what happened since their previous digest. The
 * payload holds the counsellor id and the period only; the card is rendered at delivery
 * (`core/counsellor/digest.ts`), so an unsubscribed or deactivated counsellor gets nothing.
 */
export function counsellorDigest(store: Store): ScheduledJob {
  const name = 'counsellor-digest';
  return {
    name,
    dueRun: (now) => {
      const clock = parisClock(now);
      const due = clock.hour > 8 || (clock.hour === 8 && clock.minute >= 30);
      return due && isParisWorkingDay(now) ? `${name}:${clock.date}` : null;
    },
    async run(now) {
      const day = parisClock(now).date;
      let queued = 0;
      for (const c of await store.digest.listDigestRecipients()) {
        // A run "as of" a time before the last digest (a catch-up with an old --at) has no period to cover.
        if (c.since >= now) continue;
        // One transaction per counsellor: the digest is queued and its period closed together.
        await store.transaction(async (tx) => {
          await tx.notifications.enqueueNotification({ kind: 'counsellor_digest', counsellorId: c.id, day, since: c.since.toISOString(), until: now.toISOString() });
          await tx.digest.markDigestQueued(c.id, now);
        });
        queued++;
      }
      return { queued };
    },
  };
}

/** The first alert run looks this far back; later runs start where the last one ended. */
const ALERT_FIRST_LOOKBACK_MS = 7 * 86_400_000;
/**
 * Each run also looks this far before the last one: a mission written by an import whose transaction committed
 * after the last run had started is still seen (the alerted-mission record keeps it from going twice).
 */
const ALERT_OVERLAP_MS = 10 * 60_000;
/** Young people queued per transaction. */
const ALERT_BATCH = 500;

/**
 * Mission alerts, every hour: open missions published since the last run are matched against every saved search
 * in one statement, and each young person's matches go into their one grouped message of the day (ids only;
 * rendered at delivery). Found in quiet hours, it is queued for 08:00 (the row's next-attempt time).
 */
export function missionAlerts(store: Store): ScheduledJob {
  const name = 'mission-alerts';
  return {
    name,
    dueRun: (now) => `${name}:${parisDateKey(now)}T${String(parisHour(now)).padStart(2, '0')}`,
    async run(now) {
      const last = await store.jobRuns.lastJobRunAsOf(name);
      const since = new Date(Math.min(last?.getTime() ?? now.getTime() - ALERT_FIRST_LOOKBACK_MS, now.getTime()) - ALERT_OVERLAP_MS);
      const matches = await store.alerts.matchNewMissions(since, now);
      const slots = alertSlots(now);
      const totals = { youth: matches.size, messages: 0, appended: 0, missions: 0 };
      const entries = [...matches.entries()];
      for (let i = 0; i < entries.length; i += ALERT_BATCH) {
        const batch = new Map(entries.slice(i, i + ALERT_BATCH));
        // Each batch commits on its own: a run cut short keeps what it queued, and the next run does the rest.
        const r = await store.transaction((tx) => tx.alerts.queueMissionAlerts(batch, slots, now));
        totals.messages += r.messages;
        totals.appended += r.appended;
        totals.missions += r.missions;
      }
      return totals;
    },
  };
}

export interface Scheduler {
  /** Runs every due, unclaimed run now, inline; returns what ran. */
  runDue(now: Date): Promise<{ name: string; runKey: string; result: Record<string, number> }[]>;
  /** Starts the periodic check in the service (queues due runs on the job engine). */
  start(): Promise<void>;
  stop(): void;
}

const SCHEDULED_JOB = 'scheduled-job';

export function createScheduler(deps: { store: Store; jobs: JobQueue; definitions: ScheduledJob[]; log: Logger; metrics?: DeliveryMetrics; intervalMs: number }): Scheduler {
  const { store, jobs, definitions, log } = deps;
  const metrics = deps.metrics ?? noMetrics;
  let timer: NodeJS.Timeout | undefined;

  async function runOne(def: ScheduledJob, runKey: string, now: Date) {
    if (!(await store.jobRuns.claimJobRun(def.name, runKey, now))) return null;
    try {
      const result = await def.run(now);
      await store.jobRuns.finishJobRun(runKey, 'ok');
      metrics.recordJobRun(def.name, 'ok');
      log.info({ job: def.name, runKey, ...result }, 'job run');
      return result;
    } catch (err) {
      await store.jobRuns.finishJobRun(runKey, (err as Error)?.name ?? 'error').catch(() => undefined);
      metrics.recordJobRun(def.name, 'error');
      log.error({ job: def.name, runKey, type: (err as Error)?.name }, 'job run failed');
      throw err;
    }
  }

  return {
    async runDue(now) {
      const ran: { name: string; runKey: string; result: Record<string, number> }[] = [];
      for (const def of definitions) {
        const runKey = def.dueRun(now);
        if (!runKey) continue;
        const result = await runOne(def, runKey, now);
        if (result) ran.push({ name: def.name, runKey, result });
      }
      return ran;
    },
    async start() {
      await jobs.work(
        SCHEDULED_JOB,
        async (data) => {
          const def = definitions.find((d) => d.name === data.name);
          if (def && typeof data.runKey === 'string') await runOne(def, data.runKey, new Date()).catch(() => undefined);
        },
        { concurrency: 1 },
      );
      const tick = async () => {
        const now = new Date();
        for (const def of definitions) {
          const runKey = def.dueRun(now);
          if (runKey && !(await store.jobRuns.hasJobRun(runKey))) await jobs.send(SCHEDULED_JOB, { name: def.name, runKey }, { key: runKey });
        }
      };
      timer = setInterval(() => void tick().catch((err: unknown) => log.warn({ type: (err as Error)?.name }, 'scheduler tick failed')), deps.intervalMs);
      timer.unref();
      void tick().catch(() => undefined);
    },
    stop() {
      if (timer) clearInterval(timer);
    },
  };
}
