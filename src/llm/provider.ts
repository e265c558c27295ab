/**
 * The chat model of the LLM route, from the configuration. Provider packages are imported only when their
 * provider is configured, so the default (`LLM_PROVIDER=none`) loads none of them.
 */
import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import type { Config } from '../config.js';

/** The LLM settings of the service, as the route needs them. */
export interface LlmSettings {
  provider: Exclude<Config['LLM_PROVIDER'], 'none'>;
  model: string;
  baseUrl?: string;
  apiKey?: string;
  timeoutMs: number;
  roles: readonly ('youth' | 'counsellor')[];
  confidenceThreshold: number;
  rephrase: boolean;
  azureApiVersion: string;
}

/** The route's settings, or undefined when no provider is configured (the deterministic NLU alone). */
export function llmSettingsFrom(config: Config): LlmSettings | undefined {
  if (config.LLM_PROVIDER === 'none') return undefined;
  if (!config.LLM_MODEL) throw new Error(`Invalid configuration: LLM_MODEL is required when LLM_PROVIDER=${config.LLM_PROVIDER}`);
  if (config.LLM_PROVIDER === 'azure-openai' && (!config.LLM_BASE_URL || !config.LLM_API_KEY)) {
    throw new Error('Invalid configuration: LLM_BASE_URL (the Azure OpenAI endpoint) and LLM_API_KEY are required when LLM_PROVIDER=azure-openai');
  }
  return {
    provider: config.LLM_PROVIDER,
    model: config.LLM_MODEL,
    baseUrl: config.LLM_BASE_URL,
    apiKey: config.LLM_API_KEY,
    timeoutMs: config.LLM_TIMEOUT_MS,
    roles: config.LLM_ROLES,
    confidenceThreshold: config.LLM_CONFIDENCE_THRESHOLD,
    rephrase: config.LLM_REPHRASE,
    azureApiVersion: config.LLM_AZURE_API_VERSION,
  };
}

/**
 * Builds the provider's LangChain chat model. Retries are off: the route has one short time budget per message,
 * and on any failure it falls back to the deterministic understanding instead of waiting.
 */
export async function createChatModel(s: LlmSettings, options: { temperature: number; maxTokens: number }): Promise<BaseChatModel> {
  const common = { temperature: options.temperature, maxTokens: options.maxTokens, maxRetries: 0, timeout: s.timeoutMs };
  switch (s.provider) {
    case 'openai': {
      const { ChatOpenAI } = await import('@langchain/openai');
      // Any OpenAI-compatible server (vLLM, llama.cpp, LM Studio…) through LLM_BASE_URL; local ones take any key.
      return new ChatOpenAI({
        model: s.model,
        apiKey: s.apiKey ?? 'not-needed',
        ...common,
        configuration: s.baseUrl ? { baseURL: s.baseUrl } : undefined,
      });
    }
    case 'azure-openai': {
      const { AzureChatOpenAI } = await import('@langchain/openai');
      return new AzureChatOpenAI({
        azureOpenAIEndpoint: s.baseUrl,
        azureOpenAIApiKey: s.apiKey,
        azureOpenAIApiDeploymentName: s.model,
        azureOpenAIApiVersion: s.azureApiVersion,
        ...common,
      });
    }
    case 'ollama': {
      const { ChatOllama } = await import('@langchain/ollama');
      return new ChatOllama({ model: s.model, baseUrl: s.baseUrl ?? 'http://127.0.0.1:11434', temperature: options.temperature, numPredict: options.maxTokens });
    }
  }
}
