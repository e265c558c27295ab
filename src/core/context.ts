import type { Logger } from 'pino';
import type { Store, YouthIdentity, CounsellorView, CaseloadScope } from '../store/index.js';
import type { Understanding } from '../nlu/index.js';
import type { Action } from './actions.js';
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
  /** An understood message. `text` is the raw text (trimmed, bounded). */
  onIntent(ctx: TurnContext, intent: string, understanding: Understanding, text: string): Promise<HandlerResult>;
  /** A message answering a pending question; undefined = not an answer, go through the NLU. */
  onPending?(ctx: TurnContext, understanding: Understanding, text: string): Promise<HandlerResult | undefined>;
}
