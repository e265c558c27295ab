/**
 * Database round trips per kind of turn (search, details, FAQ, button press, counsellor list), through the real
 * core on a copy of the demo database (SQLite): every statement Prisma's adapter or the store's driver path
 * sends is counted. "before" runs the same turns on a store whose hot repositories are the ORM versions kept in
 * test/store/orm-reference/ (what the store was before the raw-SQL paths). Run: tsx bench/round-trips.ts.
 */
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { createAssistant } from '../src/core/assistant.js';
import type { Assistant, InboundEvent, Reply } from '../src/core/types.js';
import { createLogger } from '../src/shared/logger.js';
import { connect, type Db } from '../src/store/client.js';
import { migrate } from '../src/store/migrate.js';
import { seedDemo } from '../src/store/seed/demo.js';
import { syncContent } from '../src/store/seed/content.js';
import { bindStore, type Store } from '../src/store/index.js';
import { repoRoot } from '../src/store/database-url.js';
import { driverCalls } from '../src/store/sql.js';
import * as ormMissions from '../test/store/orm-reference/missions.js';
import * as ormCaseload from '../test/store/orm-reference/caseload.js';
import * as ormYouth from '../test/store/orm-reference/youth.js';
import * as ormStats from '../test/store/orm-reference/stats.js';
import * as ormContent from '../test/store/orm-reference/content.js';
import * as ormConversation from '../test/store/orm-reference/conversation.js';
import * as ormCounsellors from '../test/store/orm-reference/counsellors.js';
import * as ormAudit from '../test/store/orm-reference/audit.js';

const SOPHIE_AAD = '00000000-0000-4000-8000-000000000001';

function bindModule(db: Db, module: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(module)) {
    if (typeof value === 'function') out[name] = (...args: unknown[]) => (value as (db: Db, ...a: unknown[]) => unknown)(db, ...args);
  }
  return out;
}

/** The store as it was: the same bound store with the ORM versions of the repositories this work rewrote. */
export function ormStore(db: Db): Store {
  const store = bindStore(db);
  const over = (name: keyof Store, module: Record<string, unknown>) => ({ ...(store[name] as object), ...bindModule(db, module) });
  return {
    ...store,
    missions: over('missions', ormMissions),
    caseload: over('caseload', ormCaseload),
    youth: over('youth', ormYouth),
    stats: over('stats', ormStats),
    content: over('content', ormContent),
    conversation: over('conversation', ormConversation),
    counsellors: over('counsellors', ormCounsellors),
    audit: over('audit', ormAudit),
  } as Store;
}

function buttons(reply: Reply): { label: string; action: string }[] {
  const out: { label: string; action: string }[] = [];
  for (const b of reply.blocks) {
    if (b.type === 'buttons') out.push(...b.buttons);
    if (b.type === 'cards') {
      for (const c of b.cards) out.push(...c.buttons);
      if (b.more) out.push(b.more);
    }
  }
  return out;
}

/** Statements of one turn, counted around `assistant.handle`. */
async function counted(assistant: Assistant, event: Omit<InboundEvent, 'receivedAt' | 'eventId' | 'channelConversationId'>, n: number) {
  const before = { ...driverCalls };
  const result = await assistant.handle({ ...event, channelConversationId: event.channelUserId, receivedAt: new Date(), eventId: `rt-${process.pid}-${n}` } as InboundEvent);
  const prisma = driverCalls.prisma - before.prisma;
  const driver = driverCalls.reads - before.reads + (driverCalls.writes - before.writes);
  return { result, prisma, driver, total: prisma + driver };
}

let runs = 0;

export interface TurnCounts {
  [turn: string]: { prisma: number; driver: number; total: number };
}

/** Runs the five kinds of turn on `store` (first a warm-up of each, so one-off work is not counted). */
export async function countTurns(store: Store, now: Date): Promise<TurnCounts> {
  const assistant = createAssistant({
    store,
    log: createLogger('silent'),
    now: () => now,
    config: { linkCodeTtlHours: 72, linkMaxAttempts: 5, linkCooldownMinutes: 15, telegramBotUsername: 'MissionJeunesBot', rateLimitPerMinute: 100_000 },
  });
  let n = 0;
  const out: TurnCounts = {};
  // Fresh Telegram users each call: a second run on the same database starts from no dialogue state.
  const base = 7_770_000 + 10 * ++runs;
  for (const round of ['warm-up', 'counted'] as const) {
    const youth = { channel: 'telegram' as const, channelUserId: String(base + (round === 'warm-up' ? 1 : 2)) };
    n = base * 100 + (round === 'warm-up' ? 0 : 50);
    const search = await counted(assistant, { ...youth, text: 'je cherche une mission de cariste à Lyon' }, ++n);
    const found = buttons(search.result.reply);
    const details = found.find((b) => /détail|voir la mission|en savoir/i.test(b.label)) ?? found[0];
    const more = found.find((b) => /plus|suivant/i.test(b.label)) ?? found[found.length - 1];
    if (!details || !more) throw new Error('the search reply has no buttons');
    const detailsTurn = await counted(assistant, { ...youth, action: details.action }, ++n);
    const press = await counted(assistant, { ...youth, action: more.action }, ++n);
    const faq = await counted(assistant, { ...youth, text: 'combien on est payé en intérim ?' }, ++n);
    const list = await counted(assistant, { channel: 'teams', channelUserId: SOPHIE_AAD, text: 'jeunes sans mission depuis 30 jours' }, ++n);
    if (round === 'counted') {
      for (const [name, t] of Object.entries({ search, details: detailsTurn, buttonPress: press, faq, counsellorList: list })) {
        out[name] = { prisma: t.prisma, driver: t.driver, total: t.total };
      }
    }
  }
  return out;
}

/** Before (ORM repositories) and after (this store), each on its own fresh copy of the demo. */
export async function benchRoundTrips(): Promise<Record<string, unknown>> {
  const dir = path.join(repoRoot, '.tmp', 'bench');
  mkdirSync(dir, { recursive: true });
  const now = new Date();
  const result: Record<string, TurnCounts> = {};
  for (const variant of ['before', 'after'] as const) {
    const file = path.join(dir, `round-trips-${process.pid}-${variant}.db`);
    await migrate(`file:${file}`);
    const c = connect(`file:${file}`);
    try {
      await syncContent(c.db);
      await seedDemo(c.db, { now });
      result[variant] = await countTurns(variant === 'before' ? ormStore(c.db) : bindStore(c.db), now);
    } finally {
      await c.close();
      for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
    }
  }
  return { statementsPerTurn: result };
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(JSON.stringify(await benchRoundTrips(), null, 2));
