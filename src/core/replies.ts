import type { Block, Button, Card, Reply, SectionItem, Segment } from './types.js';
import { encodeAction, type Action, type CoreIntent } from './actions.js';
import { intentLabel, type IntentName } from '../nlu/index.js';
import { segmentValue } from './segments.js';

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
/**
 * A button starting an intent, labelled from the intent catalogue (src/nlu/data/intents.json) unless the place
 * needs other words ("🔎 Autres missions"); the core's own intents (`CORE_INTENTS`) always say theirs.
 */
export function intentButton(intent: IntentName, label?: string): Button;
export function intentButton(intent: CoreIntent, label: string): Button;
export function intentButton(intent: CoreIntent, label?: string): Button {
  return button(label ?? intentLabel(intent as IntentName), { kind: 'intent', intent });
}

/** A reply's plain text, for tests and for channels with no rich rendering. */
export const segmentText = segmentValue;

/** A section line as text, its date first ("12/03/2026 · téléphone"): the one wording every text channel uses. */
export function sectionItemText(item: SectionItem): string {
  return item.date ? `${item.date.text} · ${item.text}` : item.text;
}
