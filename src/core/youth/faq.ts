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

/**
 * The index of a FAQ list, built once per list: the store hands out the same array while the content is unchanged
 * (and a new one after a content sync), so every turn, whatever store view it holds, shares one index.
 */
const indexes = new WeakMap<readonly FaqView[], FaqIndex>();

async function indexFor(store: Store): Promise<FaqIndex> {
  const entries = await store.content.listFaq();
  let index = indexes.get(entries);
  if (!index) indexes.set(entries, (index = buildFaqIndex(entries)));
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
  const index = await indexFor(ctx.store);
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
