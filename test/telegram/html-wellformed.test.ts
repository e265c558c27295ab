import { describe, expect, it } from 'vitest';
import type { Block, Button, Reply, Segment } from '../../src/core/types.js';
import { splitHtml, visibleLength } from '../../bots/telegram/html.js';
import { renderReply } from '../../bots/telegram/render.js';
import { telegramHtmlProblems } from './helpers/telegram-html.js';

/** Values a youth, a counsellor note or a database row could hold. */
const NASTY = [
  '<script>alert(1)</script>',
  'Tom & Jerry',
  '"quoted" \'single\'',
  '</b><i>',
  '&amp; already escaped?',
  'a > b < c',
  '<a href="javascript:alert(1)">x</a>',
  'Zoé 🙂 l’été',
  '',
  '\n\n',
  'https://example.org/?q=<x>&y="z"',
  '&#65; &lt;',
  'x'.repeat(500),
  `${'long line with <tags> & stuff '.repeat(200)}`,
];
const URLS = ['https://www.service-public.fr/', 'http://x.fr/?a=1&b="2"', 'javascript:alert(1)', 'ftp://x', '', 'https://"><b>x</b>'];

/** A small deterministic PRNG so a failure reproduces. */
function prng(seed: number) {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return s / 2 ** 31;
  };
}

function randomReply(rand: () => number): Reply {
  const pick = <T>(xs: T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const str = () => pick(NASTY) + (rand() < 0.3 ? pick(NASTY) : '');
  const segment = (): Segment => pick<() => Segment>([() => str(), () => ({ bold: str() }), () => ({ italic: str() }), () => ({ link: str(), url: pick(URLS) })])();
  const button = (): Button => ({ label: str() || 'ok', action: `i:${Math.floor(rand() * 1000)}` });
  const block = (): Block =>
    pick<() => Block>([
      () => ({ type: 'text', segments: Array.from({ length: 1 + Math.floor(rand() * 6) }, segment) }),
      () => ({
        type: 'cards',
        ...(rand() < 0.5 ? { heading: str() } : {}),
        cards: Array.from({ length: Math.floor(rand() * 12) }, (_, i) => ({
          ...(rand() < 0.7 ? { ref: String(i + 1) } : {}),
          title: str(),
          ...(rand() < 0.5 ? { subtitle: str() } : {}),
          fields: Array.from({ length: Math.floor(rand() * 4) }, () => ({ label: str(), value: str() })),
          buttons: Array.from({ length: Math.floor(rand() * 3) }, button),
        })),
        ...(rand() < 0.5 ? { more: button() } : {}),
      }),
      () => ({ type: 'facts', facts: Array.from({ length: 1 + Math.floor(rand() * 5) }, () => ({ label: str(), value: str(), ...(rand() < 0.5 ? { action: 'i:x' } : {}) })) }),
      () => ({ type: 'buttons', buttons: Array.from({ length: Math.floor(rand() * 7) }, button) }),
      () => ({ type: 'source', label: str(), url: pick(URLS), verifiedOn: str(), ...(rand() < 0.5 ? { note: str() } : {}) }),
    ])();
  return { blocks: Array.from({ length: Math.floor(rand() * 6) }, block) };
}

describe('the checker itself', () => {
  it.each([
    ['<b>ok</b> <a href="https://x.fr">x</a> &amp; &lt; &quot; &#65;', ''],
    ['<b>open', 'unclosed b'],
    ['<b><i>x</b></i>', 'unbalanced </b>'],
    ['<script>x</script>', 'tag <script> not allowed'],
    ['<a href=https://x.fr>x</a>', 'malformed tag'],
    ['<b class="x">x</b>', 'must not have attributes'],
    ['<a href="javascript:x">x</a>', 'unsafe href'],
    ['Tom & Jerry', 'raw &'],
    ['a > b', 'raw >'],
    ['<b></b>', 'no visible text'],
  ])('%s', (html, problem) => {
    const problems = telegramHtmlProblems(html);
    if (problem === '') expect(problems).toEqual([]);
    else expect(problems.join(' | ')).toContain(problem);
  });
});

describe('every rendered message is well-formed Telegram HTML', () => {
  it('holds for 500 random replies built from hostile values', () => {
    const rand = prng(42);
    let messages = 0;
    for (let n = 0; n < 500; n++) {
      const reply = randomReply(rand);
      for (const m of renderReply(reply)) {
        messages++;
        expect(telegramHtmlProblems(m.html), m.html.slice(0, 200)).toEqual([]);
        for (const b of m.keyboard.flat()) {
          expect(Buffer.byteLength(b.callback_data)).toBeLessThanOrEqual(64);
          expect(b.text.length).toBeGreaterThan(0);
        }
        expect(m.keyboard.flat().length).toBeLessThanOrEqual(100);
      }
    }
    expect(messages).toBeGreaterThan(500);
  });

  it('holds with a small limit, which forces cuts inside nested tags and long words', () => {
    const rand = prng(7);
    for (let n = 0; n < 200; n++) {
      for (const m of renderReply(randomReply(rand), 300)) {
        expect(visibleLength(m.html)).toBeLessThanOrEqual(300);
        expect(telegramHtmlProblems(m.html)).toEqual([]);
      }
    }
  });

  it('splitHtml never cuts a tag or an entity and reopens the open tags', () => {
    const html = `<i>Source : <a href="https://x.fr/?a=1&amp;b=2">${'mot &amp; &lt;tag&gt; '.repeat(60)}</a> — fin</i>`;
    const chunks = splitHtml(html, 200);
    expect(chunks.length).toBeGreaterThan(3);
    for (const c of chunks) {
      expect(visibleLength(c)).toBeLessThanOrEqual(200);
      expect(telegramHtmlProblems(c)).toEqual([]);
      expect(c.startsWith('<i>')).toBe(true);
    }
    const strip = (s: string) => s.replace(/<[^>]+>/g, '').replace(/\s+/g, ' ').trim();
    expect(chunks.map(strip).join(' ')).toBe(strip(html));
  });
});
