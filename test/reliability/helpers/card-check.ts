import { z } from 'zod';
import { elements } from '../../teams/helpers.js';
import { cardProblems as parserProblems } from '../../teams/validate-card.js';

/**
 * Is a card the bot sent valid? Two checks:
 * - Microsoft's `adaptivecards` parser at schema 1.5, the same one `npm test`'s card tests use
 *   (`test/teams/validate-card.ts`): unknown element or action types, properties of a later version, bad values,
 *   duplicate ids, ToggleVisibility targets missing, a version other than 1.5;
 * - the bot's own contract, which the schema does not know: every Action.Submit carries a short opaque action
 *   (Telegram's 64-byte callback limit applies to the core's actions everywhere), URLs are http(s), texts bounded,
 *   and the whole activity fits Teams' size limit.
 */

/** Teams refuses activities above about 28 KB. */
export const MAX_ACTIVITY_BYTES = 28_000;

const submitData = z.looseObject({ action: z.string().min(1).max(64) });
const httpUrl = z.string().regex(/^https?:\/\//);
const boundedText = z.string().max(5_000);

/** What is wrong with a card the bot sent (empty = valid). */
export function cardProblems(content: unknown): string[] {
  if (!content || typeof content !== 'object' || Array.isArray(content)) return ['not a card object'];
  const problems = parserProblems(content).slice(0, 3);
  for (const e of elements(content)) {
    if (e.type === 'Action.Submit' && !submitData.safeParse(e.data).success) problems.push('Action.Submit without a short action');
    if (e.type === 'Action.OpenUrl' && !httpUrl.safeParse(e.url).success) problems.push('Action.OpenUrl to a URL that is not http(s)');
    if ((e.type === 'TextRun' || e.type === 'TextBlock') && !boundedText.safeParse(e.text).success) problems.push(`${e.type} without text, or text too long`);
  }
  if (Buffer.byteLength(JSON.stringify(content)) > MAX_ACTIVITY_BYTES) problems.push('card too large');
  return problems;
}
