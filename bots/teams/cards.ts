/**
 * Reply -> Adaptive Card (schema 1.5), pure functions. Every dynamic text goes into RichTextBlock/TextRun
 * elements, which hosts never parse as markdown, so a youth's name or a counsellor's note can neither inject
 * links or formatting nor needs backslash escapes (Teams shows those literally in a FactSet). The only TextBlocks
 * hold dates the card builds itself (`{{DATE()}}`/`{{TIME()}}`, formatted by Teams in the reader's locale and zone).
 */
import type { Block, Button, Card, Fact, Field, Moment, Reply, SectionItem, Segment } from '../../src/core/types.js';
import { sectionItemText } from '../../src/core/replies.js';
import { plainSegments, safeUrl, segmentValue, sourceSegments, withValue } from '../../src/core/segments.js';

export type CardElement = Record<string, unknown>;
export interface AdaptiveCard {
  type: 'AdaptiveCard';
  $schema: string;
  version: '1.5';
  body: CardElement[];
  fallbackText?: string;
  /** Teams: use the whole width of the conversation (tables need it). */
  msteams: { width: 'Full' };
}

export const ADAPTIVE_CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';
/** Hosts cap the buttons of one action set (Teams shows 6); longer menus are split into several rows. */
const MAX_ACTIONS_PER_SET = 5;

function textRun(s: Segment, extra: CardElement = {}): CardElement {
  if (typeof s === 'string') return { type: 'TextRun', text: s, ...extra };
  if ('bold' in s) return { type: 'TextRun', text: s.bold, weight: 'Bolder', ...extra };
  if ('italic' in s) return { type: 'TextRun', text: s.italic, italic: true, ...extra };
  const url = safeUrl(s.url);
  return url ? { type: 'TextRun', text: s.link, selectAction: { type: 'Action.OpenUrl', url }, ...extra } : { type: 'TextRun', text: s.link, ...extra };
}

/** Splits segments on new lines: one RichTextBlock per line keeps line breaks on every host. */
function lines(segments: Segment[]): Segment[][] {
  const out: Segment[][] = [[]];
  for (const seg of segments) {
    const parts = segmentValue(seg).split('\n');
    parts.forEach((part, i) => {
      if (i > 0) out.push([]);
      if (part === '') return;
      out[out.length - 1]!.push(withValue(seg, part));
    });
  }
  return out.filter((l) => l.length > 0);
}

function richText(segments: Segment[], extra: CardElement = {}): CardElement[] {
  return lines(segments).map((l, i) => ({ type: 'RichTextBlock', inlines: l.map((s) => textRun(s)), ...(i > 0 ? { spacing: 'None' } : {}), ...extra }));
}

/** One run of plain text (never markdown), with text styling. */
function plain(value: string, style: CardElement = {}, block: CardElement = {}): CardElement {
  return { type: 'RichTextBlock', inlines: [{ type: 'TextRun', text: value, ...style }], ...block };
}

function heading(value: string): CardElement {
  return plain(value, { weight: 'Bolder', size: 'Medium' });
}

/** `{{DATE()}}` / `{{TIME()}}`: Teams formats them for the reader; the ISO value is built by the core, never typed by a user. */
function momentText(m: Moment, compact: boolean): string {
  const date = `{{DATE(${m.iso}, ${compact && !m.withTime ? 'COMPACT' : 'SHORT'})}}`;
  const at = m.withTime ? `${date} {{TIME(${m.iso})}}` : date;
  // `before`/`after` are the core's fixed words ("(prévue)"), never store data, so this markdown text stays inert.
  return `${m.before ?? ''}${at}${m.after ?? ''}`;
}

function momentBlock(m: Moment, compact: boolean, extra: CardElement = {}): CardElement {
  return { type: 'TextBlock', text: momentText(m, compact), wrap: true, ...extra };
}

/** A field's value as a card element: the reader-formatted date when it is one, plain text otherwise. */
function valueElement(f: Field, compact: boolean, style: CardElement = {}): CardElement {
  if (f.moment) return momentBlock(f.moment, compact, style);
  return plain(f.value, style);
}

/** A value this long beside its label would squeeze the label to a letter a line: it goes under the label instead. */
const SIDE_VALUE_MAX = 18;

function longValue(f: Field): boolean {
  return f.moment ? f.moment.withTime === true || (f.moment.before ?? '').length + (f.moment.after ?? '').length > 4 : f.value.length > SIDE_VALUE_MAX;
}

/**
 * A button as an Action.Submit: the core's opaque action comes back as `activity.value.action`, and its label as
 * `activity.value.label`, which the answer card repeats first (`pressedTrace`) so the chat keeps a readable trace
 * of what was pressed. (A `messageBack` with `displayText` would do it in Teams, but the Agents Playground drops
 * such submits, and the trace must hold wherever the card is shown.)
 */
export function submitAction(b: Button): CardElement {
  const style = b.style === 'primary' ? 'positive' : b.style === 'danger' ? 'destructive' : undefined;
  return {
    type: 'Action.Submit',
    title: b.label,
    data: { action: b.action, label: b.label },
    ...(style ? { style } : {}),
  };
}

/** The same submit, as the `selectAction` of a row or a cell (the whole row is the button). */
function selectSubmit(label: string, action: string): CardElement {
  return submitAction({ label, action });
}

function actionSets(list: Button[]): CardElement[] {
  const sets: CardElement[] = [];
  for (let i = 0; i < list.length; i += MAX_ACTIONS_PER_SET) sets.push({ type: 'ActionSet', actions: list.slice(i, i + MAX_ACTIONS_PER_SET).map(submitAction) });
  return sets;
}

function cell(items: CardElement[], action?: { label: string; action: string }, extra: CardElement = {}): CardElement {
  return { type: 'TableCell', items, ...(action ? { selectAction: selectSubmit(action.label, action.action) } : {}), ...extra };
}

/**
 * Label/value pairs, one ColumnSet per pair: the label stretches, the value keeps its width. A pair with an action
 * is one button as a whole (the row's `selectAction`), so a count is the way to open its list.
 */
function factRows(facts: Fact[], labelOf: (f: Fact) => string = (f) => f.label): CardElement[] {
  return facts.map((f) => {
    const label = plain(labelOf(f), f.action ? { color: 'Accent' } : {});
    const select = f.action ? { selectAction: selectSubmit(f.label, f.action) } : {};
    // A long value (a name with its Mission locale, a date with its time) takes the line under its label: an
    // `auto` column sized to it left the label a few pixels ("Jeunes suivis" one letter a line).
    if (longValue(f)) return { type: 'Container', spacing: 'Small', ...select, items: [label, { ...valueElement(f, false, { weight: 'Bolder' }), spacing: 'None' }] };
    return {
      type: 'ColumnSet',
      spacing: 'Small',
      ...select,
      columns: [
        { type: 'Column', width: 'stretch', items: [label] },
        { type: 'Column', width: 'auto', items: [valueElement(f, true, { weight: 'Bolder' })] },
      ],
    };
  });
}

function cardItem(c: Card): CardElement {
  const title = c.ref ? `${c.ref}. ${c.title}` : c.title;
  const items: CardElement[] = [plain(title, { weight: 'Bolder' })];
  if (c.subtitle) items.push(plain(c.subtitle, { isSubtle: true }, { spacing: 'None' }));
  if (c.fields.length > 0) items.push(...factRows(c.fields));
  items.push(...actionSets(c.buttons));
  return { type: 'Container', separator: true, spacing: 'Medium', items };
}

/** Paging: previous and next in one row at the foot of the list. */
function pagingRow(previous: Button | undefined, more: Button | undefined): CardElement[] {
  const list = [previous, more].filter((b): b is Button => b !== undefined);
  return list.length > 0 ? [{ type: 'ActionSet', actions: list.map(submitAction) }] : [];
}

/** A table layout is only taken when it loses nothing: every card with the same fields and at most one button. */
function fitsTable(b: Extract<Block, { type: 'cards' }>): boolean {
  const labels = b.cards[0]?.fields.map((f) => f.label).join('\u0000');
  return b.cards.every((c) => c.buttons.length <= 1 && c.fields.map((f) => f.label).join('\u0000') === labels);
}

/** A list as one table: a header row, then one row per card, the whole row opening it (its one button). */
function cardsTable(b: Extract<Block, { type: 'cards' }>, headers: { title: string; subtitle?: string }): CardElement {
  const first = b.cards[0]!;
  // The subtitle (a status) reads under the name in the first column rather than in a column of its own: five
  // columns left a date no room to stay on one line in a phone-wide chat.
  const header = [headers.subtitle ? `${headers.title} (${headers.subtitle.toLowerCase()})` : headers.title, ...first.fields.map((f) => f.label)];
  const columns = header.map(() => ({ width: 1 }));
  const headerRow = { type: 'TableRow', style: 'accent', cells: header.map((h) => cell([plain(h, { weight: 'Bolder', size: 'Small' })])) };
  const rows = b.cards.map((c) => {
    const open = c.buttons[0] ? { label: c.buttons[0].label, action: c.buttons[0].action } : undefined;
    const who = [plain(c.title, { weight: 'Bolder', ...(open ? { color: 'Accent' } : {}) }), ...(c.subtitle ? [plain(c.subtitle, { size: 'Small', isSubtle: true }, { spacing: 'None' })] : [])];
    const cells = [cell(who, open), ...c.fields.map((f) => cell([valueElement(f, true, { size: 'Small' })], open))];
    return { type: 'TableRow', cells };
  });
  return { type: 'Table', firstRowAsHeaders: true, showGridLines: true, gridStyle: 'default', spacing: 'Small', columns, rows: [headerRow, ...rows] };
}

/** The themes of a dashboard, in order of first appearance, each with its figures. */
function groupsOf(facts: Fact[]): { title: string; facts: Fact[] }[] {
  const groups: { title: string; facts: Fact[] }[] = [];
  for (const f of facts) {
    const title = f.group ?? '';
    const g = groups.find((x) => x.title === title) ?? groups[groups.push({ title, facts: [] }) - 1]!;
    g.facts.push(f);
  }
  return groups;
}

/** Inside its theme a figure need not repeat it: "Freins ouverts : logement" reads "Logement" under "Freins ouverts". */
function labelInGroup(f: Fact): string {
  const prefix = f.group ? `${f.group} : ` : '';
  if (!prefix || !f.label.toLowerCase().startsWith(prefix.toLowerCase())) return f.label;
  const rest = f.label.slice(prefix.length);
  return rest.charAt(0).toUpperCase() + rest.slice(1);
}

/**
 * A dashboard: each theme a small titled table, the themes in two columns balanced by their number of rows,
 * so fourteen counts fit one screen. Each count's row is the way to open its list (no second copy as a button).
 */
function dashboard(facts: Fact[]): CardElement {
  const groups = groupsOf(facts).map((g) => ({
    size: g.facts.length + 1,
    element: { type: 'Container', spacing: 'Small', items: [plain(g.title, { weight: 'Bolder', isSubtle: true, size: 'Small' }), ...factRows(g.facts, labelInGroup)] },
  }));
  const columns: { size: number; items: CardElement[] }[] = [
    { size: 0, items: [] },
    { size: 0, items: [] },
  ];
  // Greedy in reading order: a theme goes to the first column until it holds half of the rows.
  const half = groups.reduce((n, g) => n + g.size, 0) / 2;
  let target = 0;
  for (const g of groups) {
    if (target === 0 && columns[0]!.size > 0 && columns[0]!.size + g.size / 2 > half) target = 1;
    columns[target]!.items.push(g.element);
    columns[target]!.size += g.size;
  }
  return {
    type: 'ColumnSet',
    spacing: 'Small',
    columns: columns.filter((c) => c.items.length > 0).map((c) => ({ type: 'Column', width: 'stretch', items: c.items })),
  };
}

/** A section folds and unfolds by its title (Action.ToggleVisibility); `id` must be unique in the card. */
function section(b: Extract<Block, { type: 'section' }>, id: string): CardElement[] {
  const open = !b.collapsed;
  const count = b.items.length;
  const title = `${b.title}${count > 0 ? ` (${count})` : b.empty ? ` : ${b.empty}` : ''}`;
  if (count === 0) return [plain(title, { weight: 'Bolder' }, { separator: true, spacing: 'Medium' })];
  const toggle = { type: 'Action.ToggleVisibility', title: `Afficher ou masquer : ${b.title}`, targetElements: [id, `${id}-more`, `${id}-less`] };
  const header: CardElement = {
    type: 'ColumnSet',
    separator: true,
    spacing: 'Medium',
    selectAction: toggle,
    columns: [
      { type: 'Column', width: 'stretch', verticalContentAlignment: 'Center', items: [plain(title, { weight: 'Bolder', color: 'Accent' })] },
      { type: 'Column', width: 'auto', verticalContentAlignment: 'Center', items: [plain('▸ afficher', { size: 'Small', isSubtle: true }, { id: `${id}-more`, isVisible: !open })] },
      { type: 'Column', width: 'auto', verticalContentAlignment: 'Center', items: [plain('▾ masquer', { size: 'Small', isSubtle: true }, { id: `${id}-less`, isVisible: open })] },
    ],
  };
  const body: CardElement = { type: 'Container', id, isVisible: open, spacing: 'Small', items: b.items.map(sectionLine) };
  return [header, body];
}

function sectionLine(item: SectionItem): CardElement {
  if (!item.date) return plain(`• ${item.text}`, {}, { spacing: 'Small' });
  return {
    type: 'ColumnSet',
    spacing: 'Small',
    columns: [
      { type: 'Column', width: 'auto', items: [momentBlock(item.date.moment, true, { isSubtle: true, size: 'Small' })] },
      { type: 'Column', width: 'stretch', items: [plain(item.text, {})] },
    ],
  };
}

/** One block of the core's reply as card elements; `index` keeps the ids of folding sections unique. */
export function renderBlock(b: Block, index = 0): CardElement[] {
  switch (b.type) {
    case 'text':
      return richText(b.segments);
    case 'cards': {
      const head = [...(b.heading ? [heading(b.heading)] : []), ...(b.note ? [plain(b.note, { isSubtle: true, size: 'Small' }, { spacing: 'None' })] : [])];
      if (b.table && b.cards.length > 0 && fitsTable(b)) return [...head, cardsTable(b, b.table), ...pagingRow(b.previous, b.more)];
      return [...head, ...b.cards.map(cardItem), ...pagingRow(b.previous, b.more)];
    }
    case 'facts': {
      const head = b.heading ? [heading(b.heading)] : [];
      const note = b.note ? [plain(b.note, { isSubtle: true, size: 'Small' }, { spacing: 'None' })] : [];
      const grouped = b.facts.some((f) => f.group !== undefined);
      return [...head, ...note, ...(grouped ? [dashboard(b.facts)] : factRows(b.facts))];
    }
    case 'section':
      return section(b, `section-${index}`);
    case 'buttons':
      return actionSets(b.buttons);
    case 'source':
      return richText(sourceSegments(b));
  }
}

/**
 * Consecutive figure tables with no action (programme figures per period and scope) sit two by two, so the four
 * of them read as one grid; on a narrow screen Teams keeps the two columns side by side, each one readable.
 */
function pairFigureTables(blocks: Block[]): CardElement[] {
  const out: CardElement[] = [];
  for (let i = 0; i < blocks.length; i++) {
    const b = blocks[i]!;
    const next = blocks[i + 1];
    const plainFacts = (x: Block | undefined): x is Extract<Block, { type: 'facts' }> => x?.type === 'facts' && x.facts.every((f) => !f.action && f.group === undefined);
    if (plainFacts(b) && plainFacts(next)) {
      out.push({
        type: 'ColumnSet',
        separator: true,
        spacing: 'Medium',
        columns: [b, next].map((x, k) => ({ type: 'Column', width: 'stretch', items: renderBlock(x, i + k) })),
      });
      i++;
    } else out.push(...renderBlock(b, i));
  }
  return out;
}

/** Longest button label repeated as the trace of a press; a longer (forged) one is cut. */
const MAX_TRACE = 80;

/** The first line of a card answering a button press: "› Sans mission depuis 30 jours ou plus", small and subtle. */
function pressedTrace(label: string): CardElement {
  return plain(`› ${label.slice(0, MAX_TRACE)}`, { isSubtle: true, size: 'Small' });
}

/**
 * The whole reply as one full-width Adaptive Card (the core pages lists, so a card never holds more than ~10 items).
 * `pressed` is the label of the button that asked for it, shown first as a trace.
 */
export function renderCard(reply: Reply, pressed?: string): AdaptiveCard {
  const body = [...(pressed ? [pressedTrace(pressed)] : []), ...pairFigureTables(reply.blocks)];
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.5',
    body: body.length > 0 ? body : richText(['…']),
    fallbackText: summaryOf(reply),
    msteams: { width: 'Full' },
  };
}

/** A short plain-text summary (notification previews, hosts without card support). */
export function summaryOf(reply: Reply): string {
  for (const b of reply.blocks) {
    const t = b.type === 'text' ? plainSegments(b.segments) : b.type === 'cards' || b.type === 'facts' ? (b.heading ?? '') : b.type === 'section' ? [b.title, ...b.items.map(sectionItemText)].join(' ') : '';
    if (t.trim()) return t.trim().split('\n')[0]!.slice(0, 200);
  }
  return 'Mission Jeunes';
}

/** The Bot Framework message activity carrying the card; nothing for an empty reply. */
export function renderActivity(reply: Reply, pressed?: string): { type: 'message'; summary: string; attachments: { contentType: string; content: AdaptiveCard }[] } | null {
  if (reply.blocks.length === 0) return null;
  return { type: 'message', summary: summaryOf(reply), attachments: [{ contentType: ADAPTIVE_CARD_CONTENT_TYPE, content: renderCard(reply, pressed) }] };
}
