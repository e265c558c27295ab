/**
 * The raw-SQL repositories against the ORM versions they replaced (test/store/orm-reference/), on a bulk seed
 * (thousands of missions and youth, not only the demo), on both databases and both read paths: the read driver
 * of a root client, and `$queryRaw` on a client without one (as inside a turn's transaction).
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';
import { connect, type Db, type StoreConnection } from '../../src/store/client.js';
import { migrate } from '../../src/store/migrate.js';
import { seedDemo } from '../../src/store/seed/demo.js';
import { syncContent } from '../../src/store/seed/content.js';
import { driverCalls } from '../../src/store/sql.js';
import * as missions from '../../src/store/repos/missions.js';
import * as caseload from '../../src/store/repos/caseload.js';
import * as youth from '../../src/store/repos/youth.js';
import * as stats from '../../src/store/repos/stats.js';
import * as content from '../../src/store/repos/content.js';
import * as conversation from '../../src/store/repos/conversation.js';
import * as ormMissions from './orm-reference/missions.js';
import * as ormCaseload from './orm-reference/caseload.js';
import * as ormYouth from './orm-reference/youth.js';
import * as ormStats from './orm-reference/stats.js';
import * as ormContent from './orm-reference/content.js';
import * as ormConversation from './orm-reference/conversation.js';
import { testNow } from '../helpers/db.js';
import { endingWithin, noContactSince, noMissionSince, overviewWindows } from '../../src/core/counsellor/definitions.js';

const DAY = 86_400_000;

async function bulkDatabase(kind: 'sqlite' | 'postgresql'): Promise<{ connection: StoreConnection; drop: () => Promise<void> }> {
  let url: string;
  let drop: () => Promise<void>;
  if (kind === 'sqlite') {
    const file = path.join(path.dirname(inject('sqliteTemplate')), `bulk-${randomUUID()}.db`);
    url = `file:${file}`;
    drop = async () => {
      for (const s of ['', '-wal', '-shm']) rmSync(`${file}${s}`, { force: true });
    };
  } else {
    const adminUrl = inject('pgAdminUrl');
    const name = `${inject('pgPrefix')}_bulk_${randomUUID().replace(/-/g, '').slice(0, 8)}`;
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${name}"`);
    await admin.end();
    url = adminUrl.replace(/\/[^/]*$/, `/${name}`);
    drop = async () => {
      const a = new pg.Client({ connectionString: adminUrl });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await a.end();
    };
  }
  await migrate(url);
  const connection = connect(url);
  await syncContent(connection.db);
  await seedDemo(connection.db, { now: testNow(), missions: 3_000, extraYouth: 1_200 });
  return { connection, drop };
}

describe.each(['sqlite', 'postgresql'] as const)('raw SQL answers like the ORM on a bulk seed (%s)', (kind) => {
  let connection: StoreConnection;
  let drop: () => Promise<void>;
  /** A client with no read driver: reads go through $queryRaw on it, as they do on a transaction client. */
  let viaPrisma: Db;
  const now = testNow();

  beforeAll(async () => {
    ({ connection, drop } = await bulkDatabase(kind));
    viaPrisma = connection.db.$extends({}) as unknown as Db;
  }, 240_000);
  afterAll(async () => {
    await connection?.close();
    await drop?.();
  });

  /** Runs `raw` on both read paths and `orm` once; all three must agree. */
  async function same<T>(raw: (db: Db) => Promise<T>, orm: (db: Db) => Promise<T>, normalise: (v: T) => unknown = (v) => v) {
    const before = driverCalls.reads;
    const fromDriver = await raw(connection.db);
    expect(driverCalls.reads, 'a root client reads on its driver').toBeGreaterThan(before);
    const afterDriver = driverCalls.reads;
    const fromPrisma = await raw(viaPrisma);
    expect(driverCalls.reads, 'a client without a driver reads through Prisma').toBe(afterDriver);
    const fromOrm = await orm(connection.db);
    expect(normalise(fromDriver)).toEqual(normalise(fromOrm));
    expect(normalise(fromPrisma)).toEqual(normalise(fromOrm));
    return fromDriver;
  }

  it('mission searches: commune, commune + sector + page, nearest first, département, start window, details, wider counts', async () => {
    const searches: missions.MissionSearch[] = [
      { communeCode: '69123' },
      { communeCode: '69123', sector: 'logistique', page: 1 },
      { communeCode: '69266', epciCode: '200046977', page: 0 },
      { communeCode: '69266', epciCode: '200046977', page: 7, pageSize: 3 },
      { departementCode: '13' },
      { departementCode: '69', sector: 'btp', page: 2 },
      { communeCode: '69123', startFrom: now, startTo: new Date(now.getTime() + 14 * DAY), activeOn: now },
      { epciCode: '200046977', sector: 'commerce' },
      // Start windows with a sector, each place kind (SQLite names the sector index of each: missions.ts).
      { departementCode: '13', sector: 'logistique', startFrom: now, startTo: new Date(now.getTime() + 30 * DAY), activeOn: now },
      { communeCode: '69266', epciCode: '200046977', sector: 'logistique', startFrom: now, startTo: new Date(now.getTime() + 60 * DAY) },
      { sector: 'btp', startFrom: now, startTo: new Date(now.getTime() + 7 * DAY), page: 1 },
      { communeCode: '01001' },
    ];
    let nonEmpty = 0;
    for (const s of searches) {
      const page = await same(
        (db) => missions.searchOpenMissions(db, s),
        (db) => ormMissions.searchOpenMissions(db, s),
      );
      if (page.items.length > 0) nonEmpty++;
    }
    expect(nonEmpty).toBeGreaterThanOrEqual(7);
    const anyId = (await missions.searchOpenMissions(connection.db, { departementCode: '69' })).items[0]!.id;
    await same(
      (db) => missions.findMissionById(db, anyId),
      (db) => ormMissions.findMissionById(db, anyId),
    );
    await same(
      (db) => missions.findMissionById(db, 999_999),
      (db) => ormMissions.findMissionById(db, 999_999),
    );
    const wider = { communeCode: '69266', epciCode: '200046977', departementCode: '69', sector: 'logistique', activeOn: now };
    await same(
      (db) => missions.countWiderSearches(db, wider),
      (db) => ormMissions.countWiderSearches(db, wider),
    );
  });

  it('caseload overview and every list, for a counsellor and a manager', async () => {
    const bench = await connection.db.counsellor.findFirstOrThrow({ where: { email: 'bench1@ml.demo.invalid' } });
    const sophie = await connection.db.counsellor.findFirstOrThrow({ where: { aadObjectId: '00000000-0000-4000-8000-000000000001' } });
    for (const scope of [{ counsellorId: bench.id }, { counsellorId: sophie.id }, { missionLocaleId: sophie.missionLocaleId }]) {
      await same(
        (db) => caseload.caseloadOverview(db, scope, overviewWindows(now), now),
        (db) => ormCaseload.caseloadOverview(db, scope, now),
      );
      let rows = 0;
      for (const [raw, orm] of [
        [(db: Db) => caseload.youthWithoutMission(db, scope, noMissionSince(now, 30), now), (db: Db) => ormCaseload.youthWithoutMission(db, scope, 30, now)],
        [(db: Db) => caseload.youthWithoutContact(db, scope, noContactSince(now, 30), now), (db: Db) => ormCaseload.youthWithoutContact(db, scope, 30, now)],
        [(db: Db) => caseload.missionsEndingSoon(db, scope, endingWithin(now, 14), now), (db: Db) => ormCaseload.missionsEndingSoon(db, scope, 14, now)],
        [(db: Db) => caseload.youthWithBarrier(db, scope, undefined, now), (db: Db) => ormCaseload.youthWithBarrier(db, scope, undefined, now)],
        [(db: Db) => caseload.youthWithBarrier(db, scope, 'mobility', now), (db: Db) => ormCaseload.youthWithBarrier(db, scope, 'mobility', now)],
        [(db: Db) => caseload.youthInMissionNow(db, scope, now), (db: Db) => ormCaseload.youthInMissionNow(db, scope, now)],
        [(db: Db) => caseload.youthWithPendingInterest(db, scope, now), (db: Db) => ormCaseload.youthWithPendingInterest(db, scope, now)],
        [(db: Db) => caseload.youthWithOpenRequests(db, scope, now), (db: Db) => ormCaseload.youthWithOpenRequests(db, scope, now)],
      ] as const) {
        rows += (await same(raw, orm)).length;
      }
      expect(rows, 'the lists are not all empty').toBeGreaterThan(0);
    }
  });

  it('youth by id, by Telegram account, in scope, and by name (exact and with a typo)', async () => {
    const bench = await connection.db.counsellor.findFirstOrThrow({ where: { email: 'bench1@ml.demo.invalid' } });
    const scope = { counsellorId: bench.id };
    const one = await connection.db.youth.findFirstOrThrow({ where: { counsellorId: bench.id }, orderBy: { id: 'asc' } });
    await same((db) => youth.findYouthById(db, one.id), (db) => ormYouth.findYouthById(db, one.id));
    await same((db) => youth.findYouthInScope(db, scope, one.id), (db) => ormYouth.findYouthInScope(db, scope, one.id));
    await same((db) => youth.findYouthInScope(db, { counsellorId: bench.id + 1 }, one.id), (db) => ormYouth.findYouthInScope(db, { counsellorId: bench.id + 1 }, one.id));
    const linked = await connection.db.youth.findFirst({ where: { telegramUserId: { not: null } } });
    if (linked) await same((db) => youth.findYouthByTelegramUser(db, linked.telegramUserId!), (db) => ormYouth.findYouthByTelegramUser(db, linked.telegramUserId!));
    const byId = (m: youth.NameMatch[]) => [...m].sort((a, b) => a.distance - b.distance || a.youth.id - b.youth.id);
    const typo = `${one.firstName} ${one.lastName.slice(0, -1)}`;
    for (const name of [`${one.firstName} ${one.lastName}`, typo, 'lea martn', 'zzzz qqqq']) {
      await same((db) => youth.findYouthByName(db, scope, name), (db) => ormYouth.findYouthByName(db, scope, name), byId);
    }
    expect((await youth.findYouthByName(connection.db, scope, typo)).length).toBeGreaterThan(0);
  });

  it('programme figures, content, dialogue state and the processed-update mark', async () => {
    const from = new Date(now.getTime() - 365 * DAY);
    await same((db) => stats.programmeStats(db, { from, to: now }), (db) => ormStats.programmeStats(db, { from, to: now }));
    await same((db) => stats.programmeStats(db, { missionLocaleId: 1, from, to: now }), (db) => ormStats.programmeStats(db, { missionLocaleId: 1, from, to: now }));
    await same((db) => content.listFaq(db), (db) => ormContent.listFaq(db));
    await same((db) => content.listMeasuresByTopic(db, 'mobility'), (db) => ormContent.listMeasuresByTopic(db, 'mobility'));
    const faqKey = (await content.listFaq(connection.db))[2]!.key;
    await same((db) => content.findFaqByKey(db, faqKey), (db) => ormContent.findFaqByKey(db, faqKey));

    // Written by one implementation, read by the other, both ways.
    const state = { lastList: [1, 2, 3], pending: { kind: 'confirm', text: 'ça va ?' } };
    await conversation.saveConversationState(connection.db, 'telegram', '4242', state);
    expect(await ormConversation.loadConversationState(connection.db, 'telegram', '4242')).toEqual(state);
    await ormConversation.saveConversationState(connection.db, 'telegram', '4243', 'just text');
    expect(await conversation.loadConversationState(connection.db, 'telegram', '4243')).toBe('just text');
    expect(await conversation.loadConversationState(viaPrisma, 'telegram', '4243')).toBe('just text');
    await conversation.saveConversationState(viaPrisma, 'telegram', '4242', { v: 2 });
    expect(await ormConversation.loadConversationState(connection.db, 'telegram', '4242')).toEqual({ v: 2 });
    const saved = await connection.db.conversationState.findUniqueOrThrow({ where: { channel_channelUserId: { channel: 'telegram', channelUserId: '4242' } } });
    expect(Math.abs(saved.updatedAt.getTime() - Date.now())).toBeLessThan(60_000);

    expect(await conversation.markEventProcessed(connection.db, 'telegram', 'u-1')).toBe(true);
    expect(await ormConversation.markEventProcessed(connection.db, 'telegram', 'u-1')).toBe(false);
    expect(await ormConversation.markEventProcessed(connection.db, 'telegram', 'u-2')).toBe(true);
    expect(await conversation.markEventProcessed(viaPrisma, 'telegram', 'u-2')).toBe(false);
    const mark = await connection.db.processedUpdate.findFirstOrThrow({ where: { eventId: 'u-1' } });
    expect(Math.abs(mark.processedAt.getTime() - Date.now())).toBeLessThan(60_000);
    // The purge compares the stamp written by the raw insert with the ORM's own dates.
    expect(await conversation.purgeProcessedEvents(connection.db, new Date(Date.now() - 60_000))).toBe(0);
    expect(await conversation.purgeProcessedEvents(connection.db, new Date(Date.now() + 60_000))).toBeGreaterThanOrEqual(2);
  });

  it('inside an interactive transaction, a read sees the transaction’s own write and a rollback keeps nothing', async () => {
    await expect(
      connection.db.$transaction(async (tx) => {
        const t = tx as unknown as Db;
        expect(await conversation.markEventProcessed(t, 'teams', 'tx-1')).toBe(true);
        await conversation.saveConversationState(t, 'teams', 'tx-user', { inTx: true });
        expect(await conversation.loadConversationState(t, 'teams', 'tx-user')).toEqual({ inTx: true });
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(await conversation.loadConversationState(connection.db, 'teams', 'tx-user')).toBeNull();
    expect(await conversation.markEventProcessed(connection.db, 'teams', 'tx-1')).toBe(true);
  });
});
