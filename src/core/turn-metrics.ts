import { recordTurn, type TurnOutcome } from '../shared/metrics.js';
import { channelSchema, type Assistant, type TurnResult } from './types.js';

/** Intents the assistant returns for turns it refused or that failed, mapped to their outcome. */
const OUTCOME_OF_INTENT: Record<string, TurnOutcome> = {
  rate_limited: 'rate_limited',
  invalid_event: 'invalid',
  store_unavailable: 'unavailable',
  error: 'error',
};

function outcomeOf(result: TurnResult): TurnOutcome {
  if (result.duplicate) return 'duplicate';
  return OUTCOME_OF_INTENT[result.intent ?? ''] ?? 'answered';
}

/**
 * The assistant with every turn counted and timed (`mj_turns_total`, `mj_turn_duration_seconds`).
 * Wrapping the one door into the core sees every outcome (refused, redelivered, failed, answered) without
 * the turn pipeline knowing about metrics.
 */
export function withTurnMetrics(assistant: Assistant): Assistant {
  return {
    async handle(event) {
      const started = performance.now();
      const result = await assistant.handle(event);
      recordTurn({
        // An invalid event may carry any channel string: labels stay a bounded set.
        channel: channelSchema.safeParse(event.channel).data ?? 'unknown',
        intent: result.duplicate ? 'duplicate' : (result.intent ?? 'none'),
        outcome: outcomeOf(result),
        seconds: (performance.now() - started) / 1000,
      });
      return result;
    },
  };
}
