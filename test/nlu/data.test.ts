import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_DATA_DIR, NluDataError, loadNluData } from '../../src/nlu/data.js';
import { buildNlu } from '../../src/nlu/index.js';

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'nlu-data-'));
  cpSync(DEFAULT_DATA_DIR, dir, { recursive: true });
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const edit = (file: string, f: (s: string) => string) => writeFileSync(join(dir, file), f(readFileSync(join(dir, file), 'utf8')));

function expectBroken(file: string, detail: RegExp): void {
  let error: unknown;
  try {
    loadNluData(dir);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(NluDataError);
  expect((error as NluDataError).file).toBe(file);
  expect((error as Error).message).toContain(`"${file}"`);
  expect((error as Error).message).toMatch(detail);
}

describe('NLU data loader', () => {
  it('loads the shipped data', () => {
    const data = loadNluData();
    expect(data.intents.length).toBe(29);
    expect(data.training.length).toBeGreaterThan(1000);
  });

  it('has at least 40 training examples per intent and role', () => {
    const data = loadNluData();
    for (const i of data.intents) {
      for (const role of i.roles) {
        const n = data.training.filter((t) => t.intent === i.name && (!t.role || t.role === role)).length;
        expect(n, `${i.name}/${role}`).toBeGreaterThanOrEqual(40);
      }
    }
  });

  it('names a file that is not JSON', () => {
    edit('sectors.json', (s) => s.slice(0, 40));
    expectBroken('sectors.json', /not valid JSON/);
  });

  it('names a file that breaks its schema', () => {
    edit('numbers.json', (s) => s.replace('"semaine": 7', '"semaine": "sept"'));
    expectBroken('numbers.json', /units/);
  });

  it('names a sector lexicon with an unknown sector', () => {
    edit('sectors.json', (s) => s.replace('"btp"', '"batiment_public"'));
    expectBroken('sectors.json', /batiment_public|btp/);
  });

  it('names the line of a broken training example', () => {
    edit('training.jsonl', (s) => `${s.split('\n').slice(0, 2).join('\n')}\n{"intent":"search_missions"\n${s}`);
    expectBroken('training.jsonl', /line 3/);
  });

  it('rejects a training example for an intent of the other role', () => {
    edit('training.jsonl', (s) => `{"intent":"caseload_overview","text":"mon portefeuille","role":"youth"}\n${s}`);
    expectBroken('training.jsonl', /line 1.*not a youth intent/);
  });

  it('rejects an unknown intent', () => {
    edit('training.jsonl', (s) => `${s}{"intent":"order_pizza","text":"une pizza"}\n`);
    expectBroken('training.jsonl', /order_pizza|intent/);
  });

  it('requires every contract intent in the catalogue', () => {
    edit('intents.json', (s) => s.replace(/\s*\{ "name": "delete_data"[^\n]*\n/, '\n'));
    expectBroken('intents.json', /delete_data/);
  });

  it('names a missing file', () => {
    rmSync(join(dir, 'markers.json'));
    expectBroken('markers.json', /cannot be read/);
  });

  it('builds from another folder, and fails there clearly', () => {
    edit('city-stoplist.json', () => '{"never": "y"}');
    expect(() => buildNlu({ dataDir: dir })).toThrow(/city-stoplist\.json/);
  });
});
