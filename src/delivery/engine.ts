import type { Logger } from 'pino';
import type { Outbox, Delivery } from '../core/outbox.js';
import type { Reply } from '../core/types.js';
import type { Store } from '../store/index.js';
import type { JobQueue } from '../store/jobs.js';
import type { DeliverableChannel } from '../store/repos/notifications.js';
import { DeliveryFailure } from './failure.js';
import { noMetrics, type DeliveryMetrics } from './metrics.js';
import type { Pacer } from './pace.js';
import type { RetryPolicy } from './retry-policy.js';

/**
 * The delivery engine: every message that leaves outside a turn (proactive alerts and proposals, replies the
 * platform refused for a passing reason) is a row of the store with attempts, a next-attempt time and a final
 * state. Due rows become jobs of the job engine (pg-boss on PostgreSQL, keyed by row so a row is queued once);
 * a job prepares the message from the store, waits for its slot in the send rate, hands it to the channel,
 * and records the outcome the retry policy decides. Replies inside a turn do not come here: they are sent at
 * once by the adapter, and only handed over when they could not be.
 */

/** A channel adapter as the engine sees it. */
export interface ChannelSender {
  readonly name: DeliverableChannel;
  /** False when the channel is off (no token): its messages stay pending until it is on. */
  canSend(): boolean;
  /** Sends the delivery (skipping `skipParts` messages); throws a `DeliveryFailure` saying how it failed. */
  send(delivery: Delivery): Promise<void>;
}

/** What channel adapters may ask of the engine. */
export interface DeliveryPort {
  /** Hands over a turn's reply that the platform refused for a passing reason; it is sent later, once. */
  deferReply(input: { channel: 'telegram'; address: string; reply: Reply; eventId: string; failure: DeliveryFailure }): Promise<void>;
  /** The platform refused a reply for good (bot blocked): nothing more is sent to that address. */
  markUnreachable(channel: DeliverableChannel, addressKey: string, code: string): Promise<void>;
  /** The user is back (unblocked the bot): proactive messages may go again. */
  markReachable(channel: DeliverableChannel, addressKey: string): Promise<void>;
}

export type AttemptOutcome = 'sent' | 'retry' | 'failed' | 'unreachable' | 'waiting' | 'skipped';

export interface DeliveryEngine extends DeliveryPort {
  /** The channels that send (set once the channel adapters exist). */
  attach(senders: ChannelSender[]): void;
  /** Starts the job workers and the periodic relay of due rows to the job engine. */
  start(): Promise<void>;
  /** Queues a job for every due row (what the periodic relay does); returns how many were due. */
  sweep(): Promise<number>;
  /** One attempt at one message (the job's work). */
  deliver(notificationId: number): Promise<AttemptOutcome>;
  /** Attempts every due message now, in this call (`npm run jobs -- --once`, tests); returns the outcomes. */
  runDue(): Promise<Record<AttemptOutcome, number>>;
  stop(): Promise<void>;
}

export interface DeliveryEngineDeps {
  store: Store;
  outbox: Outbox;
  jobs: JobQueue;
  pacer: Pacer;
  policy: RetryPolicy;
  log: Logger;
  metrics?: DeliveryMetrics;
  now?: () => Date;
  /** How often due rows are relayed to the job engine. */
  sweepIntervalMs: number;
  /** Deliveries at once per process. */
  concurrency?: number;
}

export const DELIVER_JOB = 'deliver-notification';
/** Longer than a slow send plus the pacer's longest wait: past it, an attempt whose process died is due again. */
const LEASE_MS = 120_000;
/** How often an alert waiting for its address (a counsellor who never opened the bot) is looked at again. */
const ADDRESS_RECHECK_MS = 60_000;
const SWEEP_BATCH = 500;

export function createDeliveryEngine(deps: DeliveryEngineDeps): DeliveryEngine {
  const { store, outbox, jobs, pacer, policy, log } = deps;
  const metrics = deps.metrics ?? noMetrics;
  const clock = deps.now ?? (() => new Date());
  const senders = new Map<DeliverableChannel, ChannelSender>();
  let timer: NodeJS.Timeout | undefined;
  let sweeping = false;

  const enabledChannels = () => [...senders.values()].filter((s) => s.canSend()).map((s) => s.name);
  const queue = (id: number) => jobs.send(DELIVER_JOB, { id }, { key: `n${id}` });

  function record(id: number, channel: string, outcome: AttemptOutcome, extra: Record<string, unknown> = {}) {
    if (outcome === 'sent' || outcome === 'retry' || outcome === 'failed' || outcome === 'unreachable') metrics.recordDelivery(outcome);
    const level = outcome === 'failed' || outcome === 'unreachable' ? 'warn' : 'info';
    log[level]({ notificationId: id, channel, outcome, ...extra }, 'delivery attempt');
  }

  async function deliver(id: number): Promise<AttemptOutcome> {
    const now = clock();
    if (!(await store.notifications.claimNotification(id, now, LEASE_MS))) return 'skipped';
    const n = await store.notifications.findNotification(id);
    if (!n || n.status !== 'pending') return 'skipped';
    const sender = senders.get(n.channel);
    if (!sender?.canSend()) {
      await store.notifications.scheduleNotificationRetry(id, { at: new Date(now.getTime() + deps.sweepIntervalMs), error: 'channel off', partsSent: n.partsSent, countAttempt: false });
      return 'waiting';
    }
    const prepared = await outbox.prepare(n, now);
    if (prepared.state === 'waiting' && prepared.why === 'quiet_hours') {
      await store.notifications.scheduleNotificationRetry(id, { at: prepared.until, error: 'quiet hours', partsSent: n.partsSent, countAttempt: false });
      return 'waiting';
    }
    if (prepared.state === 'waiting') {
      const at = new Date(now.getTime() + ADDRESS_RECHECK_MS);
      if (at.getTime() - n.createdAt.getTime() > 7 * 24 * 3_600_000) {
        await store.notifications.finishNotification(id, 'failed', 'no address', false);
        record(id, n.channel, 'failed', { why: 'no_address' });
        return 'failed';
      }
      await store.notifications.scheduleNotificationRetry(id, { at, error: 'no address', partsSent: n.partsSent, countAttempt: false });
      return 'waiting';
    }
    if (prepared.state === 'drop') {
      const status = prepared.why === 'address_unreachable' ? 'unreachable' : 'failed';
      await store.notifications.finishNotification(id, status, prepared.why, false);
      record(id, n.channel, status, { why: prepared.why });
      return status;
    }
    const d = prepared.delivery;
    await pacer.wait(`${d.channel}:${d.addressKey}`);
    try {
      await sender.send(d);
    } catch (err) {
      const failure = err instanceof DeliveryFailure ? err : new DeliveryFailure('server', `error ${(err as Error)?.name ?? typeof err}`);
      return afterFailure(n.id, n.channel, d, n.attempts + 1, n.createdAt, failure);
    }
    await store.notifications.markNotificationSent(id, d.skipParts);
    record(id, n.channel, 'sent', { attempt: n.attempts + 1 });
    // The message is out whatever follows: a failure here is logged, not a failed delivery to retry.
    await prepared.sent?.().catch((err: unknown) => deps.log.warn({ notificationId: id, type: (err as Error)?.name }, 'after-send step failed'));
    return 'sent';
  }

  async function afterFailure(id: number, channel: DeliverableChannel, d: Delivery, attempt: number, createdAt: Date, failure: DeliveryFailure): Promise<AttemptOutcome> {
    const now = clock();
    const decision = policy.decide(failure, attempt, createdAt, now);
    const partsSent = d.skipParts + failure.sentParts;
    const extra = { attempt, code: failure.code, class: failure.failureClass };
    if (decision.action === 'retry') {
      await store.notifications.scheduleNotificationRetry(id, { at: decision.at, error: failure.code, partsSent });
      // The relay queues it again once due: a job queued now for later would hold the row's key in the job
      // engine, and the row's time is the one truth (it may be moved, e.g. by an operator).
      record(id, channel, 'retry', { ...extra, nextAttemptAt: decision.at.toISOString() });
      return 'retry';
    }
    if (decision.action === 'unreachable') {
      await store.notifications.finishNotification(id, 'unreachable', failure.code);
      await store.notifications.markAddressUnreachable(channel, d.addressKey, failure.code);
      record(id, channel, 'unreachable', extra);
      return 'unreachable';
    }
    await store.notifications.finishNotification(id, 'failed', `${failure.code} (${decision.why})`);
    record(id, channel, 'failed', { ...extra, why: decision.why });
    return 'failed';
  }

  async function sweep(): Promise<number> {
    const channels = enabledChannels();
    const due = await store.notifications.listDueNotifications(channels, clock(), SWEEP_BATCH);
    for (const id of due) await queue(id);
    metrics.setQueueDepth(await store.notifications.countPendingNotifications(channels));
    return due.length;
  }

  return {
    attach(list) {
      for (const s of list) senders.set(s.name, s);
    },
    async start() {
      await jobs.work(
        DELIVER_JOB,
        async (data) => {
          const id = Number(data.id);
          try {
            await deliver(id);
            metrics.recordJobRun(DELIVER_JOB, 'ok');
          } catch (err) {
            // The store is down, most likely: the row stays due (its lease ends) and the relay queues it again.
            metrics.recordJobRun(DELIVER_JOB, 'error');
            log.warn({ notificationId: id, type: (err as Error)?.name }, 'delivery job failed');
          }
        },
        { concurrency: deps.concurrency ?? 10 },
      );
      timer = setInterval(() => {
        if (sweeping) return;
        sweeping = true;
        sweep()
          .catch((err: unknown) => log.warn({ type: (err as Error)?.name }, 'delivery relay failed'))
          .finally(() => (sweeping = false));
      }, deps.sweepIntervalMs);
      timer.unref();
    },
    sweep,
    deliver,
    async runDue() {
      const counts: Record<AttemptOutcome, number> = { sent: 0, retry: 0, failed: 0, unreachable: 0, waiting: 0, skipped: 0 };
      const due = await store.notifications.listDueNotifications(enabledChannels(), clock(), SWEEP_BATCH);
      for (const id of due) counts[await deliver(id)]++;
      return counts;
    },
    async stop() {
      if (timer) clearInterval(timer);
      await jobs.stop();
    },
    async deferReply({ channel, address, reply, eventId, failure }) {
      const now = clock();
      const decision = policy.decide(failure, 1, now, now);
      const notBefore = decision.action === 'retry' ? decision.at : now;
      const id = await store.notifications.enqueueDeferredReply({ kind: 'deferred_reply', channel, address, reply: reply as never, eventId, partsSent: failure.sentParts, notBefore });
      metrics.recordDelivery('deferred');
      log.info({ notificationId: id, channel, code: failure.code, nextAttemptAt: notBefore.toISOString() }, 'reply deferred to the delivery queue');
    },
    async markUnreachable(channel, addressKey, code) {
      await store.notifications.markAddressUnreachable(channel, addressKey, code);
      log.info({ channel, code }, 'address marked unreachable');
    },
    async markReachable(channel, addressKey) {
      await store.notifications.markAddressReachable(channel, addressKey);
    },
  };
}
