/**
 * Grounded phrasing (`LLM_REPHRASE=true`): the model may reword the opening text of a reply, given that text
 * only; the grounding guard then checks the wording against every fact the reply shows. Buttons, cards, figures
 * and sources are never given to the model nor produced by it. On a refusal, a time-out or an error, the reply
 * is sent as the core wrote it.
 */
import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { HumanMessage, SystemMessage } from '@langchain/core/messages';
import type { Logger } from 'pino';
import type { Assistant, Block, InboundEvent, Reply, Segment } from '../core/types.js';
import { ungroundedTokens } from './grounding.js';
import { renderPrompt, type Prompt } from './prompts.js';

export interface RephraserOptions {
  model: BaseChatModel;
  prompt: Prompt;
  log: Logger;
  timeoutMs: number;
}

/**
 * Rewords a reply for an audience; resolves to the reply itself whenever the wording cannot be trusted.
 * `budgetMs` caps the wait for the model below the configured time-out (what the turn has left of it).
 */
export type Rephraser = (reply: Reply, audience: 'youth' | 'counsellor', budgetMs?: number) => Promise<Reply>;

/** Below this, asking the model is not worth it: the reply goes out as written. */
const MIN_BUDGET_MS = 200;

const AUDIENCES = { youth: 'un ou une jeune de 16 à 25 ans (tutoiement)', counsellor: 'une conseillère ou un conseiller de Mission locale (vouvoiement)' };

/** Text of a segment as the reader sees it. */
function segmentText(s: Segment): string {
  if (typeof s === 'string') return s;
  if ('bold' in s) return s.bold;
  if ('italic' in s) return s.italic;
  return `${s.link} ${s.url}`;
}

/** Everything the reply shows: the facts a reworded text may repeat. */
export function replyFacts(reply: Reply): string {
  const parts: string[] = [];
  for (const b of reply.blocks) {
    if (b.type === 'text') parts.push(b.segments.map(segmentText).join(''));
    else if (b.type === 'cards') {
      if (b.heading) parts.push(b.heading);
      if (b.note) parts.push(b.note);
      for (const c of b.cards) parts.push(c.title, c.subtitle ?? '', ...c.fields.map((f) => `${f.label} ${f.value}`));
    } else if (b.type === 'facts') {
      if (b.heading) parts.push(b.heading);
      parts.push(...b.facts.map((f) => `${f.label} ${f.value}`));
    } else if (b.type === 'source') parts.push(b.label, b.url, b.verifiedOn, b.note ?? '');
  }
  return parts.join('\n');
}

/** The first text block without links (links keep their exact wording), or -1. */
function rewordable(reply: Reply): number {
  return reply.blocks.findIndex((b) => b.type === 'text' && b.segments.every((s) => typeof s === 'string' || !('link' in s)));
}

export function createRephraser(o: RephraserOptions): Rephraser {
  return async (reply, audience, budgetMs = o.timeoutMs) => {
    const at = rewordable(reply);
    const timeoutMs = Math.min(o.timeoutMs, budgetMs);
    if (at < 0 || timeoutMs < MIN_BUDGET_MS) return reply;
    const block = reply.blocks[at] as Extract<Block, { type: 'text' }>;
    const original = block.segments.map(segmentText).join('').trim();
    if (original.length < 20) return reply;
    const started = Date.now();
    const messages = renderPrompt(o.prompt, { audience: AUDIENCES[audience], text: original }).map((m) =>
      m.role === 'system' ? new SystemMessage(m.content) : new HumanMessage(m.content),
    );
    let reworded: string;
    try {
      const signal = AbortSignal.timeout(timeoutMs);
      const answer = await Promise.race([
        o.model.invoke(messages, { signal }),
        new Promise<never>((_, reject) => signal.addEventListener('abort', () => reject(new Error('timeout')), { once: true })),
      ]);
      reworded = typeof answer.content === 'string' ? answer.content.trim() : '';
    } catch (err) {
      o.log.warn({ route: 'rephrase', outcome: 'error', type: (err as Error)?.name, ms: Date.now() - started }, 'rephrase');
      return reply;
    }
    if (!reworded || reworded.length > Math.max(400, original.length * 2)) {
      o.log.warn({ route: 'rephrase', outcome: 'refused', reason: 'length', ms: Date.now() - started }, 'rephrase');
      return reply;
    }
    const ungrounded = ungroundedTokens(reworded, replyFacts(reply));
    if (ungrounded.length > 0) {
      // Only the kinds are logged: the tokens could be personal.
      o.log.warn({ route: 'rephrase', outcome: 'refused', kinds: [...new Set(ungrounded.map((t) => t.split(':')[0]))], ms: Date.now() - started }, 'rephrase');
      return reply;
    }
    o.log.info({ route: 'rephrase', outcome: 'used', ms: Date.now() - started }, 'rephrase');
    const blocks = [...reply.blocks];
    blocks[at] = { type: 'text', segments: [reworded] };
    return { ...reply, blocks };
  };
}

/**
 * The assistant with its replies reworded; counsellors are on Teams, everyone else is addressed as a young person.
 * A reply waits for the model at most `timeoutMs` in all: the rewording gets what the turn (and its
 * understanding, which may have asked the model too) left of it.
 */
export function withRephrasing(assistant: Assistant, rephrase: Rephraser, timeoutMs: number): Assistant {
  return {
    async handle(event: InboundEvent) {
      const started = Date.now();
      const result = await assistant.handle(event);
      if (result.duplicate || result.reply.blocks.length === 0) return result;
      const left = timeoutMs - (Date.now() - started);
      return { ...result, reply: await rephrase(result.reply, event.channel === 'teams' ? 'counsellor' : 'youth', left) };
    },
  };
}
