import { safeUrl } from '../../src/core/segments.js';

/**
 * Telegram HTML helpers. Every value that reaches a message goes through `escapeHtml`, so a name, a note or
 * a mission title can never inject markup; only the tags the renderer writes itself are ever produced.
 */

/** Escapes the four characters Telegram's HTML parse mode treats specially. */
export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** `<a href>` when the URL may be a link (the core's one rule, `safeUrl`), the escaped label alone otherwise. */
export function linkHtml(label: string, url: string): string {
  const safe = safeUrl(url);
  return safe ? `<a href="${escapeHtml(safe)}">${escapeHtml(label)}</a>` : escapeHtml(label);
}

const TAG = /<\/?[a-z-]+(?:\s[^>]*)?>/g;
const ENTITY = /&(?:[a-z]+|#\d+);/g;

/**
 * The length Telegram checks against its 4,096 limit: the text after parsing, so tags count for nothing and an
 * entity for one character. Counted in UTF-16 code units as Telegram does (an emoji counts two).
 */
export function visibleLength(html: string): number {
  return html.replace(TAG, '').replace(ENTITY, '_').length;
}

const TOKEN = /<\/?[a-z-]+(?:\s[^>]*)?>|\s+|[^<\s]+/g;
/** A character or a whole entity: what a word too long to keep whole is cut between. */
const ATOM = /&[a-z]+;|./gsu;
/** Long words are cut so that any unit fits in a message whatever tags are open around it. */
const MAX_WORD = 200;

interface OpenTag {
  name: string;
  raw: string;
}

/**
 * Cuts well-formed Telegram HTML into chunks of at most `limit` visible characters (`visibleLength`), between words where possible,
 * never inside a tag or an entity: tags open at a cut are closed at the end of one chunk and reopened at the
 * start of the next. Used only for a single block too long for one message.
 */
export function splitHtml(html: string, limit: number): string[] {
  if (visibleLength(html) <= limit) return [html];
  const units: string[] = [];
  for (const token of html.match(TOKEN) ?? []) {
    if (token.startsWith('<') || token.length <= MAX_WORD) units.push(token);
    else for (let atoms: string[] = token.match(ATOM) ?? []; atoms.length > 0; atoms = atoms.slice(MAX_WORD)) units.push(atoms.slice(0, MAX_WORD).join(''));
  }

  const chunks: string[] = [];
  const stack: OpenTag[] = [];
  const closing = (tags: OpenTag[]) => tags.map((t) => `</${t.name}>`).reverse().join('');
  const reopening = (tags: OpenTag[]) => tags.map((t) => t.raw).join('');
  let current = '';
  /** `visibleLength(current)`, kept as units are added (tags add nothing). */
  let shown = 0;
  /** Whether `current` shows anything yet (a chunk of bare tags is never sent). */
  let visible = false;
  /** Tags opened at the very end of `current`, with nothing inside yet: a cut moves them to the next chunk. */
  let dangling = 0;

  for (const unit of units) {
    const name = /^<([a-z-]+)/.exec(unit)?.[1];
    const isClose = unit.startsWith('</');
    const isSpace = /^\s+$/.test(unit);
    const unitShown = name || isClose ? 0 : visibleLength(unit);
    if (visible && shown + unitShown > limit) {
      const kept = stack.slice(0, stack.length - dangling);
      const danglingRaw = reopening(stack.slice(kept.length));
      chunks.push((current.slice(0, current.length - danglingRaw.length) + closing(kept)).trim());
      current = reopening(stack);
      shown = 0;
      visible = false;
      if (isSpace) continue; // the cut replaces the space it happened at
    }
    current += unit;
    shown += unitShown;
    if (name) {
      stack.push({ name, raw: unit });
      dangling++;
    } else if (isClose) {
      stack.pop();
      dangling = Math.max(0, dangling - 1);
    } else {
      dangling = 0;
      if (!isSpace) visible = true;
    }
  }
  if (visible) chunks.push(current.trim());
  return chunks;
}
