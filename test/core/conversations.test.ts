import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { z } from 'zod';
import { databaseFactories, type TestDatabase } from '../helpers/db.js';
import { Conversation, testAssistant } from '../helpers/conversation.js';
import { counsellorAadId, deliverToYouth, linkTelegramUser, ROW_QUERIES } from '../helpers/conversation-queries.js';
import type { Assistant } from '../../src/core/types.js';

/**
 * The dialogue corpus: every `test/conversations/*.yaml` file is a list of conversations, each played turn by
 * turn through the real core on a real seeded database (SQLite and PostgreSQL), with the clock pinned to the
 * seed's "now" (a turn may wait some minutes first). See test/conversations/README.md for the format.
 */

const pattern = z.string().min(1);
const rowCheck = z.object({
  query: z.enum(Object.keys(ROW_QUERIES) as [string, ...string[]]),
  youth: z.string().default(''),
  /** Rows added (or removed, negative) since the conversation started. */
  change: z.number().int(),
});
const expectation = z
  .object({
    contains: z.array(pattern).default([]),
    absent: z.array(pattern).default([]),
    buttons: z.array(pattern).default([]),
    no_buttons: z.array(pattern).default([]),
    intent: z.string().optional(),
    rows: z.array(rowCheck).default([]),
  })
  .strict();
const turn = z
  .object({
    say: z.string().optional(),
    /** A button of the last reply: by (part of) its label, or by its position (1 = first). */
    press: z.union([z.string().min(1), z.number().int().positive()]).optional(),
    /** A message the assistant sends the youth unasked, delivered through the real outbox: a counsellor's proposal of a mission, or an appointment reminder. */
    receive: z.object({ proposal: z.number().int().positive().optional(), reminder_days: z.union([z.literal(7), z.literal(1)]).optional() }).strict().optional(),
    wait_minutes: z.number().min(0).optional(),
    expect: expectation.default(expectation.parse({})),
  })
  .strict()
  .refine((t) => [t.say, t.press, t.receive].filter((x) => x !== undefined).length === 1, 'a turn either says, presses or receives');
const conversation = z
  .object({
    name: z.string().min(3),
    /** `youth: "Léa Martin"` (linked), `youth: anonymous`, or `counsellor: "Sophie Durand"`. */
    youth: z.string().optional(),
    counsellor: z.string().optional(),
    turns: z.array(turn).min(1),
  })
  .strict()
  .refine((c) => (c.youth === undefined) !== (c.counsellor === undefined), 'a conversation is a youth or a counsellor');
const corpusFile = z.object({ conversations: z.array(conversation).min(1) }).strict();
type ConversationSpec = z.infer<typeof conversation>;

const dir = new URL('../conversations/', import.meta.url);
const files = readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort();
const corpus = files.map((file) => ({ file, conversations: corpusFile.parse(parse(readFileSync(new URL(file, dir), 'utf8'))).conversations }));

/** `{year}` in a pattern: the calendar year of the conversation's clock in Paris (the seed's "now" moves daily). */
function placeholders(p: string, now: Date): string {
  return p.replaceAll('{year}', new Intl.DateTimeFormat('fr-FR', { year: 'numeric', timeZone: 'Europe/Paris' }).format(now));
}

/** "/regex/i" in a file is a regular expression; anything else a case-insensitive substring. */
function matcher(raw: string, now = new Date(0)): (s: string) => boolean {
  const p = placeholders(raw, now);
  const re = /^\/(.+)\/([a-z]*)$/.exec(p);
  if (re) {
    const r = new RegExp(re[1]!, re[2]);
    return (s) => r.test(s);
  }
  const needle = p.toLowerCase();
  return (s) => s.toLowerCase().includes(needle);
}

let nextUser = 7_700_000 + (process.pid % 1000) * 1000;

async function play(db: TestDatabase, assistant: Assistant, clock: { now: Date }, spec: ConversationSpec): Promise<void> {
  clock.now = new Date(db.now);
  const user = String(++nextUser);
  let c: Conversation;
  if (spec.counsellor !== undefined) c = new Conversation(assistant, 'teams', await counsellorAadId(db, spec.counsellor));
  else {
    c = new Conversation(assistant, 'telegram', user);
    if (spec.youth !== 'anonymous') await linkTelegramUser(db, spec.youth!, user);
  }
  // A counsellor's Teams id is the same in every conversation: start each one from a blank dialogue.
  await db.connection.db.conversationState.deleteMany({ where: { channelUserId: c.channelUserId } });
  const queries = spec.turns.flatMap((t) => t.expect.rows);
  const before = new Map<string, number>();
  for (const q of queries) before.set(`${q.query}:${q.youth}`, await ROW_QUERIES[q.query]!(db, q.youth, c.channelUserId));

  for (const [i, t] of spec.turns.entries()) {
    if (t.wait_minutes) clock.now = new Date(clock.now.getTime() + t.wait_minutes * 60_000);
    const where = `turn ${i + 1} (${t.say !== undefined ? `says "${t.say}"` : t.receive ? `receives ${JSON.stringify(t.receive)}` : `presses ${String(t.press)}`})`;
    let shown: string;
    if (t.receive) {
      if (!spec.youth || spec.youth === 'anonymous') throw new Error(`${where}: only a linked youth receives messages`);
      shown = c.receive(await deliverToYouth(db, spec.youth, t.receive, clock.now));
    } else if (t.say !== undefined) shown = await c.say(t.say);
    else if (typeof t.press === 'number') {
      const action = c.buttonLabels().length >= t.press ? c.actionAt(t.press - 1) : undefined;
      if (!action) throw new Error(`${where}: no button ${t.press} in: ${c.buttonLabels().join(' | ')}`);
      shown = await c.sendAction(action);
    } else shown = await c.press(t.press!);
    const labels = c.buttonLabels();
    const context = `${where}\n--- reply ---\n${shown}\n--- buttons ---\n${labels.join(' | ')}`;
    for (const p of t.expect.contains) expect(matcher(p, clock.now)(shown), `${context}\n=> should contain ${p}`).toBe(true);
    for (const p of t.expect.absent) expect(matcher(p, clock.now)(shown), `${context}\n=> should not contain ${p}`).toBe(false);
    for (const p of t.expect.buttons) expect(labels.some(matcher(p)), `${context}\n=> should offer a button ${p}`).toBe(true);
    for (const p of t.expect.no_buttons) expect(labels.some(matcher(p)), `${context}\n=> should not offer a button ${p}`).toBe(false);
    if (t.expect.intent) expect(c.last?.intent, context).toBe(t.expect.intent);
    for (const q of t.expect.rows) {
      const now = await ROW_QUERIES[q.query]!(db, q.youth, c.channelUserId);
      expect(now - before.get(`${q.query}:${q.youth}`)!, `${context}\n=> rows ${q.query} of ${q.youth}`).toBe(q.change);
    }
  }
}

describe.each(databaseFactories)('dialogue corpus on %s', (_kind, factory) => {
  let db: TestDatabase;
  let assistant: Assistant;
  const clock = { now: new Date(0) };
  beforeAll(async () => {
    db = await factory();
    clock.now = db.now;
    assistant = testAssistant(db, { now: () => clock.now });
  });
  afterAll(async () => db.close());

  for (const { file, conversations } of corpus) {
    describe(file, () => {
      for (const spec of conversations) it(spec.name, () => play(db, assistant, clock, spec));
    });
  }
});
