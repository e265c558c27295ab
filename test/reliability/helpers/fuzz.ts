import { readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../../../src/store/database-url.js';

/** A seeded PRNG (mulberry32): a failing run can be replayed with the same seed. */
export function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (max: number) => Math.floor(next() * max),
    pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!,
    chance: (p: number) => next() < p,
  };
}
export type Rng = ReturnType<typeof prng>;

/** Real user phrasings: the NLU's training utterances (data file), plus the bot's commands. */
const TRAINING = readFileSync(path.join(repoRoot, 'src/nlu/data/training.jsonl'), 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((l) => JSON.parse(l) as { text?: string; role?: string });
const UTTERANCES = {
  youth: TRAINING.filter((u) => u.role !== 'counsellor' && u.text).map((u) => u.text!),
  counsellor: TRAINING.filter((u) => u.role === 'counsellor' && u.text).map((u) => u.text!),
};
const COMMANDS = ['/start', '/help', '/missions', '/aides', '/conseiller', '/rdv', '/mesdonnees', '/start ABCDEFGH', '/start 0000', '/unknown', '/start@OtherBot', '/rdv@MissionJeunesTestBot extra'];
/** Strings that break naive code: markup, entities, control and zero-width characters, RTL, emoji, SQL and huge inputs. */
const HOSTILE = [
  '<b>gras</b>',
  '</a><a href="javascript:alert(1)">x</a>',
  '&amp; &lt; & < > " \'',
  '"><script>alert(1)</script>',
  "'; DROP TABLE \"Youth\"; --",
  '\u0000\u0001\u0007',
  '\u202eevil\u202c',
  '\u200b\u200d\ufeff',
  '👨‍👩‍👧‍👦🏳️‍🌈🇫🇷',
  'code ABCD-EFGH',
  'code 2345678',
  'la 2',
  'la 999999999999',
  'voir plus',
  'oui',
  'supprime mes données',
  '%s%s%n',
  '{{constructor.constructor("return process")()}}',
  '__proto__',
  'a'.repeat(1_001),
  'é'.repeat(4_096),
  'mission à ' + 'lyon '.repeat(300),
];

/** A text a young person might send, or one meant to break things. */
export function fuzzText(r: Rng, role: 'youth' | 'counsellor' = 'youth'): string {
  const roll = r.next();
  if (roll < 0.55) return r.pick(UTTERANCES[role].length ? UTTERANCES[role] : UTTERANCES.youth);
  if (roll < 0.65) return r.pick(COMMANDS);
  if (roll < 0.85) return r.pick(HOSTILE);
  // Random code points, surrogates included.
  return Array.from({ length: 1 + r.int(60) }, () => String.fromCharCode(r.int(0xffff))).join('');
}

/** Replaces a random leaf or branch of `value` with something of the wrong type or size. */
export function mutate(r: Rng, value: unknown, depth = 0): unknown {
  const wrong = [null, 0, -1, 1e308, 2 ** 60, '', 'x'.repeat(5_000), [], {}, true, [1, 'a'], { nested: { deep: [null] } }];
  if (value === null || typeof value !== 'object' || depth > 4 || r.chance(0.25)) return r.pick(wrong);
  const copy: Record<string, unknown> = Array.isArray(value) ? ([...value] as unknown as Record<string, unknown>) : { ...(value as Record<string, unknown>) };
  const keys = Object.keys(copy);
  if (keys.length === 0) return r.pick(wrong);
  const key = r.pick(keys);
  if (r.chance(0.2)) delete copy[key];
  else copy[key] = mutate(r, copy[key], depth + 1);
  return copy;
}
