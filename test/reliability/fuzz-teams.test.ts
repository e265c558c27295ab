import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTeamsChannel } from '../../bots/teams/index.js';
import { startApp, type App } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { AAD } from '../core/counsellor/helpers.js';
import { sqliteTestDatabase, type TestDatabase } from '../helpers/db.js';
import { capturingLogger } from '../helpers/logs.js';
import { startReceiver, teamsMessage } from '../teams/helpers.js';
import { cardProblems } from './helpers/card-check.js';
import { fuzzText, mutate, prng, type Rng } from './helpers/fuzz.js';

/**
 * 2,000 fuzzed Bot Framework activities through the real `POST /api/messages` (botbuilder, teams-ai, the core,
 * SQLite) in anonymous local mode: counsellors, managers and unknown staff typing and pressing card buttons
 * (actions the bot really offered, and forged ones), other activity types and channels, and structural mutations.
 * Expected: no 5xx, every card valid and within Teams' size limit.
 */
const COUNT = Number(process.env.RELIABILITY_TEAMS_ACTIVITIES ?? 2_000);
const SEED = Number(process.env.RELIABILITY_SEED ?? 11);

let db: TestDatabase;
let app: App;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
const logs = capturingLogger('info');

beforeAll(async () => {
  db = await sqliteTestDatabase();
  receiver = await startReceiver();
  app = await startApp({
    config: loadConfig({ PORT: '0', HOST: '127.0.0.1', NOTIFY_INTERVAL_MS: '3600000', RATE_LIMIT_PER_MINUTE: '10000' }),
    log: logs.log,
    channels: [createTeamsChannel],
    now: () => db.now,
    opened: { store: db.store, connection: db.connection },
  });
});
afterAll(async () => {
  await app?.stop();
  await receiver?.close();
});

function offeredActions(): string[] {
  const out: string[] = [];
  for (const a of receiver.received.slice(-200)) {
    const json = JSON.stringify(a.body);
    for (const m of json.matchAll(/"action":"([^"]{1,64})"/g)) out.push(m[1]!);
  }
  return out;
}

function fuzzActivity(r: Rng, i: number): unknown {
  const who = r.pick([AAD.sophie, AAD.marc, AAD.nadia, AAD.thomas, '00000000-0000-4000-8000-0000000000ff']);
  const roll = r.next();
  let over: Record<string, unknown>;
  if (roll < 0.6) over = { text: fuzzText(r, 'counsellor') };
  else if (roll < 0.85) {
    const offered = offeredActions();
    over = { value: { action: offered.length && r.chance(0.7) ? r.pick(offered) : r.pick(['yf:1', 'yf:99999', 'x', 'cl:zz', '🙂', 'a'.repeat(64)]) } };
  } else if (roll < 0.9) over = { type: r.pick(['conversationUpdate', 'invoke', 'messageReaction', 'typing', 'event']) };
  else if (roll < 0.95) over = { channelId: r.pick(['webchat', 'directline', 'emulator']), text: 'aide' };
  else over = { text: 'aide', from: { id: '29:x', name: 'Sans AAD' } };
  const activity = { ...teamsMessage(receiver.url, who, over), id: `fz-${i}` };
  return r.chance(0.3) ? mutate(r, activity) : activity;
}

describe('the card check of this suite', () => {
  const good = { type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', text: 'Bonjour' }], actions: [{ type: 'Action.Submit', title: 'Aide', data: { action: 'i:help' } }] };
  it('passes a valid card and finds what the adaptivecards parser finds, and the bot contract', () => {
    expect(cardProblems(good)).toEqual([]);
    // Found by the parser only (the element type is unknown to schema 1.5; a 1.6 property on a 1.5 card).
    expect(cardProblems({ ...good, body: [{ type: 'Carousel', pages: [] }] }).join()).toMatch(/parse:/);
    expect(cardProblems({ ...good, version: '1.6' }).join()).toMatch(/version/);
    expect(cardProblems({ ...good, body: [{ type: 'Action.ToggleVisibility', title: 'x', targetElements: ['nowhere'] }] }).join()).toMatch(/toggle target nowhere missing|parse:/);
    // Found by the bot contract.
    expect(cardProblems({ ...good, actions: [{ type: 'Action.Submit', title: 'Aide', data: { action: 'a'.repeat(65) } }] })).toContain('Action.Submit without a short action');
    expect(cardProblems({ ...good, actions: [{ type: 'Action.OpenUrl', title: 'Lien', url: 'javascript:alert(1)' }] })).toContain('Action.OpenUrl to a URL that is not http(s)');
    expect(cardProblems({ ...good, body: [{ type: 'TextBlock', text: 'x'.repeat(30_000) }] })).toContain('card too large');
  });
});

describe(`${COUNT} fuzzed Teams activities through /api/messages`, () => {
  it('no 5xx, every card valid and bounded', async () => {
    const r = prng(SEED);
    const statuses = new Map<number, number>();
    /** What was sent, to show the activity behind a failure (the fuzzer's order depends on timing). */
    const bodies = new Map<string, string>();
    let next = 0;
    const started = Date.now();
    const worker = async () => {
      while (next < COUNT) {
        const i = next++;
        const body = JSON.stringify(fuzzActivity(r, i));
        bodies.set(`fz-${i}`, body);
        const res = await fetch(`${app.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
        await res.arrayBuffer();
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      }
    };
    await Promise.all(Array.from({ length: 6 }, worker));
    const seconds = (Date.now() - started) / 1000;
    const cards = receiver.received.flatMap((a) => ((a.body.attachments as { content: unknown }[] | undefined) ?? []).map((x) => x.content));
    const invalid = cards.map(cardProblems).filter((p) => p.length > 0);
    const errors = logs.lines.filter((l) => l.includes('"level":50'));
    console.log(
      `[reliability] teams fuzz: ${COUNT} activities in ${seconds.toFixed(1)} s (${(COUNT / seconds).toFixed(0)}/s), statuses ${JSON.stringify(Object.fromEntries(statuses))}, ` +
        `${receiver.received.length} activities sent, ${cards.length} cards, ${invalid.length} invalid, ${errors.length} error log lines ${JSON.stringify([...new Set(errors.map((l) => (JSON.parse(l) as { msg: string; err?: unknown; type?: unknown }).msg + ':' + JSON.stringify((JSON.parse(l) as { err?: unknown }).err ?? (JSON.parse(l) as { type?: unknown }).type)))])}`,
    );
    expect([...statuses.keys()].filter((s) => s >= 500)).toEqual([]);
    expect(invalid.slice(0, 5)).toEqual([]);
    expect(errors.map((l) => bodies.get(String((JSON.parse(l) as { activityId?: unknown }).activityId))?.slice(0, 1_500) ?? l)).toEqual([]);
    expect(cards.length).toBeGreaterThan(COUNT * 0.2);
  });
});
