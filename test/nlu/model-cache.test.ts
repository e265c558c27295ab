import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_DATA_DIR } from '../../src/nlu/data.js';
import { buildNlu, loadNlu, type Nlu } from '../../src/nlu/index.js';
import { modelFile, modelKey } from '../../src/nlu/model-cache.js';
import { repoRoot } from '../../src/store/database-url.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'mj-nlu-cache-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const heldout = readFileSync(path.join(repoRoot, 'test', 'nlu', 'heldout.jsonl'), 'utf8')
  .split('\n')
  .filter((l) => l.trim())
  .map((l) => JSON.parse(l) as { role: 'youth' | 'counsellor'; text: string });
// Postcodes, typos on communes, names: the parts of the model the cache carries besides the classifiers.
const extra = [
  { role: 'youth', text: 'du taf vers 69100 stp' },
  { role: 'youth', text: 'mission à villeurbane ou lyon' },
  { role: 'youth', text: 'un boulot à aix en provance' },
  { role: 'counsellor', text: 'fiche de Léa Martin' },
] as const;
const answers = (nlu: Nlu) => [...heldout, ...extra].map((l) => nlu.understand(l.text, l.role));

const fresh = () => mkdtempSync(path.join(dir, 'c-'));

describe('the NLU model cache', () => {
  const reference = answers(buildNlu());

  it('trains and writes on a miss, then a later load reads the file and understands exactly as the trained model', () => {
    const cache = fresh();
    const first = loadNlu({ cacheDir: cache });
    expect(first.source).toBe('trained');
    expect(readdirSync(cache)).toEqual([path.basename(modelFile(cache, modelKey(DEFAULT_DATA_DIR)))]);
    const second = loadNlu({ cacheDir: cache });
    expect(second.source).toBe('cache');
    expect(answers(second.nlu)).toEqual(reference);
    expect(answers(first.nlu)).toEqual(reference);
  });

  it('misses when the data changes, and the new model replaces the old file', () => {
    const cache = fresh();
    const data = path.join(fresh(), 'data');
    cpSync(DEFAULT_DATA_DIR, data, { recursive: true });
    expect(loadNlu({ cacheDir: cache, dataDir: data }).source).toBe('trained');
    const before = modelKey(data);
    const training = path.join(data, 'training.jsonl');
    writeFileSync(training, `${readFileSync(training, 'utf8').trimEnd()}\n${JSON.stringify({ intent: 'search_missions', text: 'un petit job de vendangeur en septembre' })}\n`);
    expect(modelKey(data)).not.toBe(before);
    expect(loadNlu({ cacheDir: cache, dataDir: data }).source).toBe('trained');
    expect(readdirSync(cache)).toEqual([path.basename(modelFile(cache, modelKey(data)))]);
    expect(loadNlu({ cacheDir: cache, dataDir: data }).source).toBe('cache');
  });

  it('trains again when the file is damaged (truncated, one byte flipped, not a model at all) and repairs it', () => {
    const cache = fresh();
    loadNlu({ cacheDir: cache });
    const file = modelFile(cache, modelKey(DEFAULT_DATA_DIR));
    const good = readFileSync(file);
    const flipped = Buffer.from(good);
    flipped[Math.floor(flipped.length / 2)]! ^= 0x40;
    for (const broken of [good.subarray(0, good.length - 100), flipped, Buffer.from('{"not":"a model"}')]) {
      writeFileSync(file, broken);
      const r = loadNlu({ cacheDir: cache });
      expect(r.source).toBe('trained');
      expect(answers(r.nlu)).toEqual(reference);
      expect(readFileSync(file).equals(good)).toBe(true);
    }
  });

  it('still works when the cache folder cannot be written', () => {
    const notADir = path.join(fresh(), 'file');
    writeFileSync(notADir, 'x');
    const r = loadNlu({ cacheDir: path.join(notADir, 'cache') });
    expect(r.source).toBe('trained');
    expect(r.nlu.understand('je cherche une mission à Lyon', 'youth').entities.city).toBe('Lyon');
  });

  it('stays whole when several processes train and write it at the same time', async () => {
    const cache = fresh();
    const script = `import { loadNlu } from ${JSON.stringify(path.join(repoRoot, 'src', 'nlu', 'index.ts'))};
const r = loadNlu({ cacheDir: process.argv[1] });
console.log(JSON.stringify({ source: r.source, city: r.nlu.understand('un taf à Lyon', 'youth').entities.city }));`;
    const run = () =>
      new Promise<string>((resolve, reject) => {
        const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script, cache], { cwd: repoRoot });
        let out = '';
        child.stdout.on('data', (d) => (out += d));
        child.stderr.on('data', (d) => (out += d));
        child.on('close', (code) => (code === 0 ? resolve(out.trim()) : reject(new Error(out))));
      });
    const results = (await Promise.all([run(), run(), run()])).map((o) => JSON.parse(o.split('\n').pop()!) as { source: string; city: string });
    for (const r of results) expect(r.city).toBe('Lyon');
    // No temporary file left, one model file, and it is intact.
    expect(readdirSync(cache)).toEqual([path.basename(modelFile(cache, modelKey(DEFAULT_DATA_DIR)))]);
    const after = loadNlu({ cacheDir: cache });
    expect(after.source).toBe('cache');
    expect(answers(after.nlu)).toEqual(reference);
  }, 120_000);
});
