import { describe, expect, it } from 'vitest';
import { escapeMarkdown, renderActivity, renderCard } from '../../bots/teams/cards.js';
import { button, buttons, cards, intentButton, link, reply, text, bold } from '../../src/core/replies.js';
import { elements, submitActions } from './helpers.js';

describe('Adaptive Card rendering', () => {
  it('escapes every markdown character a name or a note could use', () => {
    const escaped = escapeMarkdown('**a** _b_ [c](d) # e > f ~g~ `h` <i>\n- j\n1. k');
    expect(escaped).toBe('\\*\\*a\\*\\* \\_b\\_ \\[c\\]\\(d\\) \\# e \\> f \\~g\\~ \\`h\\` \\<i\\>\n\\- j\n1\\. k');
  });

  it('renders text as RichTextBlocks of TextRuns (never parsed as markdown), one per line', () => {
    const card = renderCard(reply(text('Bonjour ', bold('Léa'), '\n**pas gras**')));
    expect(card).toMatchObject({ type: 'AdaptiveCard', version: '1.5' });
    const blocks = card.body.filter((e) => e.type === 'RichTextBlock');
    expect(blocks).toHaveLength(2);
    expect(blocks[0]).toMatchObject({ inlines: [{ type: 'TextRun', text: 'Bonjour ' }, { type: 'TextRun', text: 'Léa', weight: 'Bolder' }] });
    expect(blocks[1]).toMatchObject({ inlines: [{ type: 'TextRun', text: '**pas gras**' }] });
    expect(elements(card).some((e) => e.type === 'TextBlock')).toBe(false);
  });

  it('makes only web links clickable', () => {
    const card = renderCard(reply(text(link('ok', 'https://t.me/bot?start=ABC'), link('ko', 'javascript:alert(1)'))));
    const urls = elements(card).filter((e) => e.type === 'Action.OpenUrl').map((e) => e.url);
    expect(urls).toEqual(['https://t.me/bot?start=ABC']);
  });

  it('turns buttons into Action.Submit carrying the opaque action, at most 5 per row', () => {
    const many = Array.from({ length: 7 }, (_, i) => intentButton(`B${i}`, 'help'));
    const card = renderCard(reply(buttons(...many)));
    const sets = card.body.filter((e) => e.type === 'ActionSet') as { actions: unknown[] }[];
    expect(sets.map((s) => s.actions.length)).toEqual([5, 2]);
    expect(submitActions(card)[0]).toEqual({ title: 'B0', action: 'i:help' });
  });

  it('renders a list as one container per item with its facts and buttons, and the "voir plus" button last', () => {
    const list = cards(
      [
        { ref: '1', title: 'Léa Martin', subtitle: 'actif', fields: [{ label: 'Dernier contact', value: 'il y a 5 jours' }], buttons: [button('Ouvrir la fiche', { kind: 'youth_summary', youthId: 4 })] },
        { ref: '2', title: 'Kevin Bernard', fields: [], buttons: [] },
      ],
      'Sans contact',
      button('Voir plus', { kind: 'list_page', page: 1 }),
    );
    const card = renderCard(reply(list));
    expect(card.body.filter((e) => e.type === 'Container')).toHaveLength(2);
    expect(submitActions(card).map((a) => a.action)).toEqual(['ys:4', 'lp:1']);
    expect(elements(card).find((e) => e.type === 'FactSet')).toEqual({ type: 'FactSet', facts: [{ title: 'Dernier contact', value: 'il y a 5 jours' }] });
  });

  it('renders facts as a FactSet plus a button per fact that opens a list', () => {
    const card = renderCard({ blocks: [{ type: 'facts', heading: 'Portefeuille', facts: [{ label: 'Suivis', value: '10' }, { label: 'Sans mission', value: '4', action: 'cl:wm:30:' }] }] });
    expect(submitActions(card)).toEqual([{ title: 'Sans mission (4)', action: 'cl:wm:30:' }]);
  });

  it('sends nothing for an empty reply, and a summary for previews otherwise', () => {
    expect(renderActivity({ blocks: [] })).toBeNull();
    expect(renderActivity(reply(text('Bonjour Sophie\nsuite')))?.summary).toBe('Bonjour Sophie');
  });
});
