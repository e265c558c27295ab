/**
 * A strict checker of Telegram's HTML parse mode, since the emulator accepts anything: only the tags we allow,
 * balanced and properly nested, attributes double-quoted (only `href` on <a>), no stray `<`, `>` or `&`.
 * Returns the problems found (empty = well-formed).
 */
const ALLOWED = new Set(['b', 'strong', 'i', 'em', 'u', 's', 'a', 'code', 'pre', 'tg-spoiler']);
const ENTITY = /^&(?:lt|gt|amp|quot|#\d{1,7}|#x[0-9a-fA-F]{1,6});/;

export function telegramHtmlProblems(html: string): string[] {
  const problems: string[] = [];
  const stack: string[] = [];
  let i = 0;
  while (i < html.length) {
    const ch = html[i]!;
    if (ch === '<') {
      const end = html.indexOf('>', i);
      if (end < 0) {
        problems.push(`unterminated tag at ${i}`);
        break;
      }
      const tag = html.slice(i + 1, end);
      const close = /^\/([a-z-]+)$/.exec(tag);
      const open = /^([a-z-]+)((?:\s+[a-z-]+="[^"<>]*")*)\s*$/.exec(tag);
      if (close) {
        const name = close[1]!;
        if (stack.pop() !== name) problems.push(`unbalanced </${name}> at ${i}`);
      } else if (open) {
        const name = open[1]!;
        if (!ALLOWED.has(name)) problems.push(`tag <${name}> not allowed`);
        const attrs = [...(open[2] ?? '').matchAll(/([a-z-]+)="([^"]*)"/g)].map((m) => m[1]);
        if (name === 'a' && (attrs.length !== 1 || attrs[0] !== 'href')) problems.push('<a> needs exactly one href attribute');
        if (name !== 'a' && attrs.length > 0) problems.push(`<${name}> must not have attributes`);
        if (name === 'a') {
          const href = /href="([^"]*)"/.exec(open[2] ?? '')?.[1] ?? '';
          if (!/^https?:\/\//.test(href.replace(/&amp;/g, '&'))) problems.push(`unsafe href ${href}`);
        }
        stack.push(name);
      } else {
        problems.push(`malformed tag <${tag}>`);
      }
      i = end + 1;
    } else if (ch === '>') {
      problems.push(`raw > at ${i}`);
      i++;
    } else if (ch === '&') {
      const m = ENTITY.exec(html.slice(i));
      if (!m) problems.push(`raw & at ${i}`);
      i += m ? m[0].length : 1;
    } else i++;
  }
  if (stack.length > 0) problems.push(`unclosed ${stack.join(', ')}`);
  // Telegram's limit applies to the text after parsing: tags count for nothing, an entity for one character.
  const shown = html.replace(/<[^>]*>/g, '').replace(/&[a-z]+;|&#\d+;/g, '_').length;
  if (shown > 4096) problems.push(`too long: ${shown} visible characters`);
  if (html.replace(/<[^>]*>/g, '').trim().length === 0) problems.push('no visible text');
  return problems;
}
