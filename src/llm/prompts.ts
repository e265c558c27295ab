/**
 * Prompts of the LLM route, as data: one folder per prompt under `prompts/`, holding `prompt.json` (its
 * configuration and messages) and the template files it names. Loaded and validated at start-up, so a broken
 * prompt stops the service with a message that names the file, instead of failing on a user's message.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

export const DEFAULT_PROMPTS_DIR = fileURLToPath(new URL('../../prompts/', import.meta.url));

const promptConfigSchema = z
  .object({
    description: z.string().min(1),
    temperature: z.number().min(0).max(2),
    maxTokens: z.number().int().min(16).max(4096),
    /** Training examples per intent shown to the model (understanding prompts). */
    fewShotPerIntent: z.number().int().min(0).max(10),
    /** The only `{{names}}` the templates may use. */
    placeholders: z.array(z.string().regex(/^[a-z_]+$/)).min(1),
    messages: z
      .array(z.object({ role: z.enum(['system', 'user']), file: z.string().regex(/^[\w-]+\.md$/) }))
      .min(1),
  })
  .strict();

export type PromptConfig = z.infer<typeof promptConfigSchema>;

/** A loaded prompt: its configuration and its messages' templates. */
export interface Prompt {
  name: string;
  config: PromptConfig;
  messages: { role: 'system' | 'user'; template: string }[];
}

/** A prompt folder that cannot be used; the message names the file and what is wrong. */
export class PromptError extends Error {
  override name = 'PromptError';
}

const PLACEHOLDER = /\{\{\s*([a-z_]+)\s*\}\}/g;

/** Loads and checks `prompts/<name>/`: valid config, every message file present and non-empty, known placeholders only. */
export function loadPrompt(name: string, dir: string = DEFAULT_PROMPTS_DIR): Prompt {
  const folder = path.join(dir, name);
  const configFile = path.join(folder, 'prompt.json');
  if (!existsSync(configFile)) throw new PromptError(`Prompt "${name}": ${configFile} is missing`);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(configFile, 'utf8'));
  } catch (err) {
    throw new PromptError(`Prompt "${name}": ${configFile} is not valid JSON (${(err as Error).message})`);
  }
  const parsed = promptConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new PromptError(`Prompt "${name}": ${configFile}: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  const config = parsed.data;
  const allowed = new Set(config.placeholders);
  const messages = config.messages.map((m) => {
    const file = path.join(folder, m.file);
    if (!existsSync(file)) throw new PromptError(`Prompt "${name}": ${file} is missing`);
    const template = readFileSync(file, 'utf8').trim();
    if (template.length === 0) throw new PromptError(`Prompt "${name}": ${file} is empty`);
    for (const match of template.matchAll(PLACEHOLDER)) {
      if (!allowed.has(match[1]!)) throw new PromptError(`Prompt "${name}": ${file} uses {{${match[1]}}}, which prompt.json does not declare`);
    }
    return { role: m.role, template };
  });
  return { name, config, messages };
}

/**
 * Fills a prompt's templates. Values are inserted verbatim (no escaping, no re-expansion of `{{…}}` inside a
 * value, so a user's text cannot inject a placeholder); a declared placeholder without a value is an error.
 */
export function renderPrompt(prompt: Prompt, values: Record<string, string>): { role: 'system' | 'user'; content: string }[] {
  return prompt.messages.map((m) => ({
    role: m.role,
    content: m.template.replace(PLACEHOLDER, (_all, key: string) => {
      const value = values[key];
      if (value === undefined) throw new PromptError(`Prompt "${prompt.name}": no value for {{${key}}}`);
      return value;
    }),
  }));
}
