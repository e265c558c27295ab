import { parisDayStart } from '../../../src/shared/time.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqliteTestDatabase, type TestDatabase } from '../../helpers/db.js';
import { testAssistant } from '../../helpers/conversation.js';
import { hashLinkCode } from '../../../src/core/linking.js';
import { renderCounsellorNotification } from '../../../src/core/counsellor/notifications.js';
import { renderPlainText } from '../../../src/core/plain-text.js';
import type { Assistant } from '../../../src/core/types.js';
import { counsellor, counsellorRow, factValue, listedYouthIds, youthId } from './helpers.js';

let db: TestDatabase;
let assistant: Assistant;
const DAY = 86_400_000;

beforeAll(async () => {
  db = await sqliteTestDatabase();
  assistant = testAssistant(db);
});
afterAll(async () => db.close());

async function openMissionId(skip = 0): Promise<number> {
  const m = await db.connection.db.mission.findMany({ where: { status: 'open', endDate: { gt: db.now } }, orderBy: { id: 'asc' }, skip, take: 1 });
  return m[0]!.id;
}

describe('help and small talk', () => {
  it('greets a counsellor by first name with the menu as buttons', async () => {
    const c = counsellor(assistant, 'sophie');
    expect(await c.say('bonjour')).toMatch(/Bonjour Sophie/);
    expect(c.buttonLabels()).toEqual(expect.arrayContaining(['Mon portefeuille', 'Sans mission', 'Chiffres du programme']));
    expect(await c.say('quelle heure est-il ?')).toMatch(/ne sais pas faire/);
    expect(c.buttonLabels()).toContain('Mon portefeuille');
    await c.press('Mon portefeuille');
    expect(c.last?.intent).toBe('action:intent');
    expect(factValue(c.reply, 'Jeunes suivis')).toBeDefined();
  });

  it('a youth-side button pressed by a counsellor runs nothing of the youth journeys', async () => {
    const c = counsellor(assistant, 'sophie');
    expect(await c.sendAction(`ap:${await openMissionId()}`)).toMatch(/pas disponible ici/);
  });
});

describe('youth summary', () => {
  it('shows the file from the store, audits the read and remembers the youth', async () => {
    const sophie = await counsellorRow(db, 'sophie');
    const lea = await db.connection.db.youth.findFirstOrThrow({
      where: { firstName: 'Léa', lastName: 'Martin' },
      include: { placements: true, applications: true, barriers: true },
    });
    const c = counsellor(assistant, 'sophie');
    const text = await c.say('fiche de lea martn');
    expect(text).toContain('Fiche de Léa Martin');
    expect(factValue(c.reply, 'Statut')).toBe('actif');
    expect(factValue(c.reply, 'Conseiller·ère')).toMatch(/^Sophie Durand/);
    const hours = lea.placements.reduce((s, p) => s + p.hours, 0);
    expect(factValue(c.reply, 'Missions d’intérim')).toBe(`${lea.placements.length} mission${lea.placements.length > 1 ? 's' : ''}, ${new Intl.NumberFormat('fr-FR').format(hours)} h`);
    expect(factValue(c.reply, 'Candidatures')).toBe(String(lea.applications.length));
    expect(factValue(c.reply, 'Compte Telegram')).toMatch(/non relié/);
    expect(c.buttonLabels()).toEqual(['Proposer une mission', 'Créer un code de liaison', 'Noter un contact', 'Exporter ses données']);
    const audit = await db.connection.db.auditEvent.findFirstOrThrow({ where: { action: 'read_youth_file', actorId: String(sophie.id) }, orderBy: { id: 'desc' } });
    expect(audit.youthId).toBe(lea.id);
    const state = (await db.store.conversation.loadConversationState('teams', c.channelUserId)) as { focusYouthId?: number };
    expect(state.focusYouthId).toBe(lea.id);
  });

  it('asks which one when several youth match, with a button each', async () => {
    const sophie = await counsellorRow(db, 'sophie');
    const original = await youthId(db, 'Léa', 'Martin');
    const twin = await db.connection.db.youth.create({
      data: {
        firstName: 'Léa', lastName: 'Martin', searchName: 'lea martin', communeCode: '69123', postcode: '69001',
        missionLocaleId: sophie.missionLocaleId, counsellorId: sophie.id, entryDate: new Date(db.now.getTime() - 10 * DAY),
      },
    });
    try {
      const c = counsellor(assistant, 'sophie');
      expect(await c.say('fiche de Léa Martin')).toMatch(/Plusieurs jeunes correspondent/);
      const choices = c.reply.blocks.flatMap((b) => (b.type === 'buttons' ? b.buttons : []));
      expect(choices.map((b) => b.action).sort()).toEqual([`ys:${original}`, `ys:${twin.id}`].sort());
      await c.sendAction(`ys:${twin.id}`);
      expect(factValue(c.reply, 'Missions d’intérim')).toMatch(/jamais placé/);
    } finally {
      await db.connection.db.youth.delete({ where: { id: twin.id } });
    }
  });

  it('"la 2" after a list opens the second youth of that list', async () => {
    const c = counsellor(assistant, 'sophie');
    await c.say('jeunes sans contact depuis 1 jour');
    const second = listedYouthIds(c.reply)[1]!;
    const y = await db.connection.db.youth.findUniqueOrThrow({ where: { id: second } });
    expect(await c.say('la 2')).toContain(`Fiche de ${y.firstName} ${y.lastName}`);
  });
});

describe('link code', () => {
  it('issues a code for a named youth: shown once, only its hash stored, with the deep link', async () => {
    const kevin = await youthId(db, 'Kevin', 'Bernard');
    const c = counsellor(assistant, 'sophie');
    expect(await c.say('code de liaison pour Kevin Bernard')).toMatch(/Créer un code de liaison Telegram pour Kevin Bernard \?/);
    expect(await db.connection.db.linkCode.count({ where: { youthId: kevin, createdAt: { gte: db.now } } })).toBe(0);
    const text = await c.press('✅ Créer le code pour Kevin Bernard');
    const code = /Code de liaison pour Kevin Bernard : ([2-9A-Z]{8})/.exec(text)?.[1];
    expect(code).toBeDefined();
    const row = await db.connection.db.linkCode.findUniqueOrThrow({ where: { codeHash: hashLinkCode(code!) } });
    expect(row.youthId).toBe(kevin);
    expect(row.expiresAt.getTime()).toBe(db.now.getTime() + 72 * 3_600_000);
    const links = c.reply.blocks.flatMap((b) => (b.type === 'text' ? b.segments : [])).filter((s) => typeof s === 'object' && 'url' in s);
    expect(links).toEqual([expect.objectContaining({ url: `https://t.me/MissionJeunesBot?start=${code}` })]);
    expect(await db.connection.db.auditEvent.count({ where: { action: 'create_link_code', youthId: kevin } })).toBe(1);
  });

  it('uses the youth in focus when no name is given', async () => {
    const c = counsellor(assistant, 'sophie');
    await c.say('fiche de Léa Martin');
    await c.press('Créer un code de liaison');
    await c.press('✅ Créer le code pour Léa Martin');
    expect(renderPlainText(c.reply).text).toMatch(/Code de liaison pour Léa Martin/);
  });
});

describe('propose a mission', () => {
  it('to a linked youth: records a counsellor proposal and queues the Telegram message', async () => {
    const lea = await youthId(db, 'Léa', 'Martin');
    const sophie = await counsellorRow(db, 'sophie');
    await db.connection.db.youth.update({ where: { id: lea }, data: { telegramUserId: '5550001', telegramChatId: '5550001' } });
    const mission = await openMissionId(3);
    const c = counsellor(assistant, 'sophie');
    expect(await c.say(`Propose à Léa Martin l'offre numéro ${mission}`)).toMatch(new RegExp(`Proposer la mission .*n° ${mission}.* à Léa Martin \\?`));
    expect(await db.connection.db.application.count({ where: { youthId: lea, missionId: mission } })).toBe(0);
    const text = await c.say('oui');
    expect(text).toMatch(/Mission proposée à Léa Martin/);
    const app = await db.connection.db.application.findUniqueOrThrow({ where: { youthId_missionId: { youthId: lea, missionId: mission } } });
    expect(app.source).toBe('counsellor_proposal');
    const n = await db.connection.db.notification.findFirstOrThrow({ where: { kind: 'mission_proposal', youthId: lea }, orderBy: { id: 'desc' } });
    expect(n.payload).toMatchObject({ kind: 'mission_proposal', youthId: lea, missionId: mission, counsellorId: sophie.id });
    expect(await db.connection.db.auditEvent.count({ where: { action: 'propose_mission', youthId: lea } })).toBe(1);
    // The same proposal twice is not sent twice.
    await c.sendAction(`pm:${lea}:${mission}`);
    expect(await c.press('✅ Proposer à Léa Martin')).toMatch(/a déjà cette mission/);
    expect(await db.connection.db.notification.count({ where: { kind: 'mission_proposal', youthId: lea } })).toBe(1);
  });

  it('to a youth not linked to Telegram: recorded, nobody notified, a link code suggested', async () => {
    const kevin = await youthId(db, 'Kevin', 'Bernard');
    const mission = await openMissionId(4);
    const c = counsellor(assistant, 'sophie');
    await c.sendAction(`pm:${kevin}:${mission}`);
    const text = await c.press('✅ Proposer à Kevin Bernard');
    expect(text).toMatch(/n’est pas relié/);
    expect(text).not.toMatch(/prévenez-le|il ne sera/);
    expect(c.buttonLabels()).toContain('Créer un code de liaison');
    expect(await db.connection.db.notification.count({ where: { kind: 'mission_proposal', youthId: kevin } })).toBe(0);
  });

  it('refuses a mission that is not open, or asks for the number when missing', async () => {
    const kevin = await youthId(db, 'Kevin', 'Bernard');
    const filled = await db.connection.db.mission.findFirstOrThrow({ where: { status: 'filled' } });
    const c = counsellor(assistant, 'sophie');
    expect(await c.sendAction(`pm:${kevin}:${filled.id}`)).toMatch(/n’est plus ouverte/);
    expect(await db.connection.db.application.count({ where: { youthId: kevin, missionId: filled.id } })).toBe(0);
    expect(await c.say('Propose cette mission à Kevin Bernard')).toMatch(/Quelle mission/);
  });
});

describe('log a contact', () => {
  it('with the note in the message', async () => {
    const kevin = await youthId(db, 'Kevin', 'Bernard');
    const sophie = await counsellorRow(db, 'sophie');
    const c = counsellor(assistant, 'sophie');
    expect(await c.say('note pour Kevin Bernard : appelé, dispo lundi')).toMatch(/Enregistrer pour Kevin Bernard la note de contact « appelé, dispo lundi » \?/);
    expect(await c.press('✅ Enregistrer la note')).toMatch(/Contact noté pour Kevin Bernard \(appel/);
    const row = await db.connection.db.interaction.findFirstOrThrow({ where: { youthId: kevin }, orderBy: { id: 'desc' } });
    expect(row).toMatchObject({ note: 'appelé, dispo lundi', channel: 'phone', counsellorId: sophie.id });
    expect(await db.connection.db.auditEvent.count({ where: { action: 'log_contact', youthId: kevin } })).toBe(1);
  });

  it('asks for the note and takes the next message as the note', async () => {
    const lea = await youthId(db, 'Léa', 'Martin');
    const c = counsellor(assistant, 'sophie');
    expect(await c.say('noter un contact avec Léa Martin')).toMatch(/Quelle note/);
    expect(await c.say('Relance faite, CV à jour')).toMatch(/Enregistrer pour Léa Martin/);
    expect(await c.say('ok')).toMatch(/Contact noté pour Léa Martin \(message/);
    const row = await db.connection.db.interaction.findFirstOrThrow({ where: { youthId: lea }, orderBy: { id: 'desc' } });
    expect(row.note).toBe('Relance faite, CV à jour');
    // The question is answered: the next message is understood normally.
    await c.say('mon portefeuille');
    expect(c.last?.intent).toBe('caseload_overview');
  });

  it('a button press abandons the question, and "annuler" cancels it', async () => {
    const lea = await youthId(db, 'Léa', 'Martin');
    const before = await db.connection.db.interaction.count({ where: { youthId: lea } });
    const c = counsellor(assistant, 'sophie');
    await c.sendAction(`lg:${lea}`);
    expect(await c.say('annuler')).toMatch(/je n’enregistre rien/);
    await c.sendAction(`lg:${lea}`);
    await c.sendAction('i:caseload_overview');
    await c.say('fins de mission cette semaine');
    expect(c.last?.intent).toBe('missions_ending_soon');
    expect(await db.connection.db.interaction.count({ where: { youthId: lea } })).toBe(before);
  });
});

describe('programme figures and export', () => {
  it('shows the Mission locale and overall figures, labelled as this store\'s demo data', async () => {
    const sophie = await counsellorRow(db, 'sophie');
    const c = counsellor(assistant, 'sophie');
    const text = await c.say('chiffres du programme');
    expect(text).toMatch(/données de démonstration/);
    expect(text).toMatch(/pas les chiffres officiels/);
    const from = parisDayStart(db.now, -365);
    const placements = await db.connection.db.placement.findMany({ where: { youth: { missionLocaleId: sophie.missionLocaleId } } });
    const recent = placements.filter((p) => p.startDate >= from && p.startDate <= db.now);
    const heading = c.reply.blocks.find((b) => b.type === 'facts' && b.heading !== 'Toutes les Missions locales' && b.note?.startsWith('12 derniers mois (du '));
    expect(heading && heading.type === 'facts' ? heading.facts.find((f) => f.label.startsWith('Missions d’intérim'))?.value : undefined).toBe(String(recent.length));
    const all = c.reply.blocks.find((b) => b.type === 'facts' && b.heading === 'Toutes les Missions locales' && b.note?.startsWith('depuis le début (toutes les données jusqu’au '));
    // Placements starting after today are not counted yet.
    const total = (await db.connection.db.placement.findMany()).filter((p) => p.startDate <= db.now).length;
    expect(all && all.type === 'facts' ? all.facts.find((f) => f.label.startsWith('Missions d’intérim'))?.value : undefined).toBe(new Intl.NumberFormat('fr-FR').format(total));
  });

  it('exports the youth in focus as JSON, audited', async () => {
    const kevin = await youthId(db, 'Kevin', 'Bernard');
    const c = counsellor(assistant, 'sophie');
    await c.say('fiche de Kevin Bernard');
    const text = await c.press('Exporter ses données');
    const json = JSON.parse(text.slice(text.indexOf('{')));
    expect(json).toMatchObject({ id: kevin, firstName: 'Kevin', lastName: 'Bernard' });
    expect(await db.connection.db.auditEvent.count({ where: { action: 'export_youth_data', youthId: kevin } })).toBe(1);
  });
});

describe('counsellor notifications', () => {
  it('renders "ça m’intéresse" and requests from the store, and nothing once the youth left the caseload', async () => {
    const sophie = await counsellorRow(db, 'sophie');
    const kevin = await youthId(db, 'Kevin', 'Bernard');
    const mission = await db.connection.db.mission.findUniqueOrThrow({ where: { id: await openMissionId(7) } });
    const interested = await renderCounsellorNotification(db.store, { kind: 'youth_interested', counsellorId: sophie.id, youthId: kevin, missionId: mission.id, applicationId: 1 });
    const text = renderPlainText(interested!).text;
    expect(text).toContain('Kevin Bernard');
    expect(text).toContain(mission.title);
    expect(text).toContain(mission.communeName);
    expect(renderPlainText(interested!).actions).toEqual([`ys:${kevin}`]);
    const request = await renderCounsellorNotification(db.store, { kind: 'youth_request', counsellorId: sophie.id, youthId: kevin, requestId: 1, requestKind: 'appointment' });
    expect(renderPlainText(request!).text).toMatch(/Kevin Bernard demande un rendez-vous/);
    const julien = await counsellorRow(db, 'julien');
    expect(await renderCounsellorNotification(db.store, { kind: 'youth_interested', counsellorId: julien.id, youthId: kevin, missionId: mission.id, applicationId: 1 })).toBeNull();
  });
});
