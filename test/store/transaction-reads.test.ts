import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseFactories, type TestDatabase } from '../helpers/db.js';
import { driverCalls } from '../../src/store/sql.js';

/**
 * Inside a turn's transaction (`store.transaction`), the reads of data the turn writes (dialogue state) run in the
 * transaction and see its writes; the reads of reference data no turn writes (missions, FAQ and aids, programme
 * figures) keep the root's read driver, as outside a transaction.
 */
describe.each(databaseFactories)('reads inside a turn transaction on %s', (_kind, open) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await open();
  });
  afterAll(async () => db.close());

  it('reference data on the read driver, the turn’s own rows in the transaction', async () => {
    const state = { pending: undefined, lastSearch: { communeCode: '69123' } };
    const seen = await db.store.transaction(async (store) => {
      const before = driverCalls.reads;
      const page = await store.missions.searchOpenMissions({ communeCode: '69123' });
      const faq = await store.content.listFaq();
      const figures = await store.stats.programmeStats({ from: new Date(db.now.getTime() - 365 * 86_400_000), to: db.now });
      const referenceReads = driverCalls.reads - before;

      await store.conversation.saveConversationState('telegram', 'tx-reads-1', state);
      const beforeOwn = driverCalls.reads;
      const own = await store.conversation.loadConversationState('telegram', 'tx-reads-1');
      return { page, faq, figures, referenceReads, ownDriverReads: driverCalls.reads - beforeOwn, own };
    });
    expect(seen.page.items.length).toBeGreaterThan(0);
    expect(seen.faq.length).toBeGreaterThan(0);
    expect(seen.figures.youthFollowed).toBeGreaterThan(0);
    // Search: a count and a page; FAQ: one; figures: one.
    expect(seen.referenceReads).toBeGreaterThanOrEqual(4);
    expect(seen.ownDriverReads).toBe(0);
    expect(seen.own).toEqual({ lastSearch: { communeCode: '69123' } });
    // Same answers as the root store outside of a transaction.
    expect(await db.store.missions.searchOpenMissions({ communeCode: '69123' })).toEqual(seen.page);
    expect(await db.store.conversation.loadConversationState('telegram', 'tx-reads-1')).toEqual(seen.own);
  });

  it('a reference read in a transaction that rolls back leaves the transaction’s writes behind with it', async () => {
    await expect(
      db.store.transaction(async (store) => {
        await store.conversation.saveConversationState('telegram', 'tx-reads-2', { step: 1 });
        await store.missions.findMissionById(1);
        throw new Error('work failed');
      }),
    ).rejects.toThrow('work failed');
    expect(await db.store.conversation.loadConversationState('telegram', 'tx-reads-2')).toBeNull();
  });
});
