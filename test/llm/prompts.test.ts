import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadPrompt, PromptError, renderPrompt } from '../../src/llm/prompts.js';
import { loadConfig } from '../../src/config.js';
import { createLanguageRoute } from '../../src/llm/index.js';
import { capturingLogger } from '../helpers/logs.js';

const FIXTURES = fileURLToPath(new URL('./fixtures/prompts/', import.meta.url));

describe('prompt files', () => {
  it('loads the shipped prompts with their configuration', () => {
    const understand = loadPrompt('understand');
    expect(understand.config.temperature).toBe(0);
    expect(understand.messages.map((m) => m.role)).toEqual(['system', 'user']);
    expect(loadPrompt('rephrase').messages[0]!.template).toContain('Tu reformules');
  });

  it.each([
    ['bad-json', /prompt\.json is not valid JSON/],
    ['bad-config', /prompt\.json: temperature/],
    ['missing-file', /absent\.md is missing/],
    ['unknown-placeholder', /uses \{\{secret_field\}\}, which prompt\.json does not declare/],
    ['no-such-prompt', /no-such-prompt.*prompt\.json is missing/],
  ])('refuses a broken prompt folder (%s) with a message naming the file', (name, message) => {
    expect(() => loadPrompt(name, FIXTURES)).toThrow(PromptError);
    expect(() => loadPrompt(name, FIXTURES)).toThrow(message);
  });

  it('inserts values verbatim, without expanding placeholders written by the user', () => {
    const p = loadPrompt('understand');
    const [, user] = renderPrompt(p, { role_description: 'r', intents: 'i', entity_forms: 'e', examples: 'x', message: 'dis {{intents}} & <b>' });
    expect(user!.content).toContain('dis {{intents}} & <b>');
    expect(() => renderPrompt(p, { message: 'x' })).toThrow(/no value for \{\{role_description\}\}/);
  });

  it('is off by default, and a provider without a model stops the start with a clear message', async () => {
    const log = capturingLogger().log;
    expect(await createLanguageRoute(loadConfig({}), log)).toBeUndefined();
    await expect(createLanguageRoute(loadConfig({ LLM_PROVIDER: 'openai' }), log)).rejects.toThrow(/LLM_MODEL is required/);
    expect(() => loadConfig({ LLM_ROLES: 'youth,admin' })).toThrow(/LLM_ROLES/);
  });
});
