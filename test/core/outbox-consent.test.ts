import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOutbox } from '../../src/core/outbox.js';
import { databaseFactories, type TestDatabase } from '../helpers/db.js';

/**
 * The one delivery check of every message to a young person (`youthReachable`, in outbox.prepare): a proposal, a
 * reminder or an alert queued before the young person said "stop", unlinked or was anonymised is not sent.
 */
describe.each(databaseFactories)('messages to a young person, checked at delivery, on %s', (_kind, open) => {
  let db: TestDatabase;
  let youthId: number;
  let ids: number[];

  beforeAll(async () => {
    db = await open();
    const y = await db.connection.db.youth.findFirstOrThrow({ where: { telegramChatId: null, status: 'active', anonymizedAt: null }, orderBy: { id: 'asc' } });
    youthId = y.id;
    await db.connection.db.youth.update({ where: { id: youthId }, data: { telegramChatId: '4440001', telegramUserId: '4440001', consentAt: db.now } });
    const mission = await db.connection.db.mission.findFirstOrThrow({ where: { status: 'open', endDate: { gt: db.now } } });
    const appointment = await db.connection.db.appointment.create({ data: { youthId, counsellorId: y.counsellorId, at: new Date(db.now.getTime() + 86_400_000), place: 'Mission locale', status: 'planned' } });
    // A proposal is sent while its application waits for the young person's answer.
    await db.store.activity.recordApplication(youthId, mission.id, 'counsellor_proposal', db.now);
    ids = [
      await db.store.notifications.enqueueNotification({ kind: 'mission_proposal', youthId, missionId: mission.id, counsellorId: y.counsellorId }),
      await db.store.notifications.enqueueNotification({ kind: 'appointment_reminder', youthId, appointmentId: appointment.id, at: appointment.at.toISOString(), daysBefore: 1 }),
      await db.store.notifications.enqueueNotification({ kind: 'mission_alert', youthId, missionIds: [mission.id], day: '2026-12-02' }),
    ];
  });

  afterAll(async () => {
    await db?.close();
  });

  const prepareAll = async (at: Date) => {
    const outbox = createOutbox(db.store);
    return Promise.all(ids.map(async (id) => (await outbox.prepare((await db.store.notifications.findNotification(id))!, at)).state));
  };
  // 11:00 Paris on the seed's day: outside the alerts' quiet hours.
  const daytime = () => new Date(Date.UTC(db.now.getUTCFullYear(), db.now.getUTCMonth(), db.now.getUTCDate(), 10));

  it('with consent, each is ready; an alert in quiet hours waits for 08:00', async () => {
    expect(await prepareAll(daytime())).toEqual(['ready', 'ready', 'ready']);
    const night = new Date(daytime().getTime() + 12 * 3_600_000);
    const alert = await createOutbox(db.store).prepare((await db.store.notifications.findNotification(ids[2]!))!, night);
    expect(alert).toMatchObject({ state: 'waiting', why: 'quiet_hours' });
    expect((alert as { until: Date }).until.getTime()).toBeGreaterThan(night.getTime());
  });

  it('after "stop" (consent withdrawn), none goes; given again, they go again', async () => {
    await db.store.consent.setMessagesConsent(youthId, null);
    const states = await Promise.all(ids.map(async (id) => createOutbox(db.store).prepare((await db.store.notifications.findNotification(id))!, daytime())));
    expect(states).toEqual([
      { state: 'drop', why: 'recipient_gone' },
      { state: 'drop', why: 'recipient_gone' },
      { state: 'drop', why: 'recipient_gone' },
    ]);
    await db.store.consent.setMessagesConsent(youthId, db.now);
    expect(await prepareAll(daytime())).toEqual(['ready', 'ready', 'ready']);
  });

  it('after unlinking or anonymisation, none goes', async () => {
    await db.connection.db.youth.update({ where: { id: youthId }, data: { anonymizedAt: db.now } });
    expect(await prepareAll(daytime())).toEqual(['drop', 'drop', 'drop']);
    await db.connection.db.youth.update({ where: { id: youthId }, data: { anonymizedAt: null, telegramChatId: null } });
    expect(await prepareAll(daytime())).toEqual(['drop', 'drop', 'drop']);
  });
});
