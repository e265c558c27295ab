import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseFactories, type TestDatabase } from '../../helpers/db.js';
import { testAssistant } from '../../helpers/conversation.js';
import type { Assistant } from '../../../src/core/types.js';
import { collectAllPages, counsellor, counsellorRow, factsOf, factValue, independentCaseload, listedYouthIds, sorted } from './helpers.js';

describe.each(databaseFactories)('caseload overview and lists (%s)', (_kind, open) => {
  let db: TestDatabase;
  let assistant: Assistant;
  beforeAll(async () => {
    db = await open();
    assistant = testAssistant(db);
  });
  afterAll(async () => db.close());

  it('overview: every count equals an independent computation, and each list count opens its list', async () => {
    const sophie = await counsellorRow(db, 'sophie');
    const expected = await independentCaseload(db, { counsellorId: sophie.id });
    const c = counsellor(assistant, 'sophie');
    await c.say('mon portefeuille');
    expect(c.last?.intent).toBe('caseload_overview');
    expect(factValue(c.reply, 'Jeunes suivis')).toMatch(new RegExp(`^${expected.followed.length}\\b`));
    expect(factValue(c.reply, 'En mission aujourd’hui')).toBe(String(expected.inMissionNow));
    expect(factValue(c.reply, 'Sans mission depuis 30 jours ou plus')).toBe(String(expected.withoutMission(30).length));
    expect(factValue(c.reply, 'Sans contact depuis 30 jours ou plus')).toBe(String(expected.withoutContact(30).length));
    expect(factValue(c.reply, 'Fin de mission dans les 7 jours')).toBe(String(expected.endingSoon(7).length));
    expect(factValue(c.reply, '« Ça m’intéresse » en attente')).toBe(String(expected.pendingApplications));
    expect(factValue(c.reply, 'Demandes ouvertes (rappel, rendez-vous, frein)')).toBe(String(expected.openRequests));
    expect(factValue(c.reply, 'Freins ouverts : logement') ?? '0').toBe(String(expected.barriersByTopic('housing')));
    const withAction = factsOf(c.reply).filter((f) => f.action);
    expect(withAction.length).toBeGreaterThanOrEqual(3);

    await c.press('Sans mission depuis 30 jours ou plus');
    expect(sorted(listedYouthIds(c.reply))).toEqual(expected.withoutMission(30));
    const audit = await db.connection.db.auditEvent.findMany({ where: { actorId: String(sophie.id), action: 'list_caseload' } });
    expect(audit.at(-1)?.detail).toMatchObject({ list: 'without_mission', count: expected.withoutMission(30).length });
  });

  it('the in-mission, pending-interest and open-request counts open exactly their youth', async () => {
    const sophie = await counsellorRow(db, 'sophie');
    const expected = await independentCaseload(db, { counsellorId: sophie.id });
    const startOfDay = new Date(db.now);
    startOfDay.setUTCHours(0, 0, 0, 0);
    const ids = (f: (y: (typeof expected.followed)[number]) => boolean) => expected.followed.filter(f).map((y) => y.id).sort((a, b) => a - b);
    const c = counsellor(assistant, 'sophie');
    for (const [label, want] of [
      ['En mission aujourd’hui', ids((y) => y.placements.some((p) => p.startDate <= db.now && p.endDate >= startOfDay))],
      ['« Ça m’intéresse » en attente', ids((y) => y.applications.some((a) => a.status === 'sent' && a.source === 'youth'))],
      ['Demandes ouvertes', ids((y) => y.requests.some((r) => r.status === 'open'))],
    ] as const) {
      await c.say('mon portefeuille');
      expect(want.length).toBeGreaterThan(0);
      await c.press(label);
      expect(sorted(listedYouthIds(c.reply))).toEqual(want);
    }
  });

  it('without mission: exactly the matching youth, never-placed included and flagged', async () => {
    const sophie = await counsellorRow(db, 'sophie');
    const expected = await independentCaseload(db, { counsellorId: sophie.id });
    const c = counsellor(assistant, 'sophie');
    await c.say('jeunes sans mission depuis 45 jours');
    const ids = sorted(listedYouthIds(c.reply));
    expect(ids).toEqual(expected.withoutMission(45));
    const neverPlaced = expected.followed.filter((y) => y.placements.length === 0).map((y) => y.id);
    expect(neverPlaced.length).toBeGreaterThan(0);
    const cards = c.reply.blocks.flatMap((b) => (b.type === 'cards' ? b.cards : []));
    for (const card of cards) {
      const id = Number(card.buttons[0]!.action.slice(3));
      // The list's own column says it; the status stays the status.
      expect(card.fields.find((f) => f.label === 'Dernière fin de mission')?.value === 'jamais placé·e').toBe(neverPlaced.includes(id));
      expect(card.fields.map((f) => f.label)).toEqual(['Dernière fin de mission', 'Dernier contact', 'Prochain rendez-vous']);
      expect(card.subtitle).not.toMatch(/jamais/);
    }
  });

  it('without contact, ending soon and barrier lists match independent queries', async () => {
    const sophie = await counsellorRow(db, 'sophie');
    const expected = await independentCaseload(db, { counsellorId: sophie.id });
    const c = counsellor(assistant, 'sophie');
    await c.say('sans contact depuis 3 semaines');
    expect(sorted(listedYouthIds(c.reply))).toEqual(expected.withoutContact(21));
    await c.say('qui finit sa mission dans 10 jours');
    expect(sorted(listedYouthIds(c.reply))).toEqual(expected.endingSoon(10));
    await c.say('frein logement');
    expect(sorted(listedYouthIds(c.reply))).toEqual(expected.withBarrier('housing'));
    await c.say('jeunes avec un frein');
    expect(sorted(listedYouthIds(c.reply))).toEqual(expected.withBarrier());
  });

  it('a manager sees the whole Mission locale, 10 per page with "voir plus", and only it', async () => {
    const marc = await counsellorRow(db, 'marc');
    const expected = await independentCaseload(db, { missionLocaleId: marc.missionLocaleId });
    const all = expected.withoutContact(1);
    expect(all.length).toBeGreaterThan(10);
    const c = counsellor(assistant, 'marc');
    await c.say('jeunes sans contact depuis 1 jour');
    expect(listedYouthIds(c.reply)).toHaveLength(10);
    const { ids, pages } = await collectAllPages(c);
    expect(pages).toBe(Math.ceil(all.length / 10));
    expect(sorted(ids)).toEqual(all);
    const others = await db.connection.db.youth.findMany({ where: { missionLocaleId: { not: marc.missionLocaleId } }, select: { id: true } });
    expect(ids.some((id) => others.some((o) => o.id === id))).toBe(false);
    const audits = await db.connection.db.auditEvent.count({ where: { actorId: String(marc.id), action: 'list_caseload' } });
    expect(audits).toBe(pages);
  });

  it('typed "voir plus" pages too, and an old "voir plus" without a list asks to start again', async () => {
    const c = counsellor(assistant, 'thomas');
    await c.say('jeunes sans contact depuis 1 jour');
    const first = listedYouthIds(c.reply);
    await c.say('voir plus');
    const second = listedYouthIds(c.reply);
    expect(second.length).toBeGreaterThan(0);
    expect(second.some((id) => first.includes(id))).toBe(false);
    const fresh = counsellor(assistant, 'claire');
    await fresh.sendAction('lp:1');
    expect(listedYouthIds(fresh.reply)).toEqual([]);
    expect(await fresh.send({ action: 'lp:1' })).toMatch(/plus disponible/);
  });
});
