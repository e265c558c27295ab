/**
 * Evaluates the NLU on a JSONL file: `npm run nlu:eval -- FILE.jsonl [--route llm]`.
 * With `--route llm`, the same file goes through the LLM route as the service runs it (deterministic first, the
 * configured model below LLM_CONFIDENCE_THRESHOLD); the summary adds the share of messages sent to the model and
 * the deterministic figures of the same file, so both routes are compared on the same lines.
 *
 * Each input line: {"role":"youth"|"counsellor","text":"...","intent":"...","entities":{...}}.
 * Prints one JSON line per input ({text, role, expected, predicted}) and a last summary line
 * {"intentAccuracy","entityAccuracy","n"}. Bad lines are reported on stderr and counted as errors.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { fold } from '../src/shared/text.js';
import { parseArgs } from 'node:util';
import { getNlu, understand, type Entities, type Nlu, type Role, type Understanding } from '../src/nlu/index.js';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/shared/logger.js';
import { createLanguageRoute } from '../src/llm/index.js';
import { llmSettingsFrom } from '../src/llm/provider.js';
import { asksModel } from '../src/llm/understand.js';

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

/** The valid lines of a JSONL text; each unreadable line is reported to `onError` and counted. */
export function parseEvalLines(jsonl: string, onError: (message: string) => void = () => {}): { lines: EvalLine[]; errors: number } {
  const lines: EvalLine[] = [];
  let errors = 0;
  jsonl.split('\n').forEach((raw, i) => {
    if (!raw.trim()) return;
    try {
      const parsed = lineSchema.safeParse(JSON.parse(raw));
      if (!parsed.success) throw new Error(z.prettifyError(parsed.error).replace(/\n/g, ' '));
      lines.push(parsed.data);
    } catch (e) {
      errors++;
      onError(`line ${i + 1}: ${(e as Error).message}`);
    }
  });
  return { lines, errors };
}

/** Scores predictions against their lines (same order). */
function score(lines: EvalLine[], predictions: Understanding[], onLine: (report: object) => void, errors: number): EvalResult {
  let intentOk = 0;
  let withEntities = 0;
  let entityOk = 0;
  lines.forEach((line, i) => {
    const u = predictions[i]!;
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
  const n = lines.length;
  const ratio = (a: number, b: number, empty: number) => (b === 0 ? empty : Math.round((a / b) * 10000) / 10000);
  // No line expecting entities means no entity was missed.
  return { intentAccuracy: ratio(intentOk, n, 0), entityAccuracy: ratio(entityOk, withEntities, 1), n, errors, withEntities };
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
  const { lines, errors } = parseEvalLines(jsonl, onError);
  return score(lines, lines.map((l) => nlu.understand(l.text, l.role)), onLine, errors);
}

/** The same evaluation through any understanding function, such as the LLM route (asked one line at a time). */
export async function evaluateWith(
  jsonl: string,
  understand: (text: string, role: Role) => Understanding | Promise<Understanding>,
  onLine: (report: object) => void = () => {},
  onError: (message: string) => void = () => {},
): Promise<EvalResult> {
  const { lines, errors } = parseEvalLines(jsonl, onError);
  const predictions: Understanding[] = [];
  for (const l of lines) predictions.push(await understand(l.text, l.role));
  return score(lines, predictions, onLine, errors);
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({ options: { route: { type: 'string', default: 'deterministic' } }, allowPositionals: true });
  const file = positionals.find((a) => a !== '--');
  if (!file || !['deterministic', 'llm'].includes(values.route)) {
    console.error('usage: npm run nlu:eval -- FILE.jsonl [--route deterministic|llm]');
    process.exit(2);
  }
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    console.error(`cannot read ${file}: ${(e as Error).message}`);
    process.exit(2);
  }
  const onLine = (report: object) => console.log(JSON.stringify(report));
  const onError = (message: string) => console.error(`${file}: ${message}`);
  if (values.route === 'deterministic') {
    const r = evaluate(text, getNlu(), onLine, onError);
    if (r.errors) console.error(`${file}: ${r.errors} bad line(s) skipped`);
    console.log(JSON.stringify({ route: 'deterministic', intentAccuracy: r.intentAccuracy, entityAccuracy: r.entityAccuracy, n: r.n }));
    return;
  }
  // The LLM route as the service runs it: deterministic first, the configured model below the threshold.
  const config = loadConfig();
  const settings = llmSettingsFrom(config);
  const language = await createLanguageRoute(config, createLogger(process.env.LOG_LEVEL ?? 'silent'));
  if (!settings || !language) {
    console.error('--route llm needs LLM_PROVIDER and LLM_MODEL (see README, "Optional LLM route")');
    process.exit(2);
  }
  const { lines } = parseEvalLines(text);
  const asked = lines.filter((l) => asksModel(understand(l.text, l.role), l.role, settings)).length;
  const r = await evaluateWith(text, language.understand, onLine, onError);
  if (r.errors) console.error(`${file}: ${r.errors} bad line(s) skipped`);
  const baseline = evaluate(text);
  console.log(
    JSON.stringify({
      route: 'llm',
      intentAccuracy: r.intentAccuracy,
      entityAccuracy: r.entityAccuracy,
      n: r.n,
      sentToModel: r.n === 0 ? 0 : Math.round((asked / r.n) * 10000) / 10000,
      deterministic: { intentAccuracy: baseline.intentAccuracy, entityAccuracy: baseline.entityAccuracy },
    }),
  );
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
