import type { Store, FaqView } from '../../store/index.js';
import type { HandlerResult, TurnContext } from '../context.js';
import { bold, button, buttons, intentButton, reply, text } from '../replies.js';
import type { Block } from '../types.js';
import { formatDate } from '../format.js';
import { needsCheckNote } from '../../content/verification.js';
import { shorten } from '../../shared/text.js';
import { buildFaqIndex, type FaqIndex } from './faq-index.js';

/** Below this similarity no FAQ answer is given: a wrong answer is worse than "ask your counsellor". */
export const FAQ_MIN_SCORE = 0.3;
const CACHE_MS = 5 * 60_000;

const cache = new WeakMap<Store, { index: FaqIndex; at: number }>();

/** The FAQ index of a store, rebuilt every few minutes so content updates show up. */
async function indexFor(store: Store, now: number): Promise<FaqIndex> {
  const hit = cache.get(store);
  if (hit && now - hit.at < CACHE_MS) return hit.index;
  const index = buildFaqIndex(await store.content.listFaq());
  cache.set(store, { index, at: now });
  return index;
}

/** An answer with its source; `now` (the core's clock) decides whether an old check still counts as verified. */
export function faqAnswerBlocks(entry: FaqView, now: Date): Block[] {
  return [
    text(bold(entry.question)),
    text(entry.answer),
    {
      type: 'source',
      label: entry.sourceUrl.replace(/^https?:\/\//, '').replace(/\/.*$/, ''),
      url: entry.sourceUrl,
      verifiedOn: formatDate(entry.lastVerifiedAt),
      ...(needsCheckNote(entry.verification, entry.lastVerifiedAt, now) ? { note: 'À vérifier auprès de ta Mission locale ou de ton agence.' } : {}),
    },
  ];
}

/** Answers a question from the FAQ, or says it does not know and offers the counsellor. */
export async function answerFaq(ctx: TurnContext, question: string): Promise<HandlerResult> {
  const index = await indexFor(ctx.store, Date.now());
  const [best, second] = index.search(question);
  if (!best || best.score < FAQ_MIN_SCORE) {
    return {
      reply: reply(
        text('Je n’ai pas de réponse sûre à cette question. Ton conseiller·ère ou ton agence d’intérim pourra te répondre.'),
        buttons(intentButton('contact_counsellor'), intentButton('help', '❓ Autres questions')),
      ),
    };
  }
  const related = second && second.score >= FAQ_MIN_SCORE ? [button(`Voir aussi : ${shorten(second.entry.question, 48)}`, { kind: 'faq', key: second.entry.key })] : [];
  return {
    reply: reply(...faqAnswerBlocks(best.entry, ctx.now), text('Ça ne répond pas à ta question ?'), buttons(intentButton('contact_counsellor'), ...related)),
  };
}

export async function showFaqEntry(ctx: TurnContext, key: string): Promise<HandlerResult> {
  const entry = await ctx.store.content.findFaqByKey(key);
  if (!entry) return { reply: reply(text('Cette réponse n’est plus disponible.')) };
  return { reply: reply(...faqAnswerBlocks(entry, ctx.now), buttons(intentButton('contact_counsellor'))) };
}
