import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { evaluate } from '../../scripts/nlu-eval.js';
import { loadNluData } from '../../src/nlu/data.js';
import { fold } from '../../src/shared/text.js';
import { COUNSELLOR_INTENTS, YOUTH_INTENTS } from '../../src/nlu/types.js';

const heldout = readFileSync(new URL('./heldout.jsonl', import.meta.url), 'utf8');
const lines = heldout
  .split('\n')
  .filter((l) => l.trim())
  .map((l) => JSON.parse(l) as { role: 'youth' | 'counsellor'; text: string; intent: string; entities?: Record<string, unknown> });

describe('held-out evaluation', () => {
  it('is a real held-out set: large, both roles, every intent, never in training', () => {
    expect(lines.length).toBeGreaterThanOrEqual(300);
    for (const i of YOUTH_INTENTS) expect(lines.some((l) => l.role === 'youth' && l.intent === i), i).toBe(true);
    for (const i of COUNSELLOR_INTENTS) expect(lines.some((l) => l.role === 'counsellor' && l.intent === i), i).toBe(true);
    const training = new Set(loadNluData().training.map((t) => fold(t.text)));
    expect(lines.filter((l) => training.has(fold(l.text))).map((l) => l.text)).toEqual([]);
  });

  it('reaches the acceptance targets', () => {
    const r = evaluate(heldout);
    expect(r.errors).toBe(0);
    expect(r.withEntities).toBeGreaterThanOrEqual(100);
    expect(r.intentAccuracy).toBeGreaterThanOrEqual(0.95);
    expect(r.entityAccuracy).toBeGreaterThanOrEqual(0.9);
  });
});

describe('nlu-eval', () => {
  it('reports bad lines and keeps going', () => {
    const errors: string[] = [];
    const reports: object[] = [];
    const r = evaluate(
      ['{"role":"youth","text":"jcherche 1 taf a lyon","intent":"search_missions","entities":{"city":"Lyon"}}', 'not json', '{"role":"robot","text":"x","intent":"help"}', ''].join('\n'),
      undefined,
      (x) => reports.push(x),
      (e) => errors.push(e),
    );
    expect(r).toMatchObject({ n: 1, errors: 2, intentAccuracy: 1, entityAccuracy: 1 });
    expect(errors[0]).toMatch(/line 2/);
    expect(errors[1]).toMatch(/line 3/);
    expect(reports[0]).toMatchObject({ text: 'jcherche 1 taf a lyon', predicted: { intent: 'search_missions' } });
  });

  it('compares persons and notes without accents or case, and ignores extra predicted keys', () => {
    const r = evaluate(
      '{"role":"counsellor","text":"Note pour Léa Martin : appelée, ok pour lundi","intent":"log_contact","entities":{"person":"lea martin","note":"Appelee ok pour lundi"}}',
    );
    expect(r.entityAccuracy).toBe(1);
  });
});
