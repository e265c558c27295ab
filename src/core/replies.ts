import type { Block, Button, Card, Reply, Segment } from './types.js';
import { encodeAction, type Action } from './actions.js';

/** Small builders so handlers read as what they say. */
export function text(...segments: Segment[]): Block {
  return { type: 'text', segments };
}
export const bold = (s: string): Segment => ({ bold: s });
export const italic = (s: string): Segment => ({ italic: s });
export const link = (label: string, url: string): Segment => ({ link: label, url });

export function button(label: string, action: Action, style?: Button['style']): Button {
  return { label, action: encodeAction(action), ...(style ? { style } : {}) };
}
export function buttons(...list: Button[]): Block {
  return { type: 'buttons', buttons: list };
}
export function cards(list: Card[], heading?: string, more?: Button): Block {
  return { type: 'cards', cards: list, ...(heading ? { heading } : {}), ...(more ? { more } : {}) };
}
export function reply(...blocks: Block[]): Reply {
  return { blocks };
}
export function intentButton(label: string, intent: string): Button {
  return button(label, { kind: 'intent', intent });
}

/** A reply's plain text, for tests and for channels with no rich rendering. */
export function segmentText(s: Segment): string {
  if (typeof s === 'string') return s;
  if ('bold' in s) return s.bold;
  if ('italic' in s) return s.italic;
  return s.link;
}
