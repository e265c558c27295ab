import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { databaseFactories, type TestDatabase } from '../helpers/db.js';
import { demoPeople, expectInvalid, type DemoPeople } from './fixtures.js';

describe.each(databaseFactories)('audit store on %s', (_kind, open) => {
  let db: TestDatabase;
  let people: DemoPeople;

  beforeAll(async () => {
    db = await open();
    people = await demoPeople(db);
  });
  afterAll(async () => {
    await db?.close();
  });

  const au = () => db.store.audit;

  it('recordAudit stores the event with its detail', async () => {
    const before = await db.connection.db.auditEvent.count();
    await au().recordAudit({ actorType: 'counsellor', actorId: String(people.counsellors.sophie), action: 'view_file', youthId: people.named.lea, channel: 'teams', detail: { list: 'without_mission', count: 3, ok: true, none: null } });
    await au().recordAudit({ actorType: 'system', actorId: 'purge', action: 'purge_run' });
    const rows = await db.connection.db.auditEvent.findMany({ orderBy: { id: 'desc' }, take: 2 });
    expect(await db.connection.db.auditEvent.count()).toBe(before + 2);
    expect(rows[1]).toMatchObject({ actorType: 'counsellor', action: 'view_file', youthId: people.named.lea, channel: 'teams', detail: { list: 'without_mission', count: 3, ok: true, none: null } });
    expect(rows[0]).toMatchObject({ actorType: 'system', actorId: 'purge', action: 'purge_run', youthId: null, channel: null, detail: null });
    expect(Math.abs(rows[0]!.at.getTime() - Date.now())).toBeLessThan(60_000);
  });

  it('recordAudit keeps the instant the caller gives (the core clock)', async () => {
    const at = new Date(db.now.getTime() - 5 * 60_000);
    await au().recordAudit({ actorType: 'youth', actorId: String(people.named.lea), action: 'clocked', youthId: people.named.lea, at });
    const row = await db.connection.db.auditEvent.findFirstOrThrow({ where: { action: 'clocked' } });
    expect(row.at).toEqual(at);
    expect(await au().countAuditSince('youth', String(people.named.lea), 'clocked', new Date(at.getTime() + 1))).toBe(0);
    expect(await au().countAuditSince('youth', String(people.named.lea), 'clocked', at)).toBe(1);
    await expectInvalid(au().recordAudit({ actorType: 'system', actorId: 'x', action: 'ok', at: 'yesterday' as never }), /\(at\)/);
  });

  it('countAuditSince counts one actor’s action since an instant', async () => {
    const t0 = new Date(Date.now() - 1000);
    for (let i = 0; i < 3; i++) await au().recordAudit({ actorType: 'anonymous', actorId: 'tg:42', action: 'code_attempt', channel: 'telegram' });
    await au().recordAudit({ actorType: 'anonymous', actorId: 'tg:43', action: 'code_attempt', channel: 'telegram' });
    await au().recordAudit({ actorType: 'anonymous', actorId: 'tg:42', action: 'other_thing' });
    await au().recordAudit({ actorType: 'youth', actorId: 'tg:42', action: 'code_attempt' });
    expect(await au().countAuditSince('anonymous', 'tg:42', 'code_attempt', t0)).toBe(3);
    expect(await au().countAuditSince('anonymous', 'tg:43', 'code_attempt', t0)).toBe(1);
    expect(await au().countAuditSince('youth', 'tg:42', 'code_attempt', t0)).toBe(1);
    expect(await au().countAuditSince('anonymous', 'tg:44', 'code_attempt', t0)).toBe(0);
    expect(await au().countAuditSince('anonymous', 'tg:42', 'code_attempt', new Date(Date.now() + 60_000))).toBe(0);
    await expectInvalid(au().countAuditSince('robot' as never, 'tg:42', 'code_attempt', t0), /actor type/);

    // Events older than the window do not count.
    const [oldest] = await db.connection.db.auditEvent.findMany({ where: { actorId: 'tg:42', action: 'code_attempt', actorType: 'anonymous' }, orderBy: { id: 'asc' }, take: 1 });
    await db.connection.db.auditEvent.update({ where: { id: oldest!.id }, data: { at: new Date(Date.now() - 2 * 3_600_000) } });
    expect(await au().countAuditSince('anonymous', 'tg:42', 'code_attempt', new Date(Date.now() - 3_600_000))).toBe(2);
    expect(await au().countAuditSince('anonymous', 'tg:42', 'code_attempt', new Date(Date.now() - 3 * 3_600_000))).toBe(3);
  });

  it('countActionSince counts an action across all actors', async () => {
    const t0 = new Date(Date.now() - 1000);
    const before = await au().countActionSince('link_redeem', t0);
    expect(before).toBe(0);
    for (const actorId of ['a', 'b', 'c', 'c']) await au().recordAudit({ actorType: 'anonymous', actorId, action: 'link_redeem' });
    await au().recordAudit({ actorType: 'anonymous', actorId: 'a', action: 'link_redeem_other' });
    expect(await au().countActionSince('link_redeem', t0)).toBe(4);
    expect(await au().countActionSince('link_redeem', new Date(Date.now() + 60_000))).toBe(0);
  });

  it('auditHistoryForYouth returns that youth’s events, oldest first, without other youth’s', async () => {
    const { ines, yanis } = people.named;
    const base = Date.now() - 10 * 60_000;
    for (const [i, action] of ['c_third', 'a_first', 'b_second'].entries()) {
      await au().recordAudit({ actorType: 'counsellor', actorId: String(people.counsellors.claire), action, youthId: ines, channel: 'teams', detail: { n: i } });
    }
    await au().recordAudit({ actorType: 'counsellor', actorId: 'x', action: 'not_hers', youthId: yanis });
    const rows = await db.connection.db.auditEvent.findMany({ where: { youthId: ines }, orderBy: { id: 'asc' } });
    const offsets: Record<string, number> = { a_first: 1, b_second: 2, c_third: 3 };
    for (const r of rows) await db.connection.db.auditEvent.update({ where: { id: r.id }, data: { at: new Date(base + offsets[r.action]! * 1000) } });
    const history = await au().auditHistoryForYouth(ines);
    expect(history.map((h) => h.action)).toEqual(['a_first', 'b_second', 'c_third']);
    expect(history[0]).toEqual({ at: new Date(base + 1000), actorType: 'counsellor', actorId: String(people.counsellors.claire), action: 'a_first', channel: 'teams', detail: { n: 1 } });
    expect(await au().auditHistoryForYouth(people.named.chloe)).toEqual([]);
    await expectInvalid(au().auditHistoryForYouth(0), /youth id/);
  });

  it('rejects malformed events without writing anything', async () => {
    const before = await db.connection.db.auditEvent.count();
    await expectInvalid(au().recordAudit({ actorType: 'robot' as never, actorId: 'x', action: 'ok' }), /\(actorType\)/);
    await expectInvalid(au().recordAudit({ actorType: 'system', actorId: '', action: 'ok' }), /\(actorId\)/);
    await expectInvalid(au().recordAudit({ actorType: 'system', actorId: 'x', action: 'Bad-Action' }), /\(action\)/);
    await expectInvalid(au().recordAudit({ actorType: 'system', actorId: 'x', action: 'ok', youthId: -1 }), /\(youthId\)/);
    await expectInvalid(au().recordAudit({ actorType: 'system', actorId: 'x', action: 'ok', channel: 'sms' as never }), /\(channel\)/);
    await expectInvalid(au().recordAudit({ actorType: 'system', actorId: 'x', action: 'ok', detail: { text: 'x'.repeat(201) } }), /detail/);
    await expectInvalid(au().recordAudit({ actorType: 'system', actorId: 'x', action: 'ok', detail: { nested: { a: 1 } as never } }), /detail/);
    await expectInvalid(au().recordAudit({ actorType: 'system', actorId: 'x', action: 'ok', phone: '0600' } as never), /audit event/);
    expect(await db.connection.db.auditEvent.count()).toBe(before);
  });
});
