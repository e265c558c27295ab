import { z } from 'zod';

/**
 * The core's contract with the channels. An adapter turns a platform update into an `InboundEvent`,
 * calls `Assistant.handle`, and renders the `Reply` it gets back. Nothing else crosses.
 */

export const channelSchema = z.enum(['telegram', 'teams', 'terminal']);
export type Channel = z.infer<typeof channelSchema>;

/** Maximum text the core reads; longer messages get a polite "too long" answer (Telegram's own cap is 4,096). */
export const MAX_TEXT_LENGTH = 1_000;
/** Opaque button payloads; Telegram callback data is capped at 64 bytes, so the core keeps them short. */
export const MAX_ACTION_LENGTH = 64;

export const inboundEventSchema = z.object({
  channel: channelSchema,
  /** Platform user id (Telegram user id, Teams AAD object id, or a terminal pseudo id). */
  channelUserId: z.string().min(1).max(200),
  channelConversationId: z.string().min(1).max(300),
  /** Free text typed by the user; may be empty, huge or odd: the core handles all of it. */
  text: z.string().optional(),
  /** A button press: the opaque `Button.action` the core produced earlier. */
  action: z.string().optional(),
  /** Extra fields of a card submit (Teams Action.Submit inputs), untrusted. */
  formData: z.record(z.string(), z.unknown()).optional(),
  locale: z.string().optional(),
  receivedAt: z.date(),
  /** Delivery id (Telegram update_id, Bot Framework activity id): a redelivery with the same id is not applied twice. */
  eventId: z.string().min(1).max(200),
  /**
   * How to reach this user proactively later (Teams conversation reference). Saved for known counsellors
   * so notifications can be delivered; ignored otherwise.
   */
  address: z.unknown().optional(),
  /** Display name given by the platform; used only for greetings, never stored or logged. */
  displayName: z.string().max(200).optional(),
});
export type InboundEvent = z.infer<typeof inboundEventSchema>;

/** A pressable button. `action` is opaque to adapters: they send it back verbatim in `InboundEvent.action`. */
export interface Button {
  label: string;
  action: string;
  /** Visual hint only. */
  style?: 'primary' | 'default' | 'danger';
}

/**
 * A point in time shown to the reader. `value` of the field holding it is the French text (Paris time) every
 * channel can show; a channel that formats dates in the reader's own locale and time zone (Teams' `{{DATE()}}`)
 * uses `iso` instead.
 */
export interface Moment {
  /** ISO 8601 in UTC, whole seconds ("2026-12-01T09:30:00Z"), the form Adaptive Card date functions accept. */
  iso: string;
  /** Show the time of day too (appointments), not only the date. */
  withTime?: boolean;
  /**
   * Fixed words of the core around the date ("prévue" in "12/03/2026 (prévue)"), never data from the store: a
   * channel formatting the date itself shows `before`, its date, then `after`. The field's `value` already reads so.
   */
  before?: string;
  after?: string;
}

/** A field of a card: "Salaire" -> "12,50 € brut/h". */
export interface Field {
  label: string;
  value: string;
  /** Set when the value is a date (or date and time): see `Moment`. */
  moment?: Moment;
}

/** A line of a `section`, optionally dated (shown before the text: "12/03/2026 · téléphone : rappelée"). */
export interface SectionItem {
  text: string;
  /** `text` of the date in French (Paris time), and the point in time for channels that format it themselves. */
  date?: { text: string; moment: Moment };
}

/** A figure of a dashboard; `group` names the theme it belongs to ("Alertes"), for channels that lay figures out by theme. */
export type Fact = Field & { action?: string; group?: string };

/** An item of a list (a mission, a measure, a youth, an application…). */
export interface Card {
  /** Position shown to the user ("1", "2"…) so "la 2" can refer to it. */
  ref?: string;
  title: string;
  subtitle?: string;
  fields: Field[];
  buttons: Button[];
}

/**
 * Text with light emphasis: segments are plain strings; renderers escape every segment
 * (Telegram HTML, Adaptive Card markdown), so user and database values can never inject markup.
 */
export type Segment = string | { bold: string } | { italic: string } | { link: string; url: string };

export type Block =
  | { type: 'text'; segments: Segment[] }
  /**
   * A list of cards with an optional heading, a "see more" (next page) and a "previous page" button.
   * `table` says every card has the same fields in the same order, so a channel with tables may show one row per
   * card (title, subtitle, then the fields, under these headers), the card's first button opening the row.
   * `note` says what the list counts, under its heading.
   */
  | { type: 'cards'; heading?: string; note?: string; cards: Card[]; more?: Button; previous?: Button; table?: { title: string; subtitle?: string } }
  /** Key figures (a dashboard): each may have a button opening its list. `note` qualifies them all (the period they cover). */
  | { type: 'facts'; heading?: string; note?: string; facts: Fact[] }
  /** A titled part of a longer reply (a youth file's contacts): channels may fold it; `empty` is shown when there are no items. */
  | { type: 'section'; title: string; items: SectionItem[]; empty?: string; collapsed?: boolean }
  /** Buttons offered after the message (quick replies). */
  | { type: 'buttons'; buttons: Button[] }
  /** A source line: where a fact comes from and when it was last verified. */
  | { type: 'source'; label: string; url: string; verifiedOn: string; note?: string };

export interface Reply {
  blocks: Block[];
  /**
   * When the reply replaces the message that carried the pressed button (paging a list), adapters may edit
   * that message instead of sending a new one.
   */
  replacesPrevious?: boolean;
}

/**
 * A reply read back from the store (a turn's kept reply, conversation.ts): this core wrote it from a `Reply`, so
 * the check is of its outline (blocks of known kinds), enough to refuse a row that is not one.
 */
export const replySchema = z
  .object({
    blocks: z.array(z.object({ type: z.enum(['text', 'cards', 'facts', 'section', 'buttons', 'source']) }).passthrough()),
    replacesPrevious: z.boolean().optional(),
  })
  .transform((r) => r as Reply);

/** What the core tells the adapter besides the reply. Proactive deliveries go through the store's outbox. */
export interface TurnResult {
  reply: Reply;
  /**
   * True when this delivery id was already handled: the turn did not run again. `reply` is then empty, or holds
   * the reply of the attempt that handled it when that attempt could not send it (its COMMIT was kept while its
   * database connection dropped): the adapter sends what `reply` holds, as for any turn.
   */
  duplicate: boolean;
  /** The understood intent, for metrics and tests (no text, no personal data). */
  intent?: string;
  /**
   * True when the turn failed for a passing reason (database down) and nothing was kept: an adapter whose
   * platform redelivers (Telegram webhook, Bot Framework) may answer with an error status so the message comes back.
   */
  retryable?: boolean;
}

/** The conversation core seen from an adapter. */
export interface Assistant {
  handle(event: InboundEvent): Promise<TurnResult>;
}
