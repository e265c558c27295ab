/**
 * K-fold cross-validated intent accuracy of the NLU on its own training data:
 * `npx tsx src/nlu/tools/cross-validate.ts [--folds 5] [--seed 1]`.
 *
 * Why: the held-out file is small and was written by the same hands as the training set, so its accuracy can be
 * optimistic. Training on k-1 folds and testing on the last one, k times, says how the classifier does on
 * sentences it has never seen. Each example is tested with its own role (an example without a role is tested
 * with the first role of its intent). Prints `{"folds","n","intentAccuracy","byIntent"}` as one JSON line.
 */
import { buildNlu } from '../index.js';
import { loadNluData, type NluData } from '../data.js';

function argument(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  return Number.isInteger(v) && v > 1 - (name === 'seed' ? 2 : 0) ? v : fallback;
}

/** A deterministic shuffle (mulberry32), so two runs give the same folds. */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  let s = seed >>> 0;
  const random = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** Runs the cross-validation; exported for a quick check from a test or another script. */
export function crossValidate(data: NluData, folds: number, seed: number): { n: number; intentAccuracy: number; byIntent: Record<string, number> } {
  const rolesOf = new Map(data.intents.map((i) => [i.name, i.roles]));
  const examples = shuffled(data.training, seed);
  let ok = 0;
  const seen: Record<string, { n: number; ok: number }> = {};
  for (let f = 0; f < folds; f++) {
    const test = examples.filter((_, i) => i % folds === f);
    const training = examples.filter((_, i) => i % folds !== f);
    const nlu = buildNlu({ training });
    for (const ex of test) {
      const role = ex.role ?? rolesOf.get(ex.intent)![0]!;
      const got = nlu.understand(ex.text, role).intent;
      const s = (seen[ex.intent] ??= { n: 0, ok: 0 });
      s.n++;
      if (got === ex.intent) {
        s.ok++;
        ok++;
      }
    }
  }
  const round = (x: number) => Math.round(x * 10000) / 10000;
  return {
    n: examples.length,
    intentAccuracy: round(ok / examples.length),
    byIntent: Object.fromEntries(Object.entries(seen).map(([k, v]) => [k, round(v.ok / v.n)])),
  };
}

const folds = argument('folds', 5);
const seed = argument('seed', 1);
console.log(JSON.stringify({ folds, ...crossValidate(loadNluData(), folds, seed) }));
