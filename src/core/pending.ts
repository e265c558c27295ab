import type { Understanding } from '../nlu/index.js';
import type { DialogueState, PendingQuestion } from './state.js';

/**
 * How long a question of the assistant (a confirmation, a yes/no check, a note to type) waits for its answer.
 * After that the question lapses: an "oui" typed the next day must not confirm a deletion asked yesterday.
 */
export const PENDING_ANSWER_WINDOW_MS = 5 * 60_000;

/** A question as a handler asks it; `askedAt` is stamped by `asking`. */
export type Question = PendingQuestion extends infer P ? (P extends { askedAt: string } ? Omit<P, 'askedAt'> : never) : never;

/** The state with `question` waiting for an answer, stamped with the turn's clock. */
export function asking(state: DialogueState, question: Question, now: Date): DialogueState {
  return { ...state, pending: { ...question, askedAt: now.toISOString() } as PendingQuestion };
}

/** True while the pending question may still be answered. */
export function isAnswerable(pending: PendingQuestion, now: Date): boolean {
  const askedAt = Date.parse(pending.askedAt);
  const age = now.getTime() - askedAt;
  return Number.isFinite(askedAt) && age >= 0 && age <= PENDING_ANSWER_WINDOW_MS;
}

/** The state without its pending question once that question has lapsed (same object when nothing changes). */
export function withoutLapsedQuestion(state: DialogueState, now: Date): DialogueState {
  return state.pending && !isAnswerable(state.pending, now) ? { ...state, pending: undefined } : state;
}

/**
 * The answer a typed message gives to a yes/no question: only a message that is nothing but a yes or a no
 * ("oui", "ouais ok", "vas-y", "nan", "laisse tomber", "annule"). "ok jcherche du taf à Lyon" is a new request,
 * never a yes. Buttons answer through their own payload.
 */
export function bareAnswer(u: Understanding): 'yes' | 'no' | undefined {
  return u.signals.answer;
}
