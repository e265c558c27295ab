import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { databaseFactories, type TestDatabase } from '../helpers/db.js';
import { DAY, demoPeople, expectInvalid, startOfDay, type DemoPeople } from './fixtures.js';
import { noContactSince } from '../../src/core/counsellor/definitions.js';

describe.each(databaseFactories)('activity store on %s', (_kind, open) => {
  let db: TestDatabase;
  let people: DemoPeople;
  let openMissionIds: number[];

  beforeAll(async () => {
    db = await open();
    people = await demoPeople(db);
    openMissionIds = (await db.connection.db.mission.findMany({ where: { status: 'open' }, select: { id: true }, orderBy: { id: 'asc' } })).map((m) => m.id);
  });
  afterAll(async () => {
    await db?.close();
  });

  const a = () => db.store.activity;
  const raw = () => db.connection.db;

  /** An open mission this youth never applied to. */
  async function freshMission(youthId: number, skip = 0): Promise<number> {
    const applied = new Set((await raw().application.findMany({ where: { youthId }, select: { missionId: true } })).map((x) => x.missionId));
    return openMissionIds.filter((id) => !applied.has(id))[skip]!;
  }

  it('recordApplication writes once per youth and mission; the second call reports created:false', async () => {
    const { kevin } = people.named;
    const missionId = await freshMission(kevin);
    const countBefore = await raw().application.count({ where: { youthId: kevin } });
    const first = await a().recordApplication(kevin, missionId, 'youth');
    expect(first).toMatchObject({ status: 'sent', created: true });
    const second = await a().recordApplication(kevin, missionId, 'youth');
    expect(second).toEqual({ id: first.id, status: 'sent', source: 'youth', created: false });
    const third = await a().recordApplication(kevin, missionId, 'counsellor_proposal');
    expect(third).toEqual({ id: first.id, status: 'sent', source: 'youth', created: false });
    const rows = await raw().application.findMany({ where: { youthId: kevin, missionId } });
    expect(rows).toHaveLength(1);
    expect(rows[0]!.source).toBe('youth');
    expect(await raw().application.count({ where: { youthId: kevin } })).toBe(countBefore + 1);
  });

  it('recordApplication revives a withdrawn application and leaves an accepted one alone', async () => {
    const { kevin } = people.named;
    const missionId = await freshMission(kevin);
    const first = await a().recordApplication(kevin, missionId, 'counsellor_proposal');
    await raw().application.update({ where: { id: first.id }, data: { status: 'withdrawn' } });
    const revived = await a().recordApplication(kevin, missionId, 'youth');
    expect(revived).toEqual({ id: first.id, status: 'sent', source: 'youth', created: true });
    const row = await raw().application.findUniqueOrThrow({ where: { id: first.id } });
    expect(row.status).toBe('sent');
    expect(row.source).toBe('youth');

    await raw().application.update({ where: { id: first.id }, data: { status: 'accepted' } });
    expect(await a().recordApplication(kevin, missionId, 'youth')).toEqual({ id: first.id, status: 'accepted', source: 'youth', created: false });
    expect((await raw().application.findUniqueOrThrow({ where: { id: first.id } })).status).toBe('accepted');
  });

  it('a proposal waits for the answer (proposed); the young person’s yes moves it to sent once, their no to declined once', async () => {
    const { kevin } = people.named;
    const yesMission = await freshMission(kevin);
    const proposed = await a().recordApplication(kevin, yesMission, 'counsellor_proposal');
    expect(proposed).toMatchObject({ status: 'proposed', source: 'counsellor_proposal', created: true });
    const at = new Date('2026-12-02T09:00:00Z');
    const [yes, yesAgain] = await Promise.all([a().recordApplication(kevin, yesMission, 'youth', at), a().recordApplication(kevin, yesMission, 'youth', at)]);
    expect([yes, yesAgain].filter((r) => r.answeredProposal)).toHaveLength(1);
    expect(await raw().application.findUniqueOrThrow({ where: { id: proposed.id } })).toMatchObject({ status: 'sent', source: 'counsellor_proposal', answeredAt: at });
    expect(await a().declineProposal(kevin, yesMission)).toEqual({ id: proposed.id, status: 'sent', declined: false });

    const noMission = await freshMission(kevin);
    const second = await a().recordApplication(kevin, noMission, 'counsellor_proposal');
    expect(await a().declineProposal(kevin, noMission, at)).toEqual({ id: second.id, status: 'declined', declined: true });
    expect(await a().declineProposal(kevin, noMission, at)).toEqual({ id: second.id, status: 'declined', declined: false });
    expect(await a().findApplicationStatus(kevin, noMission)).toBe('declined');
    // The counsellor proposing it again changes nothing; the young person changing their mind revives it as their own.
    expect(await a().recordApplication(kevin, noMission, 'counsellor_proposal')).toMatchObject({ status: 'declined', created: false });
    expect(await a().recordApplication(kevin, noMission, 'youth')).toMatchObject({ status: 'sent', source: 'youth', created: true });
    // No proposal, nothing to decline.
    expect(await a().declineProposal(kevin, await freshMission(kevin))).toBeNull();
  });

  it('two simultaneous recordApplication calls write one row and report created once', async () => {
    const { lea } = people.named;
    const missionId = await freshMission(lea);
    const results = await Promise.all([a().recordApplication(lea, missionId, 'youth'), a().recordApplication(lea, missionId, 'youth')]);
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(results.map((r) => r.id)).size).toBe(1);
    expect(await raw().application.count({ where: { youthId: lea, missionId } })).toBe(1);
  });

  it('recordApplication rejects bad ids and an unknown mission', async () => {
    await expectInvalid(a().recordApplication(0, openMissionIds[0]!, 'youth'), /youth id/);
    await expectInvalid(a().recordApplication(people.named.lea, -5, 'youth'), /mission id/);
    await expect(a().recordApplication(people.named.lea, 9_999_999, 'youth')).rejects.toThrow();
    expect(await raw().application.count({ where: { missionId: 9_999_999 } })).toBe(0);
  });

  it('listApplications returns the youth’s applications newest first, with the mission, at most 20', async () => {
    const { chloe } = people.named;
    for (let i = 0; i < 4; i++) await a().recordApplication(chloe, await freshMission(chloe), 'youth');
    // Spread the creation dates so the order is meaningful.
    const mine = await raw().application.findMany({ where: { youthId: chloe }, orderBy: { id: 'asc' } });
    for (const [i, app] of mine.entries()) {
      await raw().application.update({ where: { id: app.id }, data: { createdAt: new Date(db.now.getTime() - ((i * 7) % 5) * DAY - i * 60_000) } });
    }
    const rows = await raw().application.findMany({ where: { youthId: chloe }, include: { mission: true } });
    const expected = [...rows].sort((x, y) => y.createdAt.getTime() - x.createdAt.getTime());
    const list = await a().listApplications(chloe);
    expect(list.map((x) => x.id)).toEqual(expected.map((x) => x.id));
    expect(list[0]!.mission).toEqual({
      id: expected[0]!.mission.id,
      title: expected[0]!.mission.title,
      communeName: expected[0]!.mission.communeName,
      startDate: expected[0]!.mission.startDate,
      status: expected[0]!.mission.status,
    });
    expect((await a().listApplications(chloe, 2)).map((x) => x.id)).toEqual(expected.slice(0, 2).map((x) => x.id));
    expect(await a().countApplications(chloe)).toBe(rows.length);
    expect(rows.length).toBeGreaterThanOrEqual(4);

    for (let i = 0; i < 22; i++) await a().recordApplication(chloe, await freshMission(chloe), 'counsellor_proposal');
    expect(await a().countApplications(chloe)).toBe(rows.length + 22);
    expect(await a().listApplications(chloe, 100)).toHaveLength(20);
    // Another youth's list holds only their own applications.
    const yanisRows = await raw().application.findMany({ where: { youthId: people.named.yanis }, orderBy: [{ createdAt: 'desc' }] });
    expect((await a().listApplications(people.named.yanis)).map((x) => x.id)).toEqual(yanisRows.map((x) => x.id));
    expect(await a().countApplications(999_999)).toBe(0);
    await expectInvalid(a().listApplications(-1), /youth id/);
    await expectInvalid(a().countApplications(-1), /youth id/);
  });

  it('logInteraction stores a contact that then counts as the last contact', async () => {
    const { yanis } = people.named;
    const at = new Date(db.now.getTime() - 60_000);
    const res = await a().logInteraction({ youthId: yanis, counsellorId: people.counsellors.nadia, note: '  Appel : dispo lundi.  ', channel: 'phone', at });
    expect(res.at).toEqual(at);
    const row = await raw().interaction.findUniqueOrThrow({ where: { id: res.id } });
    expect(row).toMatchObject({ youthId: yanis, counsellorId: people.counsellors.nadia, note: 'Appel : dispo lundi.', channel: 'phone' });
    const rows = await db.store.caseload.youthWithoutContact({ counsellorId: people.counsellors.nadia }, noContactSince(db.now, 1), db.now);
    expect(rows.map((r) => r.id)).not.toContain(yanis);

    const bot = await a().logInteraction({ youthId: yanis, counsellorId: null, note: 'Demande via le bot', channel: 'bot' });
    expect((await raw().interaction.findUniqueOrThrow({ where: { id: bot.id } })).counsellorId).toBeNull();
    expect(Math.abs(bot.at.getTime() - Date.now())).toBeLessThan(60_000);
  });

  it('logInteraction rejects an empty or a 5,000-character note', async () => {
    const before = await raw().interaction.count();
    const base = { youthId: people.named.yanis, counsellorId: people.counsellors.nadia, channel: 'meeting' as const };
    await expectInvalid(a().logInteraction({ ...base, note: 'x'.repeat(5000) }), /note/);
    await expectInvalid(a().logInteraction({ ...base, note: '   ' }), /note/);
    await expectInvalid(a().logInteraction({ ...base, youthId: 0, note: 'ok' }), /youth id/);
    await expectInvalid(a().logInteraction({ ...base, counsellorId: -2, note: 'ok' }), /counsellor id/);
    expect(await raw().interaction.count()).toBe(before);
    // 2,000 characters is the limit, accepted.
    await a().logInteraction({ ...base, note: 'y'.repeat(2000) });
    expect(await raw().interaction.count()).toBe(before + 1);
  });

  it('upcomingAppointments returns at most 3 planned appointments from now, soonest first', async () => {
    const { ines } = people.named;
    const counsellorId = people.counsellors.claire;
    const mk = (days: number, status: 'planned' | 'cancelled' = 'planned') =>
      raw().appointment.create({ data: { youthId: ines, counsellorId, at: new Date(db.now.getTime() + days * DAY), place: 'ML', purpose: `+${days}`, status } });
    await mk(40);
    await mk(1);
    await mk(-1);
    await mk(3, 'cancelled');
    await mk(25);
    await mk(2);
    const all = await raw().appointment.findMany({ where: { youthId: ines } });
    const expected = all
      .filter((x) => x.status === 'planned' && x.at >= db.now)
      .sort((x, y) => x.at.getTime() - y.at.getTime())
      .slice(0, 3);
    const got = await a().upcomingAppointments(ines, db.now);
    expect(got.map((x) => x.id)).toEqual(expected.map((x) => x.id));
    expect(got).toHaveLength(3);
    expect(got[0]!.counsellor).toEqual({ firstName: 'Claire', lastName: 'Dubois' });
    expect(got[0]!.at).toEqual(new Date(db.now.getTime() + DAY));
    expect(await a().upcomingAppointments(ines, new Date(db.now.getTime() + 1000 * DAY))).toEqual([]);
  });

  it('recordRequest merges repeats of an open request of the same kind', async () => {
    const { lea } = people.named;
    await raw().youthRequest.deleteMany({ where: { youthId: lea } });
    const first = await a().recordRequest(lea, 'contact', 'Rappelez-moi svp');
    expect(first.created).toBe(true);
    expect(await a().recordRequest(lea, 'contact', 'Encore moi')).toEqual({ id: first.id, created: false });
    const other = await a().recordRequest(lea, 'appointment');
    expect(other.created).toBe(true);
    expect(other.id).not.toBe(first.id);
    const rows = await raw().youthRequest.findMany({ where: { youthId: lea }, orderBy: { id: 'asc' } });
    expect(rows.map((r) => [r.kind, r.message, r.status])).toEqual([
      ['contact', 'Rappelez-moi svp', 'open'],
      ['appointment', null, 'open'],
    ]);
    // Once handled, a new request opens a new row.
    await raw().youthRequest.update({ where: { id: first.id }, data: { status: 'handled' } });
    const again = await a().recordRequest(lea, 'contact');
    expect(again.created).toBe(true);
    expect(again.id).not.toBe(first.id);
    await expectInvalid(a().recordRequest(lea, 'contact', 'z'.repeat(2001)), /message/);
    await expectInvalid(a().recordRequest(0, 'contact'), /youth id/);
  });

  it('recordBarrier opens a barrier once per topic while it is open', async () => {
    const { yanis } = people.named;
    const openTopics = new Set(
      (await raw().barrier.findMany({ where: { youthId: yanis, status: { in: ['open', 'in_progress'] } } })).map((b) => b.topic as string),
    );
    const topic = (['housing', 'mobility', 'childcare', 'health', 'money', 'training'] as const).find((x) => !openTopics.has(x))!;
    const first = await a().recordBarrier(yanis, topic);
    expect(first.created).toBe(true);
    expect((await raw().barrier.findUniqueOrThrow({ where: { id: first.id } })).note).toBe('Signalé par le jeune via le bot.');
    expect(await a().recordBarrier(yanis, topic, 'encore')).toEqual({ id: first.id, created: false });
    await raw().barrier.update({ where: { id: first.id }, data: { status: 'in_progress' } });
    expect(await a().recordBarrier(yanis, topic)).toEqual({ id: first.id, created: false });
    await raw().barrier.update({ where: { id: first.id }, data: { status: 'resolved', resolvedAt: db.now } });
    const second = await a().recordBarrier(yanis, topic, 'Nouveau souci');
    expect(second.created).toBe(true);
    expect((await raw().barrier.findUniqueOrThrow({ where: { id: second.id } })).note).toBe('Nouveau souci');
    await expectInvalid(a().recordBarrier(yanis, 'food' as never), /topic/);
  });

  it('two simultaneous recordRequest calls of one kind open a single request (repeats are merged)', async () => {
    const { kevin } = people.named;
    for (let round = 0; round < 5; round++) {
      await raw().youthRequest.deleteMany({ where: { youthId: kevin } });
      const results = await Promise.all([a().recordRequest(kevin, 'appointment'), a().recordRequest(kevin, 'appointment')]);
      const open = await raw().youthRequest.count({ where: { youthId: kevin, kind: 'appointment', status: 'open' } });
      expect({ round, open, created: results.filter((r) => r.created).length }).toEqual({ round, open: 1, created: 1 });
    }
  });

  it('two simultaneous recordBarrier calls of one topic open a single barrier', async () => {
    const { kevin } = people.named;
    for (let round = 0; round < 5; round++) {
      await raw().barrier.deleteMany({ where: { youthId: kevin, topic: 'childcare' } });
      const results = await Promise.all([a().recordBarrier(kevin, 'childcare'), a().recordBarrier(kevin, 'childcare')]);
      const open = await raw().barrier.count({ where: { youthId: kevin, topic: 'childcare', status: { in: ['open', 'in_progress'] } } });
      expect({ round, open, created: results.filter((r) => r.created).length }).toEqual({ round, open: 1, created: 1 });
    }
  });

  it('eligibilityFacts reads birth date and placements from the file', async () => {
    for (const id of Object.values(people.named)) {
      const facts = await a().eligibilityFacts(id, db.now);
      const y = await raw().youth.findUniqueOrThrow({ where: { id }, include: { placements: true } });
      expect(facts.birthDate).toEqual(y.birthDate);
      expect(facts.placements).toHaveLength(y.placements.length);
      const last = y.placements.length ? new Date(Math.max(...y.placements.map((p) => p.endDate.getTime()))) : null;
      expect(facts.lastPlacementEnd).toEqual(last);
      expect(facts.placements.reduce((n, p) => n + p.hours, 0)).toBe(y.placements.reduce((n, p) => n + p.hours, 0));
    }
    // Chloé Petit is in mission (ends in 2 days); Léa Martin's ended 10 days ago; Yanis Haddad was never placed.
    const chloe = await a().eligibilityFacts(people.named.chloe, db.now);
    expect(chloe.onMissionNow).toBe(true);
    expect(chloe.lastPlacementEnd!.getTime()).toBe(startOfDay(db.now).getTime() + 2 * DAY);
    const lea = await a().eligibilityFacts(people.named.lea, db.now);
    expect(lea.onMissionNow).toBe(false);
    expect(lea.lastPlacementEnd!.getTime()).toBe(startOfDay(db.now).getTime() - 10 * DAY);
    expect(await a().eligibilityFacts(people.named.yanis, db.now)).toMatchObject({ placements: [], lastPlacementEnd: null, onMissionNow: false });
    expect(await a().eligibilityFacts(999_999, db.now)).toEqual({ birthDate: null, placements: [], lastPlacementEnd: null, onMissionNow: false });
    await expectInvalid(a().eligibilityFacts(0, db.now), /youth id/);
  });
});
