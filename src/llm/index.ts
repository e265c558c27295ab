/**
 * The optional LLM route, off by default (`LLM_PROVIDER=none`): the deterministic NLU stays the default and the
 * fallback. With a provider configured, the route helps understand messages the NLU is unsure about and, with
 * `LLM_REPHRASE=true`, rewords replies under the grounding guard. It never supplies a fact.
 */
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { Assistant } from '../core/types.js';
import { understand as deterministic } from '../nlu/index.js';
import type { Role, Understanding } from '../nlu/types.js';
import { loadPrompt } from './prompts.js';
import { createChatModel, llmSettingsFrom } from './provider.js';
// The route's modules (and LangChain under them, some 250 ES modules) are loaded only when a provider is set.

/** What the composition root plugs into the core: the routed `understand`, and the reply decorator. */
export interface LanguageRoute {
  understand(text: string, role: Role): Promise<Understanding>;
  /** The assistant with grounded rephrasing when `LLM_REPHRASE=true`; the assistant itself otherwise. */
  decorate(assistant: Assistant): Assistant;
  /** For the start-up log: provider and model, no key. */
  describe: { provider: string; model: string; rephrase: boolean };
}

/**
 * The LLM route from the configuration, or undefined when none is configured. Prompts are loaded and checked
 * here, at start-up: a broken prompt file throws a `PromptError` naming the file, and the service does not start.
 */
export async function createLanguageRoute(config: Config, log: Logger): Promise<LanguageRoute | undefined> {
  const s = llmSettingsFrom(config);
  if (!s) return undefined;
  const understandPrompt = loadPrompt('understand');
  const rephrasePrompt = s.rephrase ? loadPrompt('rephrase') : undefined;
  const [{ createUnderstandingRoute }, { createRephraser, withRephrasing }] = await Promise.all([
    import('./understand.js'),
    import('./rephrase.js'),
  ]);
  const model = await createChatModel(s, understandPrompt.config);
  const understand = createUnderstandingRoute({
    model,
    prompt: understandPrompt,
    base: deterministic,
    log,
    timeoutMs: s.timeoutMs,
    confidenceThreshold: s.confidenceThreshold,
    roles: s.roles,
  });
  const rephrase = rephrasePrompt
    ? createRephraser({ model: await createChatModel(s, rephrasePrompt.config), prompt: rephrasePrompt, log, timeoutMs: s.timeoutMs })
    : undefined;
  return {
    understand,
    decorate: (assistant) => (rephrase ? withRephrasing(assistant, rephrase, s.timeoutMs) : assistant),
    describe: { provider: s.provider, model: s.model, rephrase: s.rephrase },
  };
}
