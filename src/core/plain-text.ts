import type { Block, Reply } from './types.js';
import { sectionItemText, segmentText } from './replies.js';

/**
 * Renders a reply as plain text with numbered buttons: the terminal chat's renderer, and the text
 * fallback any channel can use. Returns the actions in button order so "3" presses the third.
 */
export function renderPlainText(r: Reply): { text: string; actions: string[] } {
  const lines: string[] = [];
  const actions: string[] = [];
  const push = (label: string, action: string) => {
    actions.push(action);
    return `[${actions.length}] ${label}`;
  };
  for (const b of r.blocks as Block[]) {
    switch (b.type) {
      case 'text':
        lines.push(b.segments.map(segmentText).join(''));
        break;
      case 'cards':
        if (b.heading) lines.push(`— ${b.heading} —`);
        if (b.note) lines.push(b.note);
        for (const c of b.cards) {
          lines.push(`${c.ref ? `${c.ref}. ` : ''}${c.title}${c.subtitle ? ` · ${c.subtitle}` : ''}`);
          for (const f of c.fields) lines.push(`   ${f.label} : ${f.value}`);
          if (c.buttons.length) lines.push(`   ${c.buttons.map((x) => push(x.label, x.action)).join('  ')}`);
        }
        if (b.previous || b.more) lines.push([b.previous, b.more].filter((x) => x !== undefined).map((x) => push(x.label, x.action)).join('  '));
        break;
      case 'facts':
        if (b.heading) lines.push(`— ${b.heading} —`);
        if (b.note) lines.push(b.note);
        for (const f of b.facts) lines.push(`${f.label} : ${f.value}${f.action ? `  ${push('voir', f.action)}` : ''}`);
        break;
      case 'section':
        lines.push(`${b.title} :${b.items.length === 0 && b.empty ? ` ${b.empty}` : ''}`);
        for (const item of b.items) lines.push(`• ${sectionItemText(item)}`);
        break;
      case 'buttons':
        lines.push(b.buttons.map((x) => push(x.label, x.action)).join('  '));
        break;
      case 'source':
        lines.push(`Source : ${b.label} (${b.url}), vérifié le ${b.verifiedOn}${b.note ? `. ${b.note}` : ''}`);
        break;
    }
  }
  return { text: lines.join('\n'), actions };
}
