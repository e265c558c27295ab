/**
 * The service's Prometheus metrics (prom-client), defined once here and served at `/metrics`.
 * Other modules never touch prom-client: they call the small recording functions below, whose labels are
 * bounded sets (channel, intent, outcome, state, queue or job name), never ids or texts.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

const registry = new Registry();
// Process figures (resident memory, CPU, event-loop lag, GC), prefixed like ours.
collectDefaultMetrics({ register: registry, prefix: 'mj_' });

const turns = new Counter({
  name: 'mj_turns_total',
  help: 'Conversation turns handled, by channel, intent and outcome.',
  labelNames: ['channel', 'intent', 'outcome'] as const,
  registers: [registry],
});

const turnSeconds = new Histogram({
  name: 'mj_turn_duration_seconds',
  help: 'Time to handle one turn in the core (from the inbound event to the reply), by channel.',
  labelNames: ['channel'] as const,
  // Most turns take a few milliseconds; the slow tail (a busy database) is what the upper buckets show.
  buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  registers: [registry],
});

const deliveries = new Counter({
  name: 'mj_deliveries_total',
  help: 'Outgoing messages (replies and proactive notifications) by channel and state reached.',
  labelNames: ['channel', 'state'] as const,
  registers: [registry],
});

const queueDepth = new Gauge({
  name: 'mj_queue_depth',
  help: 'Items waiting in a queue (pending notifications, jobs), as last observed.',
  labelNames: ['queue'] as const,
  registers: [registry],
});

const jobRuns = new Counter({
  name: 'mj_job_runs_total',
  help: 'Runs of background jobs, by job and outcome.',
  labelNames: ['job', 'outcome'] as const,
  registers: [registry],
});

const jobSeconds = new Histogram({
  name: 'mj_job_duration_seconds',
  help: 'Duration of background job runs, by job.',
  labelNames: ['job'] as const,
  buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60],
  registers: [registry],
});

/** How a turn ended: answered normally, skipped as a redelivery, refused before the core, or failed. */
export type TurnOutcome = 'answered' | 'duplicate' | 'rate_limited' | 'invalid' | 'unavailable' | 'error';

/** Counts one turn and observes its latency. `intent` is the core's intent name (a bounded set). */
export function recordTurn(turn: { channel: string; intent: string; outcome: TurnOutcome; seconds: number }): void {
  turns.inc({ channel: turn.channel, intent: turn.intent, outcome: turn.outcome });
  turnSeconds.observe({ channel: turn.channel }, turn.seconds);
}

/**
 * The states an outgoing message can reach: `sent`; `retry` (a passing failure, tried again later: 429,
 * network, 5xx); `failed` (gave up after the last attempt); `unreachable` (a permanent refusal: 400/403,
 * blocked bot, deactivated user; the address is marked and never retried).
 */
export type DeliveryState = 'sent' | 'retry' | 'failed' | 'unreachable';

/** Counts `count` outgoing messages on `channel` reaching `state`; called by the delivery engine at each attempt's end. */
export function recordDelivery(channel: string, state: DeliveryState, count = 1): void {
  if (count > 0) deliveries.inc({ channel, state }, count);
}

/** Sets the current depth of a named queue (e.g. `notifications`, a pg-boss queue name); call it when you count it. */
export function setQueueDepth(queue: string, depth: number): void {
  queueDepth.set({ queue }, depth);
}

/** Counts one run of a background job (`outcome` `ok` or `error`) and observes its duration in seconds. */
export function recordJobRun(job: string, outcome: 'ok' | 'error', seconds: number): void {
  jobRuns.inc({ job, outcome });
  jobSeconds.observe({ job }, seconds);
}

/** The Content-Type of the exposition format `metricsText` returns. */
export const METRICS_CONTENT_TYPE = registry.contentType;

/** Every metric in the Prometheus text exposition format, for `GET /metrics`. */
export function metricsText(): Promise<string> {
  return registry.metrics();
}
