import { describe, expect, it } from 'vitest';
import { renderActivity, renderCard } from '../../bots/teams/cards.js';
import { button, buttons, intentButton, link, reply, text, bold } from '../../src/core/replies.js';
import type { Block, Reply } from '../../src/core/types.js';
import { cardText, elements, facts, submitActions } from './helpers.js';
import { cardProblems } from './validate-card.js';

/** Renders and checks the card against the `adaptivecards` parser at 1.5 before any other assertion. */
function valid(r: Reply) {
  const card = renderCard(r);
  expect(cardProblems(card)).toEqual([]);
  return card as unknown as Record<string, unknown> & { body: Record<string, unknown>[] };
}

const row = (id: number, name: string) => ({
  ref: String(id),
  title: name,
  subtitle: 'actif',
  fields: [
    { label: 'Dernier contact', value: 'il y a 5 jours' },
    { label: 'Prochain rendez-vous', value: '12/03/2026', moment: { iso: '2026-03-12T09:00:00Z' } },
  ],
  buttons: [button('Ouvrir la fiche', { kind: 'youth_summary', youthId: id })],
});

describe('Adaptive Card rendering', () => {
  it('renders text as RichTextBlocks of TextRuns (never parsed as markdown), one per line, at full width', () => {
    const card = valid(reply(text('Bonjour ', bold('Léa'), '\n**pas gras**')));
    expect(card).toMatchObject({ type: 'AdaptiveCard', version: '1.5', msteams: { width: 'Full' } });
    const blocks = card.body.filter((e) => e.type === 'RichTextBlock');
    expect(blocks).toHaveLength(2);
    expect(blocks[0]).toMatchObject({ inlines: [{ type: 'TextRun', text: 'Bonjour ' }, { type: 'TextRun', text: 'Léa', weight: 'Bolder' }] });
    expect(blocks[1]).toMatchObject({ inlines: [{ type: 'TextRun', text: '**pas gras**' }] });
    expect(elements(card).some((e) => e.type === 'TextBlock')).toBe(false);
  });

  it('makes only web links clickable', () => {
    const card = valid(reply(text(link('ok', 'https://t.me/bot?start=ABC'), link('ko', 'javascript:alert(1)'))));
    const urls = elements(card).filter((e) => e.type === 'Action.OpenUrl').map((e) => e.url);
    expect(urls).toEqual(['https://t.me/bot?start=ABC']);
  });

  it('turns buttons into Action.Submit carrying the opaque action and the label (for the trace of the press), at most 5 per row', () => {
    const many = Array.from({ length: 7 }, (_, i) => intentButton('help', `B${i}`));
    const card = valid(reply(buttons(...many)));
    const sets = card.body.filter((e) => e.type === 'ActionSet') as { actions: Record<string, unknown>[] }[];
    expect(sets.map((s) => s.actions.length)).toEqual([5, 2]);
    expect(submitActions(card)[0]).toEqual({ title: 'B0', action: 'i:help' });
    expect(sets[0]!.actions[0]!.data).toEqual({ action: 'i:help', label: 'B0' });
    // The card answering a press repeats the pressed label first, as plain text.
    expect(renderCard(reply(text('ok')), 'Sans mission [x](y)').body[0]).toEqual({ type: 'RichTextBlock', inlines: [{ type: 'TextRun', text: '› Sans mission [x](y)', isSubtle: true, size: 'Small' }] });
  });

  it('renders a caseload list as one table: a header row, then one row per youth whose every cell opens the file; previous and next in one row', () => {
    const list: Block = {
      type: 'cards',
      heading: 'Sans contact : 12 jeunes — page 2/2',
      cards: [row(4, 'Léa Martin'), row(7, 'Kevin Bernard')],
      previous: button('⬅️ Précédent (1/2)', { kind: 'list_page', page: 0 }),
      table: { title: 'Jeune', subtitle: 'Statut' },
    };
    const card = valid(reply(list));
    const table = card.body.find((e) => e.type === 'Table') as { rows: { cells: Record<string, unknown>[] }[] };
    expect(table.rows).toHaveLength(3);
    // The status reads under the name, in the first column (a fifth column left dates no room on a phone).
    expect(table.rows[0]!.cells.map((c) => cardText(c))).toEqual(['Jeune (statut)', 'Dernier contact', 'Prochain rendez-vous']);
    expect(table.rows[1]!.cells.map((c) => cardText(c))).toEqual(['Léa Martin\nactif', 'il y a 5 jours', '{{DATE(2026-03-12T09:00:00Z, COMPACT)}}']);
    for (const [i, id] of [4, 7].entries()) expect(new Set(submitActions(table.rows[i + 1]!).map((a) => a.action))).toEqual(new Set([`ys:${id}`]));
    expect(table.rows[1]!.cells.every((c) => c.selectAction !== undefined)).toBe(true);
    expect(card.body.filter((e) => e.type === 'Container')).toHaveLength(0);
    const paging = card.body.filter((e) => e.type === 'ActionSet');
    expect(paging).toHaveLength(1);
    expect(submitActions(paging[0]!)).toEqual([{ title: '⬅️ Précédent (1/2)', action: 'lp:0' }]);
  });

  it('keeps one block per card when a list does not fit a table (several buttons)', () => {
    const two = { ...row(4, 'Léa Martin'), buttons: [button('A', { kind: 'youth_summary', youthId: 4 }), button('B', { kind: 'log_contact', youthId: 4 })] };
    const card = valid(reply({ type: 'cards', cards: [two], table: { title: 'Jeune' } }));
    expect(card.body.filter((e) => e.type === 'Container')).toHaveLength(1);
    expect(submitActions(card).map((a) => a.action)).toEqual(['ys:4', 'lg:4']);
  });

  it('lays a dashboard out by theme in two columns, each count being the way to open its list (no duplicate buttons)', () => {
    const card = valid(
      reply(
        {
          type: 'facts',
          heading: 'Votre portefeuille',
          facts: [
            { group: 'Situation', label: 'Jeunes suivis', value: '12' },
            { group: 'Alertes', label: 'Sans mission', value: '4', action: 'cl:wm:30:' },
            { group: 'Freins ouverts', label: 'Freins ouverts : logement', value: '2', action: 'cl:br::housing' },
            { group: 'Demandes', label: 'Demandes ouvertes', value: '1', action: 'cl:or::' },
          ],
        },
        buttons(intentButton('programme_stats', 'Chiffres du programme')),
      ),
    );
    const grid = card.body.find((e) => e.type === 'ColumnSet') as { columns: Record<string, unknown>[] };
    expect(grid.columns).toHaveLength(2);
    expect(elements(grid.columns[0]).some((e) => e.type === 'ColumnSet')).toBe(true);
    expect(cardText(card)).toMatch(/Situation[\s\S]*Alertes[\s\S]*Freins ouverts\nLogement\n2/);
    const f = facts(card);
    expect(f.get('Sans mission')).toBe('4');
    expect(f.get('Logement')).toBe('2');
    // Each actionable count's row is its one button; one more button for the figures.
    expect(submitActions(card).map((a) => a.action)).toEqual(['cl:wm:30:', 'cl:br::housing', 'cl:or::', 'i:programme_stats']);
    expect(elements(card).filter((e) => e.type === 'ColumnSet' && e.selectAction !== undefined)).toHaveLength(3);
    expect(card.body.filter((e) => e.type === 'ActionSet')).toHaveLength(1);
  });

  it('folds a section with Action.ToggleVisibility, its dated lines formatted by Teams for the reader', () => {
    const card = valid(
      reply(
        { type: 'section', title: 'Derniers contacts', collapsed: true, items: [{ text: 'téléphone : rappel', date: { text: '12/03/2026', moment: { iso: '2026-03-12T09:00:00Z' } } }] },
        { type: 'section', title: 'Freins ouverts', items: [{ text: 'Logement' }] },
        { type: 'section', title: 'Missions', items: [], empty: 'aucune' },
      ),
    );
    const toggles = elements(card).filter((e) => e.type === 'Action.ToggleVisibility');
    expect(toggles).toHaveLength(2);
    const folded = elements(card).find((e) => e.id === (toggles[0]!.targetElements as string[])[0])!;
    expect(folded).toMatchObject({ type: 'Container', isVisible: false });
    expect(elements(card).find((e) => e.id === (toggles[1]!.targetElements as string[])[0])).toMatchObject({ isVisible: true });
    expect(cardText(folded)).toBe('{{DATE(2026-03-12T09:00:00Z, COMPACT)}}\ntéléphone : rappel');
    expect(cardText(card)).toContain('Missions : aucune');
  });

  it('shows figures as small tables with their period, two side by side', () => {
    const figures = (heading: string): Block => ({ type: 'facts', heading, note: 'Du 1 décembre 2025 au 1 décembre 2026', facts: [{ label: 'Placements', value: '3' }] });
    const card = valid(reply(figures('Lyon : 12 derniers mois'), figures('Lyon : depuis le début')));
    const pair = card.body[0] as { type: string; columns: unknown[] };
    expect(pair.type).toBe('ColumnSet');
    expect(pair.columns).toHaveLength(2);
    expect(cardText(card)).toContain('Lyon : 12 derniers mois\nDu 1 décembre 2025 au 1 décembre 2026\nPlacements\n3');
  });

  it('writes a point in time with time as DATE and TIME, in a TextBlock', () => {
    const card = valid(reply({ type: 'facts', facts: [{ label: 'Prochain rendez-vous', value: 'mardi 4 mars à 10:00', moment: { iso: '2026-03-04T09:00:00Z', withTime: true } }] }));
    expect(elements(card).find((e) => e.type === 'TextBlock')).toMatchObject({ text: '{{DATE(2026-03-04T09:00:00Z, SHORT)}} {{TIME(2026-03-04T09:00:00Z)}}' });
  });

  it('keeps the core\'s fixed words around a reader-formatted date ("(prévue)"), and puts a long value under its label', () => {
    const card = valid(
      reply({
        type: 'facts',
        facts: [
          { label: 'Dernière fin de mission', value: '12/03/2026 (prévue)', moment: { iso: '2026-03-12T00:00:00Z', after: ' (prévue)' } },
          { label: 'Conseiller·ère', value: 'Sophie Durand (Mission Locale de Lyon (démo))' },
        ],
      }),
    );
    expect(elements(card).find((e) => e.type === 'TextBlock')?.text).toBe('{{DATE(2026-03-12T00:00:00Z, SHORT)}} (prévue)');
    // The long value is no `auto` column beside its label (which squeezed the label to a letter a line): it is under it.
    const stacked = card.body.filter((e) => e.type === 'Container') as { items: Record<string, unknown>[] }[];
    expect(stacked.map((c) => c.items.map((i) => cardText(i)))).toEqual([
      ['Dernière fin de mission', '{{DATE(2026-03-12T00:00:00Z, SHORT)}} (prévue)'],
      ['Conseiller·ère', 'Sophie Durand (Mission Locale de Lyon (démo))'],
    ]);
    expect(facts(card).get('Conseiller·ère')).toBe('Sophie Durand (Mission Locale de Lyon (démo))');
  });

  it('sends nothing for an empty reply, and a summary for previews otherwise', () => {
    expect(renderActivity({ blocks: [] })).toBeNull();
    expect(renderActivity(reply(text('Bonjour Sophie\nsuite')))?.summary).toBe('Bonjour Sophie');
  });
});
