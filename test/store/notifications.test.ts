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

  const future = () => new Date(Date.now() + 60_000);

  it('listDueNotifications returns the ids of due pending messages of the given channels, oldest first', async () => {
    const x = await n().enqueueNotification(request());
    const y = await n().enqueueNotification(interested());
    const z = await n().enqueueNotification(proposal());
    const later = await n().enqueueNotification(request());
    await n().scheduleNotificationRetry(later, { at: future(), error: 'telegram 429', partsSent: 0 });
    const teams = await n().listDueNotifications(['teams'], new Date(Date.now() + 1_000), 5_000);
    const raw = await db.connection.db.notification.findMany({ where: { status: 'pending', channel: 'teams', nextAttemptAt: { lte: new Date(Date.now() + 1_000) } }, orderBy: { id: 'asc' } });
    expect(teams).toEqual(raw.map((r) => r.id));
    expect(teams).toEqual(expect.arrayContaining([x, y]));
    expect(teams).not.toContain(z);
    expect(teams).not.toContain(later);
    expect(await n().listDueNotifications(['telegram'], new Date(Date.now() + 1_000), 5_000)).toContain(z);
    expect(await n().listDueNotifications([], new Date(), 5_000)).toEqual([]);
    expect(await n().countPendingNotifications(['teams'])).toBe(await db.connection.db.notification.count({ where: { status: 'pending', channel: 'teams' } }));
  });

  it('claimNotification lets exactly one of several concurrent callers take a due message', async () => {
    const id = await n().enqueueNotification(request());
    const now = new Date(Date.now() + 1_000);
    const wins = await Promise.all([1, 2, 3, 4].map(() => n().claimNotification(id, now, 60_000)));
    expect(wins.filter(Boolean)).toHaveLength(1);
    // Leased: not due again until the lease ends.
    expect(await n().listDueNotifications(['teams'], new Date(now.getTime() + 1_000), 5_000)).not.toContain(id);
    expect(await n().claimNotification(id, new Date(now.getTime() + 61_000), 60_000)).toBe(true);
  });

  it('markNotificationSent is final, records the attempt, and drops a deferred reply\'s text', async () => {
    const id = await n().enqueueNotification(request());
    await n().markNotificationSent(id);
    const row = await db.connection.db.notification.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({ status: 'sent', attempts: 1 });
    expect(row.sentAt).toBeInstanceOf(Date);
    expect(row.finishedAt).toBeInstanceOf(Date);
    expect(await n().listDueNotifications(['teams'], future(), 5_000)).not.toContain(id);

    const reply = { blocks: [{ type: 'text', segments: ['Bonjour Léa'] }] };
    const deferred = await n().enqueueDeferredReply({ kind: 'deferred_reply', channel: 'telegram', address: '123', reply, eventId: 'u-1', partsSent: 1, notBefore: new Date() });
    expect(await n().enqueueDeferredReply({ kind: 'deferred_reply', channel: 'telegram', address: '123', reply, eventId: 'u-1', partsSent: 0, notBefore: new Date() })).toBe(deferred);
    expect(await n().findNotification(deferred)).toMatchObject({ channel: 'telegram', partsSent: 1, payload: { kind: 'deferred_reply', address: '123', reply } });
    await n().markNotificationSent(deferred, 1);
    const sent = await db.connection.db.notification.findUniqueOrThrow({ where: { id: deferred } });
    expect(sent.status).toBe('sent');
    expect(JSON.stringify(sent.payload)).not.toContain('Léa');
  });

  it('scheduleNotificationRetry counts the attempt and sets the next time; finishNotification ends it', async () => {
    const id = await n().enqueueNotification(interested());
    const at = future();
    await n().scheduleNotificationRetry(id, { at, error: 'E'.repeat(500), partsSent: 0 });
    expect(await db.connection.db.notification.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: 'pending', attempts: 1, lastError: 'E'.repeat(200), nextAttemptAt: at });
    await n().scheduleNotificationRetry(id, { at, error: 'no address', partsSent: 0, countAttempt: false });
    expect((await db.connection.db.notification.findUniqueOrThrow({ where: { id } })).attempts).toBe(1);
    await n().finishNotification(id, 'unreachable', 'telegram 403');
    expect(await db.connection.db.notification.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: 'unreachable', attempts: 2, lastError: 'telegram 403' });
  });

  it('marks an address unreachable and reachable again', async () => {
    expect(await n().isAddressUnreachable('telegram', '98765')).toBe(false);
    await n().markAddressUnreachable('telegram', '98765', 'telegram 403');
    expect(await n().isAddressUnreachable('telegram', '98765')).toBe(true);
    await n().markAddressUnreachable('telegram', '98765', 'telegram 403');
    await n().markAddressReachable('telegram', '98765');
    expect(await n().isAddressUnreachable('telegram', '98765')).toBe(false);
  });

  it('a stored payload that no longer parses is marked failed instead of being delivered', async () => {
    const bad = await db.connection.db.notification.create({ data: { kind: 'youth_request', channel: 'teams', counsellorId: people.counsellors.nadia, youthId: people.named.yanis, payload: { kind: 'youth_request', youthId: 'abc' } } });
    expect(await n().findNotification(bad.id)).toBeNull();
    expect(await db.connection.db.notification.findUniqueOrThrow({ where: { id: bad.id } })).toMatchObject({ status: 'failed', lastError: 'invalid payload' });
  });

  it('rejects invalid notifications and ids', async () => {
    const before = await db.connection.db.notification.count();
    await expectInvalid(n().enqueueNotification({ kind: 'youth_interested', counsellorId: 1, youthId: 1, missionId: 1 } as never), /\(applicationId\)/);
    await expectInvalid(n().enqueueNotification({ kind: 'spam', youthId: 1 } as never), /notification/);
    await expectInvalid(n().enqueueNotification({ ...request(), requestKind: 'hug' } as never), /\(requestKind\)/);
    await expectInvalid(n().enqueueNotification({ ...proposal(), youthId: 0 } as never), /\(youthId\)/);
    expect(await db.connection.db.notification.count()).toBe(before);
    await expectInvalid(n().markNotificationSent(0), /notification id/);
    await expectInvalid(n().finishNotification(-1, 'failed', 'x'), /notification id/);
    await expectInvalid(n().enqueueDeferredReply({ kind: 'deferred_reply', channel: 'telegram', address: 'not a chat', reply: { blocks: [] }, eventId: 'x', partsSent: 0, notBefore: new Date() }), /deferred reply/);
  });
});
