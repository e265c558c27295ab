import { describe, expect, it } from 'vitest';
import type { Button, Card, Reply } from '../../src/core/types.js';
import { escapeHtml, visibleLength } from '../../bots/telegram/html.js';
import { safeUrl } from '../../src/core/segments.js';
import { MAX_LABEL_LENGTH, layoutRows, shortenLabel } from '../../bots/telegram/keyboard.js';
import { BUTTONS_ONLY_TEXT, MAX_MESSAGE_LENGTH, renderReply, renderSegment } from '../../bots/telegram/render.js';
import { telegramHtmlProblems } from './helpers/telegram-html.js';

const NASTY = `<script>alert("x")</script> & Tom's "quotes" > <b>not bold</b>`;
const ESCAPED = `&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Tom's &quot;quotes&quot; &gt; &lt;b&gt;not bold&lt;/b&gt;`;

const btn = (label: string, action: string): Button => ({ label, action });
const only = (reply: Reply) => {
  const messages = renderReply(reply);
  expect(messages).toHaveLength(1);
  return messages[0]!;
};

describe('escaping', () => {
  it('escapes &, <, > and " in plain text', () => {
    expect(escapeHtml(NASTY)).toBe(ESCAPED);
    expect(only({ blocks: [{ type: 'text', segments: [NASTY] }] }).html).toBe(ESCAPED);
  });

  it('escapes inside bold, italic and link labels', () => {
    expect(renderSegment({ bold: NASTY })).toBe(`<b>${ESCAPED}</b>`);
    expect(renderSegment({ italic: NASTY })).toBe(`<i>${ESCAPED}</i>`);
    expect(renderSegment({ link: NASTY, url: 'https://example.org/' })).toBe(`<a href="https://example.org/">${ESCAPED}</a>`);
  });

  it('escapes names and notes in cards, facts, headings and sources', () => {
    const m = only({
      blocks: [
        { type: 'cards', heading: NASTY, cards: [{ title: NASTY, subtitle: NASTY, fields: [{ label: NASTY, value: NASTY }], buttons: [] }] },
        { type: 'facts', heading: NASTY, facts: [{ label: NASTY, value: NASTY }] },
        { type: 'source', label: NASTY, url: 'https://www.service-public.fr/', verifiedOn: NASTY, note: NASTY },
      ],
    });
    expect(m.html).not.toContain('<script>');
    expect(m.html).not.toContain('"x"');
    expect(m.html.split(ESCAPED).length - 1).toBe(11);
    expect(telegramHtmlProblems(m.html)).toEqual([]);
  });

  it('escapes an attribute value (quotes and ampersands in an URL)', () => {
    const html = renderSegment({ link: 'lien', url: 'https://example.org/?a="b"&c=<d>' });
    expect(html).toBe('<a href="https://example.org/?a=&quot;b&quot;&amp;c=&lt;d&gt;">lien</a>');
    expect(telegramHtmlProblems(html)).toEqual([]);
  });

  it('leaves button labels as plain text (Telegram does not parse them)', () => {
    const m = only({ blocks: [{ type: 'buttons', buttons: [btn('Tom & "Léa" <3', 'i:help')] }] });
    expect(m.keyboard[0]![0]!.text).toBe('Tom & "Léa" <3');
  });
});

describe('links', () => {
  it.each([
    ['https://www.service-public.fr/particuliers', true],
    ['http://example.org', true],
    ['javascript:alert(1)', false],
    ['tg://resolve?domain=x', false],
    ['/relative/path', false],
    ['data:text/html,<b>x</b>', false],
    ['not a url', false],
    [`https://example.org/${'a'.repeat(3000)}`, false],
  ])('%s -> link: %s', (url, ok) => {
    expect(safeUrl(url) !== null).toBe(ok);
    const html = renderSegment({ link: 'Voir', url });
    expect(html.startsWith('<a href=')).toBe(ok);
    if (!ok) expect(html).toBe('Voir');
  });
});

describe('text', () => {
  it('renders bold, italic and links inline, keeping blank lines', () => {
    const m = only({
      blocks: [{ type: 'text', segments: ['Salut ', { bold: 'Léa' }, ' !\n\nTu peux ', { italic: 'postuler' }, ' ici : ', { link: 'Mission Locale', url: 'https://ml.example/' }] }],
    });
    expect(m.html).toBe('Salut <b>Léa</b> !\n\nTu peux <i>postuler</i> ici : <a href="https://ml.example/">Mission Locale</a>');
    expect(m.keyboard).toEqual([]);
  });

  it('wraps a bold segment spanning lines line by line', () => {
    expect(only({ blocks: [{ type: 'text', segments: [{ bold: 'un\ndeux' }] }] }).html).toBe('<b>un</b>\n<b>deux</b>');
  });

  it('renders nothing for an empty reply, and a short line above buttons alone', () => {
    expect(renderReply({ blocks: [] })).toEqual([]);
    const m = only({ blocks: [{ type: 'buttons', buttons: [btn('Oui', 'cf:y'), btn('Non', 'cf:n')] }] });
    expect(m.html).toBe(BUTTONS_ONLY_TEXT);
    expect(m.keyboard).toEqual([[{ text: 'Oui', callback_data: 'cf:y' }, { text: 'Non', callback_data: 'cf:n' }]]);
  });
});

describe('cards, facts, sources', () => {
  const card = (n: number): Card => ({
    ref: String(n),
    title: `Préparateur de commandes ${n}`,
    subtitle: 'Lyon 7e · Logistique',
    fields: [
      { label: 'Salaire', value: '12,50 € brut/h' },
      { label: 'Début', value: '3 mars' },
    ],
    buttons: [btn('Voir', `md:${n}`), btn('Ça m’intéresse', `ap:${n}`)],
  });

  it('numbers cards, lists fields, and gives each card a keyboard row; "voir plus" comes last', () => {
    const m = only({ blocks: [{ type: 'cards', heading: '2 missions', cards: [card(1), card(2)], more: btn('Voir plus', 'sp:1') }] });
    expect(m.html).toBe(
      [
        '<b>2 missions</b>',
        '<b>1. Préparateur de commandes 1</b>\n<i>Lyon 7e · Logistique</i>\nSalaire : 12,50 € brut/h\nDébut : 3 mars',
        '<b>2. Préparateur de commandes 2</b>\n<i>Lyon 7e · Logistique</i>\nSalaire : 12,50 € brut/h\nDébut : 3 mars',
      ].join('\n\n'),
    );
    expect(m.keyboard).toEqual([
      [{ text: '1. Voir', callback_data: 'md:1' }, { text: '1. Ça m’intéresse', callback_data: 'ap:1' }],
      [{ text: '2. Voir', callback_data: 'md:2' }, { text: '2. Ça m’intéresse', callback_data: 'ap:2' }],
      [{ text: 'Voir plus', callback_data: 'sp:1' }],
    ]);
  });

  it('does not prefix the buttons of a single card, and numbers cards without ref by position', () => {
    const m = only({ blocks: [{ type: 'cards', cards: [{ title: 'Seule', fields: [], buttons: [btn('Voir', 'md:9')] }] }] });
    expect(m.html).toBe('<b>1. Seule</b>');
    expect(m.keyboard).toEqual([[{ text: 'Voir', callback_data: 'md:9' }]]);
  });

  it('renders facts as "label : value" lines with buttons only for facts with an action', () => {
    const m = only({
      blocks: [
        {
          type: 'facts',
          heading: 'Ton suivi',
          facts: [
            { label: 'Candidatures', value: '2', action: 'i:my_applications' },
            { label: 'Prochain rendez-vous', value: 'mardi 4 mars' },
          ],
        },
      ],
    });
    expect(m.html).toBe('<b>Ton suivi</b>\nCandidatures : <b>2</b>\nProchain rendez-vous : <b>mardi 4 mars</b>');
    expect(m.keyboard).toEqual([[{ text: 'Candidatures (2)', callback_data: 'i:my_applications' }]]);
  });

  it('renders a source as an italic line with its link and verification date', () => {
    const m = only({ blocks: [{ type: 'source', label: 'FASTT', url: 'https://www.fastt.org/', verifiedOn: '2025-03-12' }] });
    expect(m.html).toBe('<i>Source : <a href="https://www.fastt.org/">FASTT</a> — vérifié le 12/03/2025</i>');
    const bad = only({ blocks: [{ type: 'source', label: 'FASTT', url: 'javascript:void(0)', verifiedOn: '12 mars 2025', note: 'à confirmer' }] });
    expect(bad.html).toBe('<i>Source : FASTT — vérifié le 12 mars 2025 — à confirmer</i>');
  });
});

describe('keyboards', () => {
  it('puts up to three short buttons per row, fewer when labels are long', () => {
    const short = layoutRows(['A', 'B', 'C', 'D', 'E'].map((l) => btn(l, `i:${l.toLowerCase()}x`)));
    expect(short.map((r) => r.length)).toEqual([3, 2]);
    const long = layoutRows([btn('Chercher une mission', 'i:search'), btn('Les aides au logement', 'i:aides'), btn('Mon conseiller', 'i:cons')]);
    expect(long.every((r) => r.length <= 2)).toBe(true);
    expect(long.flat()).toHaveLength(3);
  });

  it('shortens long labels under the limit with an ellipsis, without cutting an emoji', () => {
    const label = `🏠 ${'Aide au logement pour les jeunes en intérim '.repeat(3)}`;
    const s = shortenLabel(label);
    expect(Array.from(s).length).toBeLessThanOrEqual(MAX_LABEL_LENGTH);
    expect(s.endsWith('…')).toBe(true);
    expect(s.startsWith('🏠')).toBe(true);
    expect(shortenLabel('  Oui  ')).toBe('Oui');
  });

  it('never sends callback data over 64 bytes (such a button is dropped)', () => {
    const ok = 'x'.repeat(64);
    const tooLong = 'x'.repeat(65);
    const multibyte = 'é'.repeat(33); // 66 bytes in UTF-8
    const m = only({ blocks: [{ type: 'text', segments: ['Choisis'] }, { type: 'buttons', buttons: [btn('ok', ok), btn('long', tooLong), btn('mb', multibyte), btn('vide', '')] }] });
    expect(m.keyboard.flat().map((b) => b.text)).toEqual(['ok']);
    for (const b of m.keyboard.flat()) expect(Buffer.byteLength(b.callback_data)).toBeLessThanOrEqual(64);
  });
});

describe('splitting over 4,096 characters', () => {
  it('splits a long list between cards, each card keeping its buttons in its own message', () => {
    const cards: Card[] = Array.from({ length: 40 }, (_, i) => ({
      ref: String(i + 1),
      title: `Mission n°${i + 1} <& "spéciale">`,
      fields: [{ label: 'Description', value: 'Manutention & préparation de commandes. '.repeat(4) }],
      buttons: [btn('Voir', `md:${i + 1}`)],
    }));
    const messages = renderReply({ blocks: [{ type: 'text', segments: ['Voici :'] }, { type: 'cards', cards, more: btn('Voir plus', 'sp:1') }] });
    expect(messages.length).toBeGreaterThan(1);
    for (const m of messages) {
      expect(visibleLength(m.html)).toBeLessThanOrEqual(MAX_MESSAGE_LENGTH);
      expect(telegramHtmlProblems(m.html)).toEqual([]);
    }
    for (const [i] of cards.entries()) {
      const holder = messages.filter((m) => m.html.includes(`<b>${i + 1}. Mission n°${i + 1} `));
      expect(holder).toHaveLength(1);
      expect(holder[0]!.keyboard.flat().map((b) => b.callback_data)).toContain(`md:${i + 1}`);
    }
    expect(messages.at(-1)!.keyboard.at(-1)).toEqual([{ text: 'Voir plus', callback_data: 'sp:1' }]);
  });

  it('splits a single huge text between words, closing and reopening tags, losing nothing', () => {
    const words = Array.from({ length: 2500 }, (_, i) => `mot${i}&`).join(' ');
    const messages = renderReply({ blocks: [{ type: 'text', segments: ['Début ', { bold: words }, ' fin.'] }] });
    expect(messages.length).toBeGreaterThan(1);
    for (const m of messages) {
      expect(visibleLength(m.html)).toBeLessThanOrEqual(MAX_MESSAGE_LENGTH);
      expect(telegramHtmlProblems(m.html)).toEqual([]);
      expect(m.html).toMatch(/<\/b>/);
    }
    const visible = messages.map((m) => m.html.replace(/<[^>]+>/g, '').replace(/&amp;/g, '&')).join(' ');
    expect(visible.split(/\s+/)).toEqual(`Début ${words} fin.`.split(/\s+/));
  });

  it('cuts a text block at line ends rather than mid-line', () => {
    const line = 'Une ligne de texte assez longue pour remplir un message. '.repeat(3).trim();
    const text = Array.from({ length: 120 }, () => line).join('\n');
    const messages = renderReply({ blocks: [{ type: 'text', segments: [text] }] });
    expect(messages.length).toBeGreaterThan(1);
    for (const m of messages) for (const l of m.html.split('\n')) expect(l).toBe(line);
  });
});

describe('paging, sections and visible length', () => {
  it('offers "⬅️ précédent" beside "voir plus" under a list page', () => {
    const m = only({ blocks: [{ type: 'cards', cards: [{ title: 'Seule', fields: [], buttons: [] }], previous: btn('⬅️ Précédent (1/3)', 'lp:0'), more: btn('Voir plus (3/3)', 'lp:2') }] });
    expect(m.keyboard.at(-1)).toEqual([
      { text: '⬅️ Précédent (1/3)', callback_data: 'lp:0' },
      { text: 'Voir plus (3/3)', callback_data: 'lp:2' },
    ]);
  });

  it('renders a section as a bold title and dated bullets, or its empty wording', () => {
    const m = only({
      blocks: [
        { type: 'section', title: 'Derniers contacts', items: [{ text: 'téléphone : <rappel>', date: { text: '12/03/2026', moment: { iso: '2026-03-12T09:00:00Z' } } }] },
        { type: 'section', title: 'Missions', items: [], empty: 'aucune' },
      ],
    });
    expect(m.html).toBe('<b>Derniers contacts</b>\n• 12/03/2026 · téléphone : &lt;rappel&gt;\n\n<b>Missions</b> : aucune');
  });

  it('counts what Telegram shows, not the tags: a bold-heavy reply under 4,096 visible characters stays one message', () => {
    const words = Array.from({ length: 300 }, (_, i) => ({ bold: `m${String(i).padStart(3, '0')} & ` }));
    const messages = renderReply({ blocks: [{ type: 'text', segments: words }] });
    const html = messages[0]!.html;
    expect(messages).toHaveLength(1);
    expect(html.length).toBeGreaterThan(visibleLength(html));
    expect(visibleLength(html)).toBe(300 * 7);
  });

  it('cuts at 4,096 visible characters, not at the HTML length', () => {
    const line = `<${'x'.repeat(58)}>`; // 60 visible, 66 in HTML
    const messages = renderReply({ blocks: [{ type: 'text', segments: [Array.from({ length: 100 }, () => line).join('\n')] }] });
    expect(messages).toHaveLength(2);
    expect(visibleLength(messages[0]!.html)).toBeLessThanOrEqual(MAX_MESSAGE_LENGTH);
    expect(visibleLength(messages[0]!.html)).toBeGreaterThan(MAX_MESSAGE_LENGTH - 61);
  });
});
