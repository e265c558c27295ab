/**
 * Evaluates the NLU on a JSONL file: `npm run nlu:eval -- FILE.jsonl`.
 *
 * Each input line: {"role":"youth"|"counsellor","text":"...","intent":"...","entities":{...}}.
 * Prints one JSON line per input ({text, role, expected, predicted}) and a last summary line
 * {"intentAccuracy","entityAccuracy","n"}. Bad lines are reported on stderr and counted as errors.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { fold } from '../src/shared/text.js';
import { getNlu, type Entities, type Nlu } from '../src/nlu/index.js';

const lineSchema = z.object({
  role: z.enum(['youth', 'counsellor']),
  text: z.string().min(1),
  intent: z.string().min(1),
  entities: z.record(z.string(), z.unknown()).optional(),
});
export type EvalLine = z.infer<typeof lineSchema>;

export interface EvalResult {
  intentAccuracy: number;
  entityAccuracy: number;
  n: number;
  /** Lines that could not be read. */
  errors: number;
  /** Lines that had expected entities (the denominator of entityAccuracy). */
  withEntities: number;
}

// Free-text entities are compared without case, accents and punctuation.
const FOLDED_KEYS = new Set(['person', 'note']);

/** True when every expected entity is predicted with the same value (extra predicted keys are ignored). */
export function entitiesMatch(expected: Record<string, unknown>, predicted: Entities): boolean {
  const got = predicted as Record<string, unknown>;
  return Object.entries(expected).every(([k, v]) => {
    const p = got[k];
    if (FOLDED_KEYS.has(k) && typeof v === 'string' && typeof p === 'string') return fold(v) === fold(p);
    return p === v;
  });
}

/**
 * Runs the evaluation over the lines of a JSONL text.
 * @param onLine receives each per-line report; @param onError each unreadable line.
 */
export function evaluate(
  jsonl: string,
  nlu: Nlu = getNlu(),
  onLine: (report: object) => void = () => {},
  onError: (message: string) => void = () => {},
): EvalResult {
  let n = 0;
  let intentOk = 0;
  let withEntities = 0;
  let entityOk = 0;
  let errors = 0;
  jsonl.split('\n').forEach((raw, i) => {
    if (!raw.trim()) return;
    let line: EvalLine;
    try {
      const parsed = lineSchema.safeParse(JSON.parse(raw));
      if (!parsed.success) throw new Error(z.prettifyError(parsed.error).replace(/\n/g, ' '));
      line = parsed.data;
    } catch (e) {
      errors++;
      onError(`line ${i + 1}: ${(e as Error).message}`);
      return;
    }
    n++;
    const u = nlu.understand(line.text, line.role);
    if (u.intent === line.intent) intentOk++;
    const expectedEntities = line.entities ?? {};
    if (Object.keys(expectedEntities).length > 0) {
      withEntities++;
      if (entitiesMatch(expectedEntities, u.entities)) entityOk++;
    }
    onLine({
      text: line.text,
      role: line.role,
      expected: { intent: line.intent, entities: expectedEntities },
      predicted: { intent: u.intent, entities: u.entities, confidence: u.confidence },
    });
  });
  const ratio = (a: number, b: number, empty: number) => (b === 0 ? empty : Math.round((a / b) * 10000) / 10000);
  // No line expecting entities means no entity was missed.
  return { intentAccuracy: ratio(intentOk, n, 0), entityAccuracy: ratio(entityOk, withEntities, 1), n, errors, withEntities };
}

function main(): void {
  const file = process.argv.slice(2).find((a) => a !== '--');
  if (!file) {
    console.error('usage: npm run nlu:eval -- FILE.jsonl');
    process.exit(2);
  }
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    console.error(`cannot read ${file}: ${(e as Error).message}`);
    process.exit(2);
  }
  const r = evaluate(
    text,
    getNlu(),
    (report) => console.log(JSON.stringify(report)),
    (message) => console.error(`${file}: ${message}`),
  );
  if (r.errors) console.error(`${file}: ${r.errors} bad line(s) skipped`);
  console.log(JSON.stringify({ intentAccuracy: r.intentAccuracy, entityAccuracy: r.entityAccuracy, n: r.n }));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
