/**
 * Reply -> Adaptive Card (schema 1.5), pure functions. Dynamic text goes into RichTextBlock/TextRun elements,
 * which hosts never parse as markdown; the few places that are parsed (FactSet, headings) are escaped, so a
 * youth's name or a counsellor's note can never inject links or formatting.
 */
import type { Block, Button, Card, Reply, Segment } from '../../src/core/types.js';

export type CardElement = Record<string, unknown>;
export interface AdaptiveCard {
  type: 'AdaptiveCard';
  $schema: string;
  version: '1.5';
  body: CardElement[];
  fallbackText?: string;
}

export const ADAPTIVE_CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';
/** Hosts cap the buttons of one action set (Teams shows 6); longer menus are split into several rows. */
const MAX_ACTIONS_PER_SET = 5;

/** Escapes the characters Adaptive Card markdown (Teams, markdown-it) gives a meaning to. */
export function escapeMarkdown(s: string): string {
  return s
    .replace(/[\\`*_[\]()#>~<]/g, '\\$&')
    .replace(/^(\s*)([-+])/gm, '$1\\$2')
    .replace(/^(\s*\d+)\./gm, '$1\\.');
}

function textRun(s: Segment): CardElement {
  if (typeof s === 'string') return { type: 'TextRun', text: s };
  if ('bold' in s) return { type: 'TextRun', text: s.bold, weight: 'Bolder' };
  if ('italic' in s) return { type: 'TextRun', text: s.italic, italic: true };
  // Only web links become clickable: a javascript: or file: URL stays plain text.
  return /^https?:\/\//i.test(s.url) ? { type: 'TextRun', text: s.link, selectAction: { type: 'Action.OpenUrl', url: s.url } } : { type: 'TextRun', text: s.link };
}

/** Splits segments on new lines: one RichTextBlock per line keeps line breaks on every host. */
function lines(segments: Segment[]): Segment[][] {
  const out: Segment[][] = [[]];
  for (const seg of segments) {
    const value = typeof seg === 'string' ? seg : 'bold' in seg ? seg.bold : 'italic' in seg ? seg.italic : seg.link;
    const parts = value.split('\n');
    parts.forEach((part, i) => {
      if (i > 0) out.push([]);
      if (part === '') return;
      const piece: Segment = typeof seg === 'string' ? part : 'bold' in seg ? { bold: part } : 'italic' in seg ? { italic: part } : { link: part, url: seg.url };
      out[out.length - 1]!.push(piece);
    });
  }
  return out.filter((l) => l.length > 0);
}

function richText(segments: Segment[], extra: CardElement = {}): CardElement[] {
  return lines(segments).map((l, i) => ({ type: 'RichTextBlock', inlines: l.map(textRun), ...(i > 0 ? { spacing: 'None' } : {}), ...extra }));
}

function heading(textValue: string): CardElement {
  return { type: 'RichTextBlock', inlines: [{ type: 'TextRun', text: textValue, weight: 'Bolder', size: 'Medium' }] };
}

/** A button as an Action.Submit; the core's opaque action comes back as `activity.value.action`. */
export function submitAction(b: Button): CardElement {
  const style = b.style === 'primary' ? 'positive' : b.style === 'danger' ? 'destructive' : undefined;
  return { type: 'Action.Submit', title: b.label, data: { action: b.action }, ...(style ? { style } : {}) };
}

function actionSets(list: Button[]): CardElement[] {
  const sets: CardElement[] = [];
  for (let i = 0; i < list.length; i += MAX_ACTIONS_PER_SET) sets.push({ type: 'ActionSet', actions: list.slice(i, i + MAX_ACTIONS_PER_SET).map(submitAction) });
  return sets;
}

function factSet(facts: { label: string; value: string }[]): CardElement {
  return { type: 'FactSet', facts: facts.map((f) => ({ title: escapeMarkdown(f.label), value: escapeMarkdown(f.value) })) };
}

function cardItem(c: Card): CardElement {
  const title = c.ref ? `${c.ref}. ${c.title}` : c.title;
  const items: CardElement[] = [{ type: 'RichTextBlock', inlines: [{ type: 'TextRun', text: title, weight: 'Bolder' }] }];
  if (c.subtitle) items.push({ type: 'RichTextBlock', spacing: 'None', inlines: [{ type: 'TextRun', text: c.subtitle, isSubtle: true }] });
  if (c.fields.length > 0) items.push(factSet(c.fields));
  items.push(...actionSets(c.buttons));
  return { type: 'Container', separator: true, spacing: 'Medium', items };
}

/** One block of the core's reply as card elements. */
export function renderBlock(b: Block): CardElement[] {
  switch (b.type) {
    case 'text':
      return richText(b.segments);
    case 'cards':
      return [...(b.heading ? [heading(b.heading)] : []), ...b.cards.map(cardItem), ...(b.more ? actionSets([b.more]) : [])];
    case 'facts': {
      const openers = b.facts.filter((f) => f.action).map((f) => ({ label: `${f.label} (${f.value})`, action: f.action! }));
      return [...(b.heading ? [heading(b.heading)] : []), factSet(b.facts), ...actionSets(openers)];
    }
    case 'buttons':
      return actionSets(b.buttons);
    case 'source':
      return richText([
        { italic: 'Source : ' },
        { link: b.label, url: b.url },
        { italic: ` (vérifié le ${b.verifiedOn})${b.note ? `. ${b.note}` : ''}` },
      ]);
  }
}

/** The whole reply as one Adaptive Card (the core pages lists, so a card never holds more than ~10 items). */
export function renderCard(reply: Reply): AdaptiveCard {
  const body = reply.blocks.flatMap(renderBlock);
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.5',
    body: body.length > 0 ? body : richText(['…']),
    fallbackText: summaryOf(reply),
  };
}

/** A short plain-text summary (notification previews, hosts without card support). */
export function summaryOf(reply: Reply): string {
  for (const b of reply.blocks) {
    const t = b.type === 'text' ? b.segments.map((s) => (typeof s === 'string' ? s : 'bold' in s ? s.bold : 'italic' in s ? s.italic : s.link)).join('') : b.type === 'cards' || b.type === 'facts' ? (b.heading ?? '') : '';
    if (t.trim()) return t.trim().split('\n')[0]!.slice(0, 200);
  }
  return 'Mission Jeunes';
}

/** The Bot Framework message activity carrying the card; nothing for an empty reply. */
export function renderActivity(reply: Reply): { type: 'message'; summary: string; attachments: { contentType: string; content: AdaptiveCard }[] } | null {
  if (reply.blocks.length === 0) return null;
  return { type: 'message', summary: summaryOf(reply), attachments: [{ contentType: ADAPTIVE_CARD_CONTENT_TYPE, content: renderCard(reply) }] };
}
