import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { databaseFactories, type TestDatabase } from '../helpers/db.js';
import { demoPeople, expectInvalid, type DemoPeople } from './fixtures.js';
import type { NotificationInput } from '../../src/store/index.js';

describe.each(databaseFactories)('notifications store on %s', (_kind, open) => {
  let db: TestDatabase;
  let people: DemoPeople;
  let missionId: number;

  beforeAll(async () => {
    db = await open();
    people = await demoPeople(db);
    missionId = (await db.connection.db.mission.findFirstOrThrow({ where: { status: 'open' }, orderBy: { id: 'asc' } })).id;
  });
  afterAll(async () => {
    await db?.close();
  });

  const n = () => db.store.notifications;
  // Each call describes a new event (notifications are deduplicated per event); `again` repeats the last one.
  let event = 0;
  const next = (again?: boolean) => (again ? event : ++event);
  const interested = (again?: boolean): NotificationInput => ({ kind: 'youth_interested', counsellorId: people.counsellors.sophie, youthId: people.named.lea, missionId, applicationId: next(again) });
  const proposal = (again?: boolean): NotificationInput => ({ kind: 'mission_proposal', youthId: people.named.kevin, missionId: missionId + next(again), counsellorId: people.counsellors.sophie });
  const request = (again?: boolean): NotificationInput => ({ kind: 'youth_request', counsellorId: people.counsellors.nadia, youthId: people.named.yanis, requestId: next(again), requestKind: 'contact' });

  it('enqueueing the same event twice (a replayed turn) gives the same notification, once', async () => {
    const first = await n().enqueueNotification(request());
    const again = await n().enqueueNotification(request(true));
    expect(again).toBe(first);
    const twice = await Promise.all([n().enqueueNotification(interested()), n().enqueueNotification(interested(true))]);
    expect(twice[0]).toBe(twice[1]);
    expect(await db.connection.db.notification.count({ where: { id: { in: [first, twice[0]] } } })).toBe(2);
  });

  it('enqueueNotification stores a pending notification addressed to the counsellor or the youth', async () => {
    const a = await n().enqueueNotification(interested());
    const b = await n().enqueueNotification(proposal());
    const rows = await db.connection.db.notification.findMany({ where: { id: { in: [a, b] } }, orderBy: { id: 'asc' } });
    expect(rows[0]).toMatchObject({ kind: 'youth_interested', counsellorId: people.counsellors.sophie, youthId: people.named.lea, status: 'pending', attempts: 0 });
    expect(rows[0]!.payload).toMatchObject({ kind: 'youth_interested', applicationId: event - 1 });
    // A mission proposal goes to the youth: no counsellor recipient.
    expect(rows[1]).toMatchObject({ kind: 'mission_proposal', counsellorId: null, youthId: people.named.kevin, status: 'pending', payload: proposal(true) });
  });

  it('listPendingNotifications returns pending notifications of the given kinds, oldest first', async () => {
    const pendingBefore = await n().listPendingNotifications(['youth_interested', 'youth_request', 'mission_proposal'], 500);
    const x = await n().enqueueNotification(request());
    const y = await n().enqueueNotification(interested());
    const z = await n().enqueueNotification(proposal());
    const counsellorKinds = await n().listPendingNotifications(['youth_interested', 'youth_request'], 500);
    const raw = await db.connection.db.notification.findMany({ where: { status: 'pending', kind: { in: ['youth_interested', 'youth_request'] } }, orderBy: { id: 'asc' } });
    expect(counsellorKinds.map((p) => p.id)).toEqual(raw.map((r) => r.id));
    expect(counsellorKinds.map((p) => p.id)).toContain(x);
    expect(counsellorKinds.map((p) => p.id)).toContain(y);
    expect(counsellorKinds.map((p) => p.id)).not.toContain(z);
    expect(counsellorKinds.find((p) => p.id === x)?.payload).toMatchObject({ kind: 'youth_request', requestKind: 'contact' });
    const youthKinds = await n().listPendingNotifications(['mission_proposal'], 500);
    expect(youthKinds.every((p) => p.payload.kind === 'mission_proposal')).toBe(true);
    expect(youthKinds.map((p) => p.id)).toContain(z);
    expect(await n().listPendingNotifications([], 500)).toEqual([]);
    const all = await n().listPendingNotifications(['youth_interested', 'youth_request', 'mission_proposal'], 500);
    expect(all).toHaveLength(pendingBefore.length + 3);
    expect((await n().listPendingNotifications(['youth_interested', 'youth_request', 'mission_proposal'], 2)).map((p) => p.id)).toEqual(all.slice(0, 2).map((p) => p.id));
  });

  it('markNotificationSent takes it out of the pending list', async () => {
    const id = await n().enqueueNotification(request());
    await n().markNotificationSent(id);
    const row = await db.connection.db.notification.findUniqueOrThrow({ where: { id } });
    expect(row.status).toBe('sent');
    expect(row.attempts).toBe(1);
    expect(row.sentAt).toBeInstanceOf(Date);
    expect((await n().listPendingNotifications(['youth_request'], 500)).map((p) => p.id)).not.toContain(id);
  });

  it('markNotificationFailed retries until max attempts, then gives up', async () => {
    const id = await n().enqueueNotification(interested());
    for (let attempt = 1; attempt <= 4; attempt++) {
      await n().markNotificationFailed(id, `timeout ${attempt}`);
      const row = await db.connection.db.notification.findUniqueOrThrow({ where: { id } });
      expect(row).toMatchObject({ status: 'pending', attempts: attempt, lastError: `timeout ${attempt}` });
      const pending = await n().listPendingNotifications(['youth_interested'], 500);
      expect(pending.find((p) => p.id === id)?.attempts).toBe(attempt);
    }
    await n().markNotificationFailed(id, 'E'.repeat(500));
    const row = await db.connection.db.notification.findUniqueOrThrow({ where: { id } });
    expect(row.status).toBe('failed');
    expect(row.attempts).toBe(5);
    expect(row.lastError).toBe('E'.repeat(200));
    expect((await n().listPendingNotifications(['youth_interested'], 500)).map((p) => p.id)).not.toContain(id);

    const quick = await n().enqueueNotification(interested());
    await n().markNotificationFailed(quick, 'x', 2);
    expect((await db.connection.db.notification.findUniqueOrThrow({ where: { id: quick } })).status).toBe('pending');
    await n().markNotificationFailed(quick, 'x', 2);
    expect((await db.connection.db.notification.findUniqueOrThrow({ where: { id: quick } })).status).toBe('failed');
  });

  it('a stored payload that no longer parses is marked failed instead of being delivered', async () => {
    const bad = await db.connection.db.notification.create({ data: { kind: 'youth_request', counsellorId: people.counsellors.nadia, youthId: people.named.yanis, payload: { kind: 'youth_request', youthId: 'abc' } } });
    const good = await n().enqueueNotification(request());
    const pending = await n().listPendingNotifications(['youth_request'], 500);
    expect(pending.map((p) => p.id)).not.toContain(bad.id);
    expect(pending.map((p) => p.id)).toContain(good);
    expect(await db.connection.db.notification.findUniqueOrThrow({ where: { id: bad.id } })).toMatchObject({ status: 'failed', lastError: 'invalid payload' });
  });

  it('rejects invalid notifications and ids', async () => {
    const before = await db.connection.db.notification.count();
    await expectInvalid(n().enqueueNotification({ kind: 'youth_interested', counsellorId: 1, youthId: 1, missionId: 1 } as never), /\(applicationId\)/);
    await expectInvalid(n().enqueueNotification({ kind: 'spam', youthId: 1 } as never), /notification/);
    await expectInvalid(n().enqueueNotification({ ...request(), requestKind: 'hug' } as never), /\(requestKind\)/);
    await expectInvalid(n().enqueueNotification({ ...proposal(), youthId: 0 }), /\(youthId\)/);
    expect(await db.connection.db.notification.count()).toBe(before);
    await expectInvalid(n().markNotificationSent(0), /notification id/);
    await expectInvalid(n().markNotificationFailed(-1, 'x'), /notification id/);
  });
});
