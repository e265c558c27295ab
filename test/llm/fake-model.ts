import { BaseChatModel, type BaseChatModelCallOptions } from '@langchain/core/language_models/chat_models';
import { AIMessageChunk, type BaseMessage } from '@langchain/core/messages';
import type { ChatResult } from '@langchain/core/outputs';

/** What the fake model does for one call: tool-call arguments, a plain text, an error, or a wait for the abort. */
export type FakeAnswer = { args: Record<string, unknown> } | { text: string } | { error: Error } | 'hang';

interface FakeCallOptions extends BaseChatModelCallOptions {
  tools?: { type: string; function: { name: string; parameters: unknown } }[];
}

/**
 * A LangChain chat model that answers tool calls, so the real `withStructuredOutput` path of @langchain/core runs
 * (tool binding, the tool-call parser). Each call is recorded with the messages the route sent.
 */
export class FakeToolChatModel extends BaseChatModel<FakeCallOptions> {
  readonly calls: { messages: BaseMessage[]; tools: string[]; aborted: () => boolean }[] = [];
  constructor(private readonly answer: (messages: BaseMessage[]) => FakeAnswer) {
    super({});
  }

  _llmType(): string {
    return 'fake-tool-chat-model';
  }

  override bindTools(tools: FakeCallOptions['tools'] & object) {
    return this.withConfig({ tools } as Partial<FakeCallOptions>);
  }

  async _generate(messages: BaseMessage[], options: this['ParsedCallOptions']): Promise<ChatResult> {
    const signal = options.signal;
    this.calls.push({ messages, tools: (options.tools ?? []).map((t) => t.function.name), aborted: () => signal?.aborted ?? false });
    const a = this.answer(messages);
    if (a === 'hang') {
      await new Promise<void>((_, reject) => signal?.addEventListener('abort', () => reject(Object.assign(new Error('aborted'), { name: 'AbortError' }))));
    }
    if (typeof a === 'object' && 'error' in a) throw a.error;
    const tool = options.tools?.[0]?.function.name;
    const message =
      typeof a === 'object' && 'args' in a
        ? new AIMessageChunk({ content: '', tool_calls: [{ id: `call-${this.calls.length}`, name: tool ?? 'understanding', args: a.args, type: 'tool_call' }] })
        : new AIMessageChunk(typeof a === 'object' && 'text' in a ? a.text : '');
    return { generations: [{ text: typeof message.content === 'string' ? message.content : '', message }] };
  }
}

/** The text of every message of a call, joined. */
export function sentText(call: { messages: BaseMessage[] }): string {
  return call.messages.map((m) => (typeof m.content === 'string' ? m.content : JSON.stringify(m.content))).join('\n');
}
