import type { Logger } from 'pino';
import type { Store, YouthIdentity, CounsellorView, CaseloadScope } from '../store/index.js';
import type { Understanding } from '../nlu/index.js';
import type { Action, CoreIntent } from './actions.js';
import type { Reference } from './policy.js';
import type { DialogueState } from './state.js';
import type { InboundEvent, Reply } from './types.js';

/** Who is talking. Decided once per turn from the channel identity, before anything is read. */
export type Actor =
  | { kind: 'anonymous'; channel: InboundEvent['channel']; channelUserId: string }
  | { kind: 'youth'; youth: YouthIdentity; channelUserId: string }
  | { kind: 'counsellor'; counsellor: CounsellorView; scope: CaseloadScope }
  /** A Teams user who is not a known counsellor: gets a refusal and nothing else. */
  | { kind: 'unknown_staff'; channelUserId: string };

/** Settings the core needs (a subset of the service configuration). */
export interface CoreConfig {
  linkCodeTtlHours: number;
  linkMaxAttempts: number;
  linkCooldownMinutes: number;
  /** Telegram bot username, for the deep link given with a link code; absent = no link, the code alone. */
  telegramBotUsername?: string;
  /** Messages per user per minute on every channel (default 20). */
  rateLimitPerMinute?: number;
}

export interface TurnContext {
  event: InboundEvent;
  actor: Actor;
  state: DialogueState;
  store: Store;
  now: Date;
  config: CoreConfig;
  log: Logger;
  /** Records an audit event for this actor on this channel. */
  audit(action: string, youthId?: number | null, detail?: Record<string, string | number | boolean | null>): Promise<void>;
}

export interface HandlerResult {
  reply: Reply;
  /** The next dialogue state; omitted = unchanged; null = forget it (data deletion). */
  state?: DialogueState | null;
}

/** The handlers of one role. The assistant picks the router from the actor. */
export interface Router {
  /** A decoded button press (untrusted: re-check rights on its ids). */
  onAction(ctx: TurnContext, action: Action): Promise<HandlerResult>;
  /**
   * An understood message, as the policy decided it (`policy.ts`): the intent, the NLU's reading (entities and
   * signals: what a handler needs of the words), and what the message points at when the policy resolved it.
   * `text` is the raw text (trimmed, bounded), for journeys that keep or search it whole (a note, the FAQ), never to re-read.
   */
  onIntent(ctx: TurnContext, intent: CoreIntent, understanding: Understanding, text: string, refers?: Reference): Promise<HandlerResult>;
  /** A message answering a pending question; undefined = not an answer, go through the NLU. */
  onPending?(ctx: TurnContext, understanding: Understanding, text: string): Promise<HandlerResult | undefined>;
}
