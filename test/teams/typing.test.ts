import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresTestDatabase, type TestDatabase } from '../helpers/db.js';
import type { App } from '../../src/app.js';
import { TYPING_AFTER_MS } from '../../bots/teams/index.js';
import { AAD } from '../core/counsellor/helpers.js';
import { post, startReceiver, startTeamsApp, teamsMessage } from './helpers.js';

/**
 * The Teams convention of #14: a turn slower than about a second shows "typing…" (a `typing` activity posted to
 * the connector before the reply); a fast turn sends none. The slow turn is slow for a real reason: the test holds
 * a PostgreSQL lock on the table every turn writes (its processed-update mark), so the real core waits on the real
 * database until the test lets go. Nothing in the code under test is faked or timed by the test.
 */
let db: TestDatabase;
let app: App;
let receiver: Awaited<ReturnType<typeof startReceiver>>;

beforeAll(async () => {
  db = await postgresTestDatabase();
  receiver = await startReceiver();
  app = await startTeamsApp(db);
  // Bot Framework is loaded at the first activity (seconds on a busy machine): that start-up is not the turn under test.
  const warm = await post(app.url, teamsMessage(receiver.url, AAD.sophie, { text: 'aide', conversation: { id: 'a:personal-warm-up', conversationType: 'personal', tenantId: 'tenant-demo' } }));
  expect(warm.status).toBe(200);
}, 60_000);
afterAll(async () => {
  await app?.stop();
  await receiver?.close();
  await db?.close();
});

/** What the connector received for one conversation, in order. */
const forConversation = (id: string) => receiver.received.filter((a) => a.path.includes(encodeURIComponent(id)) || a.path.includes(id));

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Holds a lock that makes every turn's write wait, until `release()`: another session's transaction, as a backup or a long import would. */
async function holdTurnWrites(): Promise<{ release(): Promise<void> }> {
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  await client.query('BEGIN');
  // SHARE mode lets readers through and blocks INSERT: the turn reads its state, then waits on its mark.
  await client.query('LOCK TABLE "ProcessedUpdate" IN SHARE MODE');
  return {
    async release() {
      await client.query('COMMIT');
      await client.end();
    },
  };
}

describe('Teams typing indicator', () => {
  it('a turn still running after about a second sends "typing" to the connector, then the reply', async () => {
    const activity = teamsMessage(receiver.url, AAD.sophie, { text: 'mon portefeuille' });
    const conversation = (activity.conversation as { id: string }).id;
    const lock = await holdTurnWrites();
    let answered = false;
    const response = post(app.url, activity).then((r) => {
      answered = true;
      return r;
    });
    try {
      // Held for well over the threshold: the turn is still waiting on the database.
      await sleep(TYPING_AFTER_MS + 800);
      expect(answered).toBe(false);
      const sofar = forConversation(conversation);
      expect(sofar.map((a) => a.body.type)).toEqual(['typing']);
    } finally {
      await lock.release();
    }
    expect((await response).status).toBe(200);
    const all = forConversation(conversation).map((a) => a.body.type);
    // typing first, then the card; nothing typed after the reply.
    expect(all[0]).toBe('typing');
    expect(all.lastIndexOf('typing')).toBeLessThan(all.indexOf('message'));
    expect(all.filter((t) => t === 'message')).toHaveLength(1);
  });

  it('a fast turn sends no typing activity, only the reply', async () => {
    // The premise: a turn that ran well under the threshold. On a loaded machine one may not, so up to three are
    // tried, and the first fast one is checked (a slow one rightly shows "typing").
    let checked = false;
    for (let attempt = 0; attempt < 3 && !checked; attempt++) {
      const id = `a:personal-fast-turn-${attempt}`;
      const activity = teamsMessage(receiver.url, AAD.sophie, { text: 'aide', conversation: { id, conversationType: 'personal', tenantId: 'tenant-demo' } });
      const started = Date.now();
      const res = await post(app.url, activity);
      expect(res.status).toBe(200);
      if (Date.now() - started >= TYPING_AFTER_MS * 0.7) continue;
      // Past the threshold, still no typing: the timer died with the turn.
      await sleep(TYPING_AFTER_MS + 300);
      expect(forConversation(id).map((a) => a.body.type)).toEqual(['message']);
      checked = true;
    }
    expect(checked).toBe(true);
  });
});
