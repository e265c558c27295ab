import type { Block, Card, Reply, Segment } from '../../src/core/types.js';
import { sectionItemText } from '../../src/core/replies.js';
import { segmentValue, sourceSegments, withValue } from '../../src/core/segments.js';
import { escapeHtml, linkHtml, splitHtml, visibleLength } from './html.js';
import { layoutRows, toCallbackButton, type KeyboardRow } from './keyboard.js';

/** Telegram's cap on a message's text, counted after parsing: tags do not count (`visibleLength`). */
export const MAX_MESSAGE_LENGTH = 4_096;
/** Telegram accepts at most 100 buttons under one message. */
const MAX_BUTTONS = 100;
/** Telegram refuses an empty text: a reply made only of buttons gets this line above them. */
export const BUTTONS_ONLY_TEXT = 'Choisis :';

/** One Telegram message: HTML text (parse_mode HTML) and its inline keyboard. */
export interface TelegramMessage {
  html: string;
  keyboard: KeyboardRow[];
}

/** A unit the packer never cuts between messages unless it alone is too long. */
interface Piece {
  html: string;
  rows: KeyboardRow[];
}
interface RenderedBlock {
  pieces: Piece[];
  /** Between two pieces of the same block in one message. */
  joiner: string;
}

/** A segment as HTML: bold, italic, link (http/https only), or plain, every value escaped. */
export function renderSegment(s: Segment): string {
  if (typeof s === 'string') return escapeHtml(s);
  if ('bold' in s) return wrap('b', s.bold);
  if ('italic' in s) return wrap('i', s.italic);
  return linkHtml(s.link, s.url);
}

/** A segment's text alone, escaped (inside a line the renderer already wraps). */
function renderPlain(s: Segment): string {
  return escapeHtml(segmentValue(s));
}

function wrap(tag: 'b' | 'i', value: string): string {
  return value ? `<${tag}>${escapeHtml(value)}</${tag}>` : '';
}

/**
 * A text block as lines, so a long text is split at line ends. A formatted segment spanning several lines
 * is wrapped line by line, which keeps every line well-formed on its own.
 */
function textLines(segments: Segment[]): string[] {
  const lines: string[] = [''];
  for (const s of segments) {
    segmentValue(s).split('\n').forEach((part, i) => {
      if (i > 0) lines.push('');
      lines[lines.length - 1] += part ? renderSegment(withValue(s, part)) : '';
    });
  }
  // A blank line rides on the next line, so blank lines survive packing yet vanish at a message cut.
  const out: string[] = [];
  let blanks = '';
  for (const line of lines) {
    if (line === '') blanks += '\n';
    else {
      out.push(blanks + line);
      blanks = '';
    }
  }
  return out;
}

function renderCard(card: Card, index: number): string {
  const lines = [`<b>${escapeHtml(card.ref ?? String(index + 1))}. ${escapeHtml(card.title)}</b>`];
  if (card.subtitle) lines.push(`<i>${escapeHtml(card.subtitle)}</i>`);
  for (const f of card.fields) lines.push(`${escapeHtml(f.label)} : ${escapeHtml(f.value)}`);
  return lines.join('\n');
}

function renderBlock(block: Block): RenderedBlock {
  switch (block.type) {
    case 'text':
      return { joiner: '\n', pieces: textLines(block.segments).map((html) => ({ html, rows: [] })) };
    case 'cards': {
      const pieces: Piece[] = [];
      if (block.heading) pieces.push({ html: `<b>${escapeHtml(block.heading)}</b>`, rows: [] });
      if (block.note) pieces.push({ html: `<i>${escapeHtml(block.note)}</i>`, rows: [] });
      // With several cards the buttons carry the card's number, so "Voir" under a list says which one.
      const numbered = block.cards.length > 1;
      block.cards.forEach((card, i) => {
        const prefix = numbered ? `${card.ref ?? i + 1}. ` : '';
        pieces.push({ html: renderCard(card, i), rows: layoutRows(card.buttons, prefix) });
      });
      // Paging: "⬅️ précédent" and "voir plus" side by side under the list.
      const paging = [block.previous, block.more].filter((b) => b !== undefined).map((b) => toCallbackButton(b)).filter((b) => b !== null);
      if (paging.length > 0) pieces.push({ html: '', rows: [paging] });
      return { joiner: '\n\n', pieces };
    }
    case 'facts': {
      const pieces: Piece[] = [];
      if (block.heading) pieces.push({ html: `<b>${escapeHtml(block.heading)}</b>`, rows: [] });
      if (block.note) pieces.push({ html: `<i>${escapeHtml(block.note)}</i>`, rows: [] });
      for (const f of block.facts) pieces.push({ html: `${escapeHtml(f.label)} : <b>${escapeHtml(f.value)}</b>`, rows: [] });
      const withAction = block.facts.filter((f) => f.action !== undefined);
      const rows = layoutRows(withAction.map((f) => ({ label: `${f.label} (${f.value})`, action: f.action! })));
      if (rows.length > 0) pieces.push({ html: '', rows });
      return { joiner: '\n', pieces };
    }
    case 'section': {
      const title = `<b>${escapeHtml(block.title)}</b>${block.items.length === 0 && block.empty ? ` : ${escapeHtml(block.empty)}` : ''}`;
      return { joiner: '\n', pieces: [{ html: title, rows: [] }, ...block.items.map((item) => ({ html: `• ${escapeHtml(sectionItemText(item))}`, rows: [] }))] };
    }
    case 'buttons':
      return { joiner: '\n', pieces: [{ html: '', rows: layoutRows(block.buttons) }] };
    case 'source': {
      // The source line is italic as a whole, the link inside it.
      const [lead, link, tail] = sourceSegments(block);
      const html = `<i>${renderPlain(lead!)}${renderSegment(link!)}${renderPlain(tail!)}</i>`;
      return { joiner: '\n', pieces: [{ html, rows: [] }] };
    }
  }
}

const buttonCount = (rows: KeyboardRow[]) => rows.reduce((n, r) => n + r.length, 0);

/**
 * Renders a core reply as Telegram messages. Blocks are packed into as few messages as fit under `limit`,
 * cutting between blocks (then between lines or cards) and only cutting inside one when it alone is too long.
 * Buttons travel with the message that holds their card, so a split list keeps each card next to its buttons.
 */
export function renderReply(reply: Reply, limit = MAX_MESSAGE_LENGTH): TelegramMessage[] {
  const messages: TelegramMessage[] = [];
  let current: TelegramMessage = { html: '', keyboard: [] };
  const flush = () => {
    const html = current.html.trim();
    if (html || current.keyboard.length > 0) messages.push({ html: html || BUTTONS_ONLY_TEXT, keyboard: current.keyboard });
    current = { html: '', keyboard: [] };
  };

  for (const block of reply.blocks) {
    const { pieces, joiner } = renderBlock(block);
    pieces.forEach((piece, i) => {
      const parts = visibleLength(piece.html) > limit ? splitHtml(piece.html, limit) : [piece.html];
      parts.forEach((html, j) => {
        const last = j === parts.length - 1;
        const rows = last ? piece.rows : [];
        const sep = current.html === '' ? '' : i === 0 && j === 0 ? '\n\n' : joiner;
        const tooLong = html !== '' && current.html !== '' && visibleLength(current.html) + sep.length + visibleLength(html) > limit;
        const tooManyButtons = rows.length > 0 && buttonCount(current.keyboard) + buttonCount(rows) > MAX_BUTTONS;
        if (tooLong || tooManyButtons) flush();
        if (html !== '') current.html += (current.html === '' ? '' : sep) + html;
        current.keyboard.push(...rows);
      });
    });
  }
  flush();
  return messages;
}
