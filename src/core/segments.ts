/**
 * What both renderers need to read the reply model the same way: a segment's text, which URLs may become links,
 * and the wording of a source line. One place, so Telegram and Teams never disagree on a rule.
 */
import type { Block, Segment } from './types.js';
import { formatShortDate } from './format.js';

/** A segment's visible text, whatever its emphasis. */
export function segmentValue(s: Segment): string {
  if (typeof s === 'string') return s;
  if ('bold' in s) return s.bold;
  if ('italic' in s) return s.italic;
  return s.link;
}

/** Segments as plain text (previews, summaries). */
export function plainSegments(segments: Segment[]): string {
  return segments.map(segmentValue).join('');
}

/** The same kind of segment with another text (a line of a multi-line segment). */
export function withValue(s: Segment, value: string): Segment {
  if (typeof s === 'string') return value;
  if ('bold' in s) return { bold: value };
  if ('italic' in s) return { italic: value };
  return { link: value, url: s.url };
}

/** Longer URLs are shown as plain text: a link that long is suspicious and would crowd the message. */
const MAX_URL_LENGTH = 2_048;

/**
 * The URL when it may become a clickable link, else null: only absolute http(s) URLs with a host;
 * `javascript:`, `file:`, `tg:`, relative or malformed URLs stay plain text on every channel.
 */
export function safeUrl(url: string): string | null {
  if (url.length > MAX_URL_LENGTH) return null;
  try {
    const u = new URL(url);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname.length > 0 ? url : null;
  } catch {
    return null;
  }
}

/** "2025-03-12" reads "12/03/2025"; a date the core already wrote in words is kept as it is. */
function verifiedOnText(s: string): string {
  return /^\d{4}-\d{2}-\d{2}$/.test(s) ? formatShortDate(new Date(`${s}T12:00:00Z`)) : s;
}

/** A source line as segments: "Source : <link> — vérifié le 12/03/2025 — note", in italics. */
export function sourceSegments(b: Extract<Block, { type: 'source' }>): Segment[] {
  return [{ italic: 'Source : ' }, { link: b.label, url: b.url }, { italic: ` — vérifié le ${verifiedOnText(b.verifiedOn)}${b.note ? ` — ${b.note}` : ''}` }];
}
