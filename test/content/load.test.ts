import { describe, it, expect } from 'vitest';
import { fileURLToPath } from 'node:url';
import { ContentFileError, loadFaq, loadSupportCatalogue } from '../../src/content/load.js';
import { barrierTopic, funder } from '../../src/content/schema.js';

const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

/** Runs a loader that must fail and returns its error, so each test can check the message precisely. */
function failureOf(load: () => unknown): ContentFileError {
  try {
    load();
  } catch (err) {
    expect(err).toBeInstanceOf(ContentFileError);
    return err as ContentFileError;
  }
  throw new Error('expected the loader to throw');
}

/** A clear message lists problems in prose; a raw zod dump would carry JSON issue objects. */
function expectNoRawDump(message: string): void {
  expect(message).not.toMatch(/"code"\s*:/);
  expect(message).not.toMatch(/"path"\s*:/);
}

describe('the real support catalogue', () => {
  it('loads, with enough measures covering every topic and every funder', () => {
    const measures = loadSupportCatalogue();
    expect(measures.length).toBeGreaterThanOrEqual(18);
    expect(new Set(measures.map((m) => m.topic))).toEqual(new Set(barrierTopic.options));
    expect(new Set(measures.map((m) => m.funder))).toEqual(new Set(funder.options));
  });

  it('has unique keys', () => {
    const keys = loadSupportCatalogue().map((m) => m.key);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('tells the reader to check every unverified measure', () => {
    for (const m of loadSupportCatalogue()) {
      if (m.verification === 'unverified') expect(m.summary, m.key).toContain('vérifier');
    }
  });

  it('gives every measure a last-verified date that is not in the future', () => {
    for (const m of loadSupportCatalogue()) expect(Date.parse(m.lastVerifiedAt), m.key).toBeLessThanOrEqual(Date.now());
  });
});

describe('the real FAQ', () => {
  it('loads, with enough entries each asked in at least five ways', () => {
    const faq = loadFaq();
    expect(faq.length).toBeGreaterThanOrEqual(34);
    for (const e of faq) expect(e.variants.length, e.key).toBeGreaterThanOrEqual(5);
  });

  it('has unique keys', () => {
    const keys = loadFaq().map((e) => e.key);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('tells the reader to check every unverified answer', () => {
    for (const e of loadFaq()) {
      if (e.verification === 'unverified') expect(e.answer, e.key).toContain('vérifier');
    }
  });

  it('gives every entry a last-verified date that is not in the future', () => {
    for (const e of loadFaq()) expect(Date.parse(e.lastVerifiedAt), e.key).toBeLessThanOrEqual(Date.now());
  });
});

describe('valid fixtures', () => {
  // Guards the broken fixtures below: each differs from these by one defect only.
  it('accept the minimal FAQ and catalogue', () => {
    expect(loadFaq(fixture('faq-valid-minimal.json'))).toHaveLength(30);
    expect(loadSupportCatalogue(fixture('support-valid-minimal.json'))).toHaveLength(15);
  });

  it('accept a file: URL as well as a path', () => {
    const url = new URL('./fixtures/faq-valid-minimal.json', import.meta.url);
    expect(loadFaq(url)).toHaveLength(30);
  });
});

describe('broken files are rejected with a message naming the file and the problem', () => {
  it('a missing file', () => {
    const err = failureOf(() => loadFaq(fixture('does-not-exist.json')));
    expect(err.message).toContain('does-not-exist.json');
    expect(err.message).toContain('cannot be read');
  });

  it('invalid JSON', () => {
    const err = failureOf(() => loadFaq(fixture('invalid-json.json')));
    expect(err.file).toBe(fixture('invalid-json.json'));
    expect(err.message).toContain('invalid-json.json');
    expect(err.message).toContain('is not valid JSON');
  });

  it('a file that is not an array', () => {
    const err = failureOf(() => loadFaq(fixture('not-an-array.json')));
    expect(err.message).toContain('not-an-array.json');
    expect(err.message).toContain('whole file');
    expect(err.message).toContain('array');
  });

  it('a missing field', () => {
    const err = failureOf(() => loadFaq(fixture('faq-missing-field.json')));
    expect(err.message).toContain('faq-missing-field.json');
    expect(err.problems).toHaveLength(1);
    expect(err.problems[0]).toMatch(/^entry 4 \(key "q04"\), field "answer": /);
    expectNoRawDump(err.message);
  });

  it('a value outside an enum', () => {
    const err = failureOf(() => loadSupportCatalogue(fixture('support-bad-enum.json')));
    expect(err.message).toContain('support-bad-enum.json');
    expect(err.problems).toHaveLength(1);
    expect(err.problems[0]).toMatch(/^entry 2 \(key "m02"\), field "topic": /);
    expect(err.problems[0]).toContain('housing');
    expectNoRawDump(err.message);
  });

  it('a bad URL', () => {
    const err = failureOf(() => loadSupportCatalogue(fixture('support-bad-url.json')));
    expect(err.message).toContain('support-bad-url.json');
    expect(err.problems).toHaveLength(1);
    expect(err.problems[0]).toMatch(/^entry 5 \(key "m05"\), field "sourceUrl": /);
    expectNoRawDump(err.message);
  });

  it('a wrong type deep inside an eligibility rule', () => {
    const err = failureOf(() => loadSupportCatalogue(fixture('support-bad-rule.json')));
    expect(err.message).toContain('support-bad-rule.json');
    expect(err.problems).toHaveLength(1);
    expect(err.problems[0]).toMatch(/^entry 1 \(key "m01"\), field "eligibility\[0\]\.years": /);
  });

  it('a duplicate key', () => {
    const err = failureOf(() => loadFaq(fixture('faq-duplicate-key.json')));
    expect(err.message).toContain('faq-duplicate-key.json');
    expect(err.problems).toEqual(['duplicate key "q03" in entries 3, 7']);
  });

  it('a FAQ file given to the catalogue loader', () => {
    const err = failureOf(() => loadSupportCatalogue(fixture('faq-valid-minimal.json')));
    expect(err.message).toContain('faq-valid-minimal.json');
    // Every entry is wrong the same way; the message stays short instead of listing them all.
    expect(err.message).toMatch(/… and \d+ more/);
    expect(err.message.split('\n').length).toBeLessThanOrEqual(12);
  });
});
