import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseFactories, type TestDatabase } from '../../helpers/db.js';
import { testAssistant } from '../../helpers/conversation.js';
import type { Assistant } from '../../../src/core/types.js';
import { allActions, counsellor, counsellorRow, factsOf, listedYouthIds, youthId } from './helpers.js';

describe.each(databaseFactories)('counsellor authorization (%s)', (_kind, open) => {
  let db: TestDatabase;
  let assistant: Assistant;
  let lea: number;
  let openMission: number;
  beforeAll(async () => {
    db = await open();
    assistant = testAssistant(db);
    lea = await youthId(db, 'Léa', 'Martin');
    openMission = (await db.connection.db.mission.findFirstOrThrow({ where: { status: 'open', endDate: { gt: db.now } }, orderBy: { id: 'asc' } })).id;
  });
  afterAll(async () => db.close());

  /** Nothing of Léa's file may appear: no facts, no id in a button, not her phone or notes. */
  async function expectNothingOfLea(reply: Parameters<typeof factsOf>[0], text: string) {
    const file = await db.connection.db.youth.findUniqueOrThrow({ where: { id: lea }, include: { interactions: true } });
    expect(factsOf(reply)).toEqual([]);
    expect(allActions(reply).some((a) => a.includes(String(lea)))).toBe(false);
    expect(text).not.toContain(file.phone!);
    for (const i of file.interactions) if (i.note) expect(text).not.toContain(i.note);
  }

  it('another Mission locale\'s counsellor asking for Léa Martin by name finds nobody', async () => {
    const c = counsellor(assistant, 'julien');
    const text = await c.say('fiche de Léa Martin');
    expect(text).toMatch(/aucun jeune nommé/);
    await expectNothingOfLea(c.reply, text);
  });

  it('a homonym in another caseload is never offered: each counsellor gets their own Lucas Dupont', async () => {
    const sophie = await counsellorRow(db, 'sophie');
    const julien = await counsellorRow(db, 'julien');
    const mine = await youthId(db, 'Lucas', 'Dupont', julien.id);
    const theirs = await youthId(db, 'Lucas', 'Dupont', sophie.id);
    const c = counsellor(assistant, 'julien');
    await c.say('fiche de Lucas Dupont');
    expect(factsOf(c.reply).length).toBeGreaterThan(0);
    const audit = await db.connection.db.auditEvent.findFirstOrThrow({ where: { actorId: String(julien.id), action: 'read_youth_file' }, orderBy: { id: 'desc' } });
    expect(audit.youthId).toBe(mine);
    expect(allActions(c.reply).some((a) => a.endsWith(`:${theirs}`))).toBe(false);
  });

  it.each([
    ['file', (id: number) => `ys:${id}`],
    ['link code', (id: number) => `lc:${id}`],
    ['log contact', (id: number) => `lg:${id}`],
    ['export', (id: number) => `ex:${id}`],
    ['propose a mission', (id: number) => `pf:${id}`],
  ])('a forged %s button with another counsellor\'s youth id gets "introuvable" and no data', async (_what, forge) => {
    const c = counsellor(assistant, 'julien');
    const codesBefore = await db.connection.db.linkCode.count({ where: { youthId: lea } });
    const text = await c.sendAction(forge(lea));
    expect(text).toMatch(/introuvable dans votre portefeuille/);
    await expectNothingOfLea(c.reply, text);
    expect(await db.connection.db.linkCode.count({ where: { youthId: lea } })).toBe(codesBefore);
    const state = await db.store.conversation.loadConversationState('teams', c.channelUserId);
    expect(JSON.stringify(state ?? {})).not.toContain(String(lea));
  });

  it('a forged proposal writes nothing and notifies nobody', async () => {
    const c = counsellor(assistant, 'nadia');
    const [apps, notes] = [await db.connection.db.application.count(), await db.connection.db.notification.count()];
    const text = await c.sendAction(`pm:${lea}:${openMission}`);
    expect(text).toMatch(/introuvable dans votre portefeuille/);
    expect(await db.connection.db.application.count()).toBe(apps);
    expect(await db.connection.db.notification.count()).toBe(notes);
  });

  it('a stale button (youth reassigned since) shows nothing any more', async () => {
    const c = counsellor(assistant, 'claire');
    const claire = await counsellorRow(db, 'claire');
    const thomas = await counsellorRow(db, 'thomas');
    const ines = await youthId(db, 'Inès', 'Moreau');
    await c.say('fiche de Inès Moreau');
    const button = c.actionOf('Noter un contact')!;
    expect(button).toBe(`lg:${ines}`);
    await db.connection.db.youth.update({ where: { id: ines }, data: { counsellorId: thomas.id } });
    try {
      expect(await c.sendAction(`ys:${ines}`)).toMatch(/introuvable/);
      expect(await c.sendAction(button)).toMatch(/introuvable/);
      // The focus kept from before does not export either.
      expect(await c.say('exporter ses données')).toMatch(/introuvable/);
      expect(await db.connection.db.auditEvent.count({ where: { actorId: String(claire.id), action: 'export_youth_data' } })).toBe(0);
    } finally {
      await db.connection.db.youth.update({ where: { id: ines }, data: { counsellorId: claire.id } });
    }
  });

  it('a manager sees their Mission locale (a colleague\'s youth included) but not another one', async () => {
    const c = counsellor(assistant, 'marc');
    await c.say('fiche de Léa Martin');
    expect(factsOf(c.reply).find((f) => f.label === 'Conseiller·ère')?.value).toMatch(/Sophie Durand/);
    expect(await c.say('fiche de Yanis Haddad')).toMatch(/aucun jeune nommé/);
    const yanis = await youthId(db, 'Yanis', 'Haddad');
    expect(await c.sendAction(`ys:${yanis}`)).toMatch(/introuvable/);
    await c.say('frein logement');
    const marc = await counsellorRow(db, 'marc');
    const ids = listedYouthIds(c.reply);
    const foreign = await db.connection.db.youth.count({ where: { id: { in: ids }, missionLocaleId: { not: marc.missionLocaleId } } });
    expect(foreign).toBe(0);
  });

  it('writes audit rows for what it shows', async () => {
    const sophie = await counsellorRow(db, 'sophie');
    const c = counsellor(assistant, 'sophie');
    await c.say('fiche de Léa Martin');
    await c.say('sans contact depuis 30 jours');
    const rows = await db.connection.db.auditEvent.findMany({ where: { actorType: 'counsellor', actorId: String(sophie.id) }, orderBy: { id: 'asc' } });
    expect(rows.map((r) => r.action)).toEqual(expect.arrayContaining(['read_youth_file', 'list_caseload']));
    expect(rows.find((r) => r.action === 'read_youth_file')?.youthId).toBe(lea);
    expect(rows.every((r) => r.channel === 'teams')).toBe(true);
  });
});
