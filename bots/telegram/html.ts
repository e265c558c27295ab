/**
 * Telegram HTML helpers. Every value that reaches a message goes through `escapeHtml`, so a name, a note or
 * a mission title can never inject markup; only the tags the renderer writes itself are ever produced.
 */

/** Escapes the four characters Telegram's HTML parse mode treats specially. */
export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Longer URLs are shown as plain text: a link that long is suspicious and would crowd the message. */
const MAX_URL_LENGTH = 2_048;

/** Only absolute http(s) URLs become links; `javascript:`, `tg:`, relative or malformed URLs do not. */
export function isSafeUrl(url: string): boolean {
  if (url.length > MAX_URL_LENGTH) return false;
  try {
    const u = new URL(url);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname.length > 0;
  } catch {
    return false;
  }
}

/** `<a href>` when the URL is safe, the escaped label alone otherwise. */
export function linkHtml(label: string, url: string): string {
  return isSafeUrl(url) ? `<a href="${escapeHtml(url)}">${escapeHtml(label)}</a>` : escapeHtml(label);
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
 * Cuts well-formed Telegram HTML into chunks of at most `limit` characters, between words where possible,
 * never inside a tag or an entity: tags open at a cut are closed at the end of one chunk and reopened at the
 * start of the next. Used only for a single block too long for one message.
 */
export function splitHtml(html: string, limit: number): string[] {
  if (html.length <= limit) return [html];
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
  /** Whether `current` shows anything yet (a chunk of bare tags is never sent). */
  let visible = false;
  /** Tags opened at the very end of `current`, with nothing inside yet: a cut moves them to the next chunk. */
  let dangling = 0;

  for (const unit of units) {
    const name = /^<([a-z-]+)/.exec(unit)?.[1];
    const isClose = unit.startsWith('</');
    const isSpace = /^\s+$/.test(unit);
    const after = name ? [...stack, { name, raw: unit }] : isClose ? stack.slice(0, -1) : stack;
    if (visible && current.length + unit.length + closing(after).length > limit) {
      const kept = stack.slice(0, stack.length - dangling);
      const danglingRaw = reopening(stack.slice(kept.length));
      chunks.push((current.slice(0, current.length - danglingRaw.length) + closing(kept)).trim());
      current = reopening(stack);
      visible = false;
      if (isSpace) continue; // the cut replaces the space it happened at
    }
    current += unit;
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
