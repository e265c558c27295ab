import { z } from 'zod';

/**
 * The Adaptive Card elements the bot may send (schema 1.5), checked strictly: known element types only, text
 * where the schema wants text, URLs that are http(s), Action.Submit data carrying a short opaque action.
 * When the project adopts the `adaptivecards` library's parser (Teams work), `cardProblems` is the place to call it.
 */
const textRun = z.strictObject({
  type: z.literal('TextRun'),
  text: z.string().max(5_000),
  weight: z.enum(['Bolder', 'Default', 'Lighter']).optional(),
  italic: z.boolean().optional(),
  selectAction: z.strictObject({ type: z.literal('Action.OpenUrl'), url: z.string().regex(/^https?:\/\//) }).optional(),
  isSubtle: z.boolean().optional(),
  size: z.string().optional(),
  color: z.string().optional(),
});
const submit = z.looseObject({
  type: z.literal('Action.Submit'),
  title: z.string().min(1).max(200),
  data: z.looseObject({ action: z.string().min(1).max(64) }),
});
const openUrl = z.looseObject({ type: z.literal('Action.OpenUrl'), title: z.string().min(1).max(200), url: z.string().regex(/^https?:\/\//) });
const action = z.union([submit, openUrl]);
type Element = Record<string, unknown>;
const element: z.ZodType<Element> = z.lazy(() =>
  z.union([
    z.looseObject({ type: z.literal('RichTextBlock'), inlines: z.array(textRun).min(1).max(200) }),
    z.looseObject({ type: z.literal('TextBlock'), text: z.string().max(5_000) }),
    z.looseObject({ type: z.literal('FactSet'), facts: z.array(z.strictObject({ title: z.string().max(500), value: z.string().max(5_000) })).max(50) }),
    z.looseObject({ type: z.literal('ActionSet'), actions: z.array(action).min(1).max(6) }),
    z.looseObject({ type: z.literal('Container'), items: z.array(element).max(100) }),
    z.looseObject({ type: z.literal('ColumnSet'), columns: z.array(z.looseObject({ type: z.literal('Column'), items: z.array(element).max(50) })).max(10) }),
  ]),
);
const card = z.looseObject({
  type: z.literal('AdaptiveCard'),
  version: z.string().regex(/^1\.[0-6]$/),
  body: z.array(element).min(1).max(200),
  actions: z.array(action).max(6).optional(),
});

/** Teams refuses activities above about 28 KB. */
export const MAX_ACTIVITY_BYTES = 28_000;

/** What is wrong with a card the bot sent (empty = valid). */
export function cardProblems(content: unknown): string[] {
  const parsed = card.safeParse(content);
  const problems = parsed.success ? [] : parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.')}: ${i.message}`);
  if (Buffer.byteLength(JSON.stringify(content)) > MAX_ACTIVITY_BYTES) problems.push('card too large');
  return problems;
}
