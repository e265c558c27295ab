import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { importMissions } from '../../src/import/missions.js';
import { readTable } from '../../src/import/read.js';
import { parisHour, parisTimeOn } from '../../src/shared/time.js';
import { sqliteTestDatabase, type TestDatabase } from '../helpers/db.js';
import { runScript } from '../helpers/process.js';
import { linkCodeFor, startTelegramApp } from '../telegram/helpers/app.js';
import { botMessages, startEmulator, Youth, type BotMessage } from '../telegram/helpers/emulator.js';

/**
 * Mission alerts end to end: a young person linked on Telegram (the telegram-test-api emulator, the real service)
 * saves an alert after a search; a mission feed is imported (src/import); `npm run jobs -- --once --at …` (the real
 * script, as cron runs it) matches, queues and sends one grouped message; quiet hours hold it until 08:00; "stop"
 * and "supprimer mes données" stop what was already queued.
 */
const TOKEN = '5002002:ALERTS-test';
const LEA_CHAT = 5_002_001;
const HOUR = 3_600_000;

let db: TestDatabase;
let emulator: Awaited<ReturnType<typeof startEmulator>>;
let app: App;
let lea: Youth;
let leaId: number;
let agencyId: number;
/** A time after both the seed's clock and the real one: imports and runs happen after the alert was saved. */
let t0: Date;

const visible = (m: BotMessage | undefined) => (m?.text ?? '').replace(/<[^>]+>/g, '').replace(/&amp;/g, '&');
const leaMessages = () => botMessages(emulator.server, TOKEN, LEA_CHAT);

const HEADER = 'Référence;Intitulé;Secteur;Code postal;Commune;Date début;Date fin;Heures hebdo;Taux horaire brut';
const ddmmyyyy = (d: Date) => `${String(d.getUTCDate()).padStart(2, '0')}/${String(d.getUTCMonth() + 1).padStart(2, '0')}/${d.getUTCFullYear()}`;

/** Imports a feed of (reference, title, sector, postcode, commune) rows, published at `now`. */
async function importFeed(rows: [string, string, string, string, string][], now: Date) {
  const start = ddmmyyyy(new Date(now.getTime() + 20 * 24 * HOUR));
  const end = ddmmyyyy(new Date(now.getTime() + 60 * 24 * HOUR));
  const csv = [HEADER, ...rows.map(([ref, title, sector, cp, commune]) => `${ref};${title};${sector};${cp};${commune};${start};${end};35;12,50`)].join('\n');
  const report = await importMissions(db.store, readTable(Buffer.from(csv, 'utf8')), { agencyId, now, actor: { id: 'cli:test' }, fileHash: 'a'.repeat(64) });
  expect(report.rejections).toEqual([]);
}

/** `npm run jobs -- --once --at <at>` against the emulator; returns the script's summary line. */
async function jobs(at: Date) {
  const run = await runScript('scripts/jobs.ts', ['--once', '--at', at.toISOString()], { DATABASE_URL: db.url, TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: emulator.apiRoot, LOG_LEVEL: 'silent' });
  expect(run.code, run.stderr).toBe(0);
  return JSON.parse(run.stdout.trim().split('\n').pop()!) as { ran: { name: string; result: Record<string, number> }[]; delivered: Record<string, number> };
}

beforeAll(async () => {
  db = await sqliteTestDatabase();
  emulator = await startEmulator();
  ({ app } = await startTelegramApp(db, { TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: emulator.apiRoot, TELEGRAM_MODE: 'polling' }));
  lea = new Youth(emulator.server, emulator.server.getClient(TOKEN, { userId: LEA_CHAT, chatId: LEA_CHAT, firstName: 'Léa' }), TOKEN, LEA_CHAT);
  leaId = (await db.connection.db.youth.findFirstOrThrow({ where: { firstName: 'Léa', lastName: 'Martin' }, select: { id: true } })).id;
  agencyId = (await db.connection.db.agency.findFirstOrThrow({ where: { name: 'Rhône Intérim Part-Dieu' } })).id;
  // Only alerts in this chat: the demo's appointment reminders would also reach Léa once linked.
  await db.connection.db.appointment.updateMany({ where: { youthId: leaId }, data: { status: 'cancelled' } });
  t0 = new Date(Math.max(Date.now(), db.now.getTime()) + 60_000);
}, 60_000);

afterAll(async () => {
  await app?.stop();
  await emulator?.stop();
  await db?.close();
});

describe('mission alerts on Telegram', () => {
  it('a linked young person saves an alert with "🔔 Préviens-moi" after "missions en logistique à Lyon"', async () => {
    const code = await linkCodeFor(app, 'Léa Martin', db.now);
    const [linked] = await lea.say(`code ${code}`);
    expect(visible(linked)).toMatch(/relié à ton dossier/);
    expect(visible(linked)).toMatch(/écris « stop »/);
    const [list] = await lea.say('missions en logistique à Lyon');
    expect(visible(list)).toMatch(/Logistique, à Lyon/);
    const { messages } = await lea.press('🔔 Préviens-moi');
    expect(visible(messages[0])).toMatch(/Je te préviens dès qu’une nouvelle mission correspond : Logistique, à Lyon/);
    const saved = await db.connection.db.savedSearch.findMany({ where: { youthId: leaId } });
    expect(saved).toMatchObject([{ communeCode: '69123', sector: 'logistique', epciCode: null }]);
  });

  it('an anonymous young person who presses it is invited to link; the alert is saved once linked', async () => {
    const chat = 5_002_002;
    const kevin = new Youth(emulator.server, emulator.server.getClient(TOKEN, { userId: chat, chatId: chat, firstName: 'Kevin' }), TOKEN, chat);
    const kevinId = (await db.connection.db.youth.findFirstOrThrow({ where: { firstName: 'Kevin', lastName: 'Bernard' }, select: { id: true } })).id;
    await kevin.say('missions en logistique à Lyon');
    const { messages } = await kevin.press('🔔 Préviens-moi');
    expect(visible(messages[0])).toMatch(/Je garde cette alerte de côté/);
    expect(messages[0]!.keyboard.flat().map((b) => b.text)).toEqual(expect.arrayContaining([expect.stringMatching(/J’ai un code/)]));
    expect(await db.connection.db.savedSearch.count({ where: { youthId: kevinId } })).toBe(0);
    const [linked] = await kevin.say(`code ${await linkCodeFor(app, 'Kevin Bernard', db.now)}`);
    expect(visible(linked)).toMatch(/Ton alerte est activée : Logistique, à Lyon/);
    expect(await db.connection.db.savedSearch.count({ where: { youthId: kevinId } })).toBe(1);
    // Kevin's alerts are not part of what follows: only Léa's chat is counted.
    await db.connection.db.savedSearch.deleteMany({ where: { youthId: kevinId } });
  });

  let firstRun: Date;
  it('a feed with two matching missions and one other: the next day at 10:00, one message naming both; again, nothing', async () => {
    await importFeed(
      [
        ['ALR-1', 'Cariste alerte un', 'logistique', '69003', 'Lyon'],
        ['ALR-2', 'Préparateur alerte deux', 'logistique', '69007', 'Lyon'],
        ['ALR-3', 'Maçon alerte trois', 'btp', '69003', 'Lyon'],
      ],
      t0,
    );
    const before = leaMessages().length;
    firstRun = parisTimeOn(t0, 1, 10);
    const out = await jobs(firstRun);
    expect(out.ran.find((r) => r.name === 'mission-alerts')?.result).toMatchObject({ youth: 1, messages: 1, missions: 2 });
    const sent = leaMessages().slice(before);
    expect(sent).toHaveLength(1);
    expect(visible(sent[0])).toMatch(/2 nouvelles missions pour tes alertes/);
    expect(visible(sent[0])).toContain('Cariste alerte un');
    expect(visible(sent[0])).toContain('Préparateur alerte deux');
    expect(visible(sent[0])).not.toContain('Maçon alerte trois');
    expect(sent[0]!.keyboard.flat().filter((b) => /Ça m’intéresse/.test(b.text))).toHaveLength(2);

    const again = await jobs(new Date(firstRun.getTime() + HOUR));
    expect(again.ran.find((r) => r.name === 'mission-alerts')?.result).toMatchObject({ youth: 0, messages: 0 });
    await jobs(new Date(firstRun.getTime() + HOUR));
    expect(leaMessages().length).toBe(before + 1);
    expect(await db.connection.db.alertedMission.count({ where: { youthId: leaId } })).toBe(2);
  }, 120_000);

  let morning: Date;
  it('found at 22:30: nothing until 08:00, then one message; a mission closed meanwhile is left out', async () => {
    const evening = parisTimeOn(firstRun, 0, 22);
    const at2230 = new Date(evening.getTime() + 30 * 60_000);
    expect(parisHour(at2230)).toBe(22);
    await importFeed(
      [
        ['ALR-4', 'Magasinier alerte quatre', 'logistique', '69003', 'Lyon'],
        ['ALR-5', 'Cariste alerte cinq', 'logistique', '69008', 'Lyon'],
      ],
      new Date(firstRun.getTime() + 2 * HOUR),
    );
    const before = leaMessages().length;
    const late = await jobs(at2230);
    expect(late.ran.find((r) => r.name === 'mission-alerts')?.result).toMatchObject({ messages: 1, missions: 2 });
    expect(leaMessages().length).toBe(before);
    const queued = await db.connection.db.notification.findFirstOrThrow({ where: { youthId: leaId, kind: 'mission_alert', status: 'pending' } });
    morning = parisTimeOn(at2230, 1, 8);
    expect(queued.nextAttemptAt.toISOString()).toBe(morning.toISOString());
    expect(leaMessages().length).toBe(before);

    await db.connection.db.mission.updateMany({ where: { reference: 'ALR-5' }, data: { status: 'closed' } });
    await jobs(new Date(morning.getTime() - 10 * 60_000));
    expect(leaMessages().length).toBe(before);
    await jobs(morning);
    const sent = leaMessages().slice(before);
    expect(sent).toHaveLength(1);
    expect(visible(sent[0])).toMatch(/Une nouvelle mission pour tes alertes/);
    expect(visible(sent[0])).toContain('Magasinier alerte quatre');
    expect(visible(sent[0])).not.toContain('Cariste alerte cinq');
  }, 120_000);

  it('"stop" stops an alert already queued; "supprimer mes données" too', async () => {
    await importFeed([['ALR-6', 'Manutentionnaire alerte six', 'logistique', '69003', 'Lyon']], new Date(morning.getTime() + HOUR));
    const at = new Date(morning.getTime() + 2 * HOUR);
    const queuedRun = await jobs(at);
    // That day's message went at 08:00: this one waits for the next day's.
    expect(queuedRun.ran.find((r) => r.name === 'mission-alerts')?.result).toMatchObject({ messages: 1 });
    const [stopped] = await lea.say('stop');
    expect(visible(stopped)).toMatch(/Je ne t’enverrai plus aucun message/);
    expect(visible(stopped)).toMatch(/reprendre les messages/);
    const before = leaMessages().length;
    const nextMorning = parisTimeOn(at, 1, 8);
    const out = await jobs(nextMorning);
    expect(out.delivered.failed).toBeGreaterThanOrEqual(1);
    expect(leaMessages().length).toBe(before);
    expect(await db.connection.db.notification.findFirst({ where: { youthId: leaId, kind: 'mission_alert' }, orderBy: { id: 'desc' } })).toMatchObject({ status: 'failed', lastError: 'recipient_gone' });

    const [resumed] = await lea.say('reprendre les messages');
    expect(visible(resumed)).toMatch(/C’est reparti/);
    await importFeed([['ALR-7', 'Cariste alerte sept', 'logistique', '69003', 'Lyon']], new Date(nextMorning.getTime() + HOUR));
    const later = new Date(nextMorning.getTime() + 2 * HOUR);
    expect((await jobs(later)).ran.find((r) => r.name === 'mission-alerts')?.result).toMatchObject({ messages: 1 });
    await lea.say('supprimer mes données');
    await lea.press(/^Oui/);
    const afterDeletion = leaMessages().length;
    await jobs(parisTimeOn(later, 1, 8));
    await jobs(parisTimeOn(later, 1, 11));
    expect(leaMessages().length).toBe(afterDeletion);
    expect(await db.connection.db.savedSearch.count({ where: { youthId: leaId } })).toBe(0);
    expect(await db.connection.db.notification.count({ where: { youthId: leaId, kind: 'mission_alert', status: 'pending' } })).toBe(0);
  }, 180_000);
});
