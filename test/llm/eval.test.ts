import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOpenAiCompatibleServer, userMessage } from './openai-server.js';

let model: Awaited<ReturnType<typeof startOpenAiCompatibleServer>>;
beforeAll(async () => {
  model = await startOpenAiCompatibleServer((req) =>
    userMessage(req).includes('bossent pas') ? { intent: 'youth_without_mission', confidence: 0.9, entities: {} } : { intent: 'out_of_scope', confidence: 0.4, entities: {} },
  );
});
afterAll(async () => model?.close());

describe('npm run nlu:eval -- FILE --route llm', () => {
  it('evaluates both routes on the same file and prints the share sent to the model', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'nlu-eval-'));
    const file = path.join(dir, 'lines.jsonl');
    writeFileSync(
      file,
      [
        { role: 'counsellor', text: 'qui sont ceux qui bossent pas en ce moment', intent: 'youth_without_mission' },
        { role: 'counsellor', text: 'mon portefeuille', intent: 'caseload_overview' },
        { role: 'youth', text: 'jcherche 1 taf a lyon', intent: 'search_missions' },
      ]
        .map((l) => JSON.stringify(l))
        .join('\n'),
    );
    const env = { ...process.env, LLM_PROVIDER: 'openai', LLM_MODEL: 'local-test-model', LLM_BASE_URL: model.url, LLM_CONFIDENCE_THRESHOLD: '0.8', LOG_LEVEL: 'silent' };
    // spawnSync would block the event loop that serves the stand-in model: run the CLI asynchronously.
    const out = await new Promise<string>((resolve, reject) =>
      execFile('npx', ['tsx', 'scripts/nlu-eval.ts', file, '--route', 'llm'], { env, timeout: 60_000 }, (err, stdout) => (err ? reject(err) : resolve(stdout))),
    );
    const summary = JSON.parse(out.trim().split('\n').at(-1)!);
    expect(summary.route).toBe('llm');
    expect(summary.n).toBe(3);
    expect(summary.intentAccuracy).toBe(1);
    expect(summary.deterministic.intentAccuracy).toBeLessThan(1);
    expect(summary.sentToModel).toBeCloseTo(model.requests.length / 3, 4);
    expect(model.requests.length).toBeGreaterThanOrEqual(1);
    expect(spawnSync('npx', ['tsx', 'scripts/nlu-eval.ts', file, '--route', 'llm'], { env: { ...process.env, LLM_PROVIDER: 'none' }, encoding: 'utf8' }).status).toBe(2);
  });
});
