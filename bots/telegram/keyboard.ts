import type { InlineKeyboardButton } from 'grammy/types';
import { MAX_ACTION_LENGTH, type Button } from '../../src/core/types.js';

/** A Telegram inline button carrying a core action as callback data. */
export type CallbackButton = InlineKeyboardButton.CallbackButton;
/** One row of an inline keyboard. */
export type KeyboardRow = CallbackButton[];

/** Telegram truncates long button labels on phones; past this many characters we cut with an ellipsis. */
export const MAX_LABEL_LENGTH = 40;
/** Buttons per row and characters per row that still read well on a phone screen. */
const MAX_PER_ROW = 3;
const MAX_ROW_WIDTH = 36;

/** Shortens a label to `max` characters (code points, so an emoji is never cut in half). */
export function shortenLabel(label: string, max = MAX_LABEL_LENGTH): string {
  const cps = Array.from(label.replace(/\s+/g, ' ').trim());
  return cps.length <= max ? cps.join('') : `${cps.slice(0, max - 1).join('').trimEnd()}…`;
}

/** Callback data must be 1..64 bytes; a button that does not fit is dropped rather than sent broken. */
export function fitsCallbackData(action: string): boolean {
  const bytes = Buffer.byteLength(action, 'utf8');
  return bytes > 0 && bytes <= MAX_ACTION_LENGTH;
}

/** One core button as a Telegram callback button, or null when its payload cannot be carried. */
export function toCallbackButton(button: Button, prefix = ''): CallbackButton | null {
  if (!fitsCallbackData(button.action)) return null;
  const text = shortenLabel(`${prefix}${button.label}`);
  return text ? { text, callback_data: button.action } : null;
}

/**
 * Lays buttons out in rows: up to three short ones side by side, fewer when labels are long,
 * so every label stays readable.
 */
export function layoutRows(buttons: Button[], prefix = ''): KeyboardRow[] {
  const rows: KeyboardRow[] = [];
  let row: KeyboardRow = [];
  let width = 0;
  for (const b of buttons) {
    const cb = toCallbackButton(b, prefix);
    if (!cb) continue;
    const w = Array.from(cb.text).length;
    if (row.length > 0 && (row.length >= MAX_PER_ROW || width + w > MAX_ROW_WIDTH)) {
      rows.push(row);
      row = [];
      width = 0;
    }
    row.push(cb);
    width += w;
  }
  if (row.length > 0) rows.push(row);
  return rows;
}
