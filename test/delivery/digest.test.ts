import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderCard } from '../../bots/teams/cards.js';
import { loadConfig } from '../../src/config.js';
import { teamsAddressKey, type Delivery } from '../../src/core/outbox.js';
import type { Block, Fact } from '../../src/core/types.js';
import { createDeliveryStack, type DeliveryStack } from '../../src/delivery/compose.js';
import { counsellorDigest } from '../../src/delivery/scheduled-jobs.js';
import { frenchPublicHolidays, isParisWorkingDay, parisClock, startOfParisDay } from '../../src/shared/time.js';
import { createInProcessQueue } from '../../src/store/jobs.js';
import { testAssistant } from '../helpers/conversation.js';
import { databaseFactories, type TestDatabase } from '../helpers/db.js';
import { AAD, counsellor, counsellorRow } from '../core/counsellor/helpers.js';
import { cardProblems } from '../teams/validate-card.js';

/**
 * The counsellors' daily digest: subscribed by "digest quotidien" or the overview's button, one card per
 * subscriber on working days from 08:30 Paris, listing only their scope. Each part of the card is checked against
 * an independent computation on the rows (not the store's queries), on both databases.
 */
const DAY = 86_400_000;

describe('working days of the digest', () => {
  it('Monday to Friday, not a French public holiday (fixed days, Easter Monday, Ascension, Whit Monday)', () => {
    expect([...frenchPublicHolidays(2027)].sort()).toEqual(['2027-01-01', '2027-03-29', '2027-05-01', '2027-05-06', '2027-05-08', '2027-05-17', '2027-07-14', '2027-08-15', '2027-11-01', '2027-11-11', '2027-12-25']);
    expect(isParisWorkingDay(new Date('2026-12-25T09:00:00+01:00'))).toBe(false); // Christmas, a Friday
    expect(isParisWorkingDay(new Date('2026-12-26T09:00:00+01:00'))).toBe(false); // Saturday
    expect(isParisWorkingDay(new Date('2026-12-28T09:00:00+01:00'))).toBe(true); // Monday
    // 23:30 UTC on Sunday is already Monday in Paris.
    expect(isParisWorkingDay(new Date('2026-12-27T23:30:00Z'))).toBe(true);
    const job = counsellorDigest({} as never);
    expect(job.dueRun(new Date('2026-12-28T08:29:00+01:00'))).toBeNull();
    expect(job.dueRun(new Date('2026-12-28T08:30:00+01:00'))).toBe('counsellor-digest:2026-12-28');
    expect(job.dueRun(new Date('2027-05-06T10:00:00+02:00'))).toBeNull(); // Ascension
    expect(job.dueRun(new Date('2027-05-07T08:30:00+02:00'))).toBe('counsellor-digest:2027-05-07'); // summer time
  });
});

describe.each(databaseFactories)('the daily digest on %s', (_kind, open) => {
  let db: TestDatabase;
  let stack: DeliveryStack;
  const sent: Delivery[] = [];
  let ids: Record<'sophie' | 'marc' | 'nadia' | 'julien', { id: number; missionLocaleId: number }>;
  /** 08:45 Paris on the next working day after the seed's day. */
  let runAt: Date;
  let since: Date;
  let engineNow: Date;

  beforeAll(async () => {
    db = await open();
    engineNow = db.now;
    // The engine's clock is the time the test's scheduled runs happen at (set before each delivery): a digest queued
    // by tomorrow's 08:45 run is due then, whatever the wall clock says when the suite runs.
    stack = await createDeliveryStack({ store: db.store, databaseUrl: db.url, config: loadConfig({ LOG_LEVEL: 'silent' }), log: pino({ level: 'silent' }), jobs: createInProcessQueue(), now: () => engineNow });
    stack.engine.attach([{ name: 'teams', canSend: () => true, send: async (d) => void sent.push(d) }]);
    const row = async (who: keyof typeof AAD) => {
      const c = await counsellorRow(db, who);
      // A counsellor who talked to the bot once: the card has somewhere to go.
      await db.store.conversation.saveChannelAddress('teams', teamsAddressKey(c.id), { conversation: { id: `a:${who}` } });
      return { id: c.id, missionLocaleId: c.missionLocaleId };
    };
    ids = { sophie: await row('sophie'), marc: await row('marc'), nadia: await row('nadia'), julien: await row('julien') };
    runAt = new Date(startOfParisDay(new Date(db.now.getTime() + DAY)).getTime() + (8 * 60 + 45) * 60_000);
    while (!isParisWorkingDay(runAt)) runAt = new Date(runAt.getTime() + DAY);
    expect(parisClock(runAt)).toMatchObject({ hour: 8, minute: 45 });
    since = db.now;
  });
  afterAll(async () => {
    await stack?.close();
    await db?.close();
  });

  /** Followed youth of a scope, read from the rows. */
  async function followedIds(scope: { counsellorId: number } | { missionLocaleId: number }) {
    const youth = await db.connection.db.youth.findMany({ where: { ...scope, status: { not: 'exited' }, anonymizedAt: null }, select: { id: true, firstName: true, lastName: true } });
    return new Map(youth.map((y) => [y.id, `${y.firstName} ${y.lastName}`]));
  }

  /** What each part of the digest must list, computed from the rows alone. */
  async function expected(scope: { counsellorId: number } | { missionLocaleId: number }, from: Date, until: Date) {
    const followed = await followedIds(scope);
    const ids = [...followed.keys()];
    const inSpan = (d: Date) => d >= from && d < until;
    const apps = await db.connection.db.application.findMany({ where: { youthId: { in: ids }, status: 'sent' }, select: { youthId: true, source: true, createdAt: true, answeredAt: true } });
    const interests = apps.filter((a) => (a.source === 'youth' || a.answeredAt) && inSpan(a.answeredAt ?? a.createdAt)).map((a) => a.youthId);
    const requests = (await db.connection.db.youthRequest.findMany({ where: { youthId: { in: ids }, status: 'open' }, select: { youthId: true, createdAt: true } })).filter((r) => inSpan(r.createdAt)).map((r) => r.youthId);
    const today = startOfParisDay(until);
    const placements = await db.connection.db.placement.findMany({ where: { youthId: { in: ids } }, select: { youthId: true, startDate: true, endDate: true } });
    const ending = [...new Set(placements.filter((p) => p.endDate >= today && p.endDate <= new Date(until.getTime() + 7 * DAY) && p.startDate <= until).map((p) => p.youthId))];
    const contacts = await db.connection.db.interaction.findMany({ where: { youthId: { in: ids } }, select: { youthId: true, at: true } });
    const silentAt = (t: Date) => new Set(ids.filter((id) => !contacts.some((c) => c.youthId === id && c.at >= new Date(t.getTime() - 30 * DAY))));
    const before = silentAt(from);
    const reached = [...silentAt(until)].filter((id) => !before.has(id));
    const names = (list: number[]) => list.map((id) => followed.get(id)!).sort();
    return { interests: names(interests), requests: names(requests), ending: names(ending), reached: names(reached), followed };
  }

  /** The digest's parts as sent: heading -> the names listed (and the count in the heading). */
  function parts(d: Delivery) {
    const out: Record<string, { count: number; names: string[]; actions: string[] }> = {};
    for (const b of d.reply.blocks as Block[]) {
      if (b.type !== 'facts') continue;
      const [, title, count] = /^(.*) \((\d+)\)$/.exec(b.heading ?? '')!;
      const lines = b.facts.filter((f: Fact) => !f.label.startsWith('…'));
      out[title!] = { count: Number(count), names: lines.map((f) => f.label).sort(), actions: lines.map((f) => f.action ?? '') };
    }
    return out;
  }

  function check(d: Delivery, want: Awaited<ReturnType<typeof expected>>) {
    const got = parts(d);
    const pairs = [
      ['Nouveaux « ça m’intéresse »', want.interests],
      ['Nouvelles demandes', want.requests],
      ['Fins de mission dans les 7 jours', want.ending],
      ['Atteignent 30 jours sans contact', want.reached],
    ] as const;
    for (const [title, names] of pairs) {
      if (names.length === 0) {
        expect(got[title], title).toBeUndefined();
        continue;
      }
      expect(got[title]?.count, title).toBe(names.length);
      // At most 10 lines, then one line opening the whole list.
      expect(got[title]!.names.length, title).toBe(Math.min(10, names.length));
      for (const n of got[title]!.names) expect(names, title).toContain(n);
      // Each line opens the file of a youth of the scope.
      for (const a of got[title]!.actions) expect(want.followed.has(Number(/^ys:(\d+)$/.exec(a)![1]))).toBe(true);
    }
  }

  it('reaches only the subscribed counsellors (text or button), each with only their own scope; none before 08:30, once a day', async () => {
    const assistant = testAssistant(db);
    expect(await counsellor(assistant, 'sophie').say('digest quotidien')).toMatch(/Chaque jour ouvré/);
    const marc = counsellor(assistant, 'marc');
    await marc.say('vue d’ensemble');
    expect(marc.buttonLabels()).toContain('📬 Point quotidien');
    expect(await marc.press('📬 Point quotidien')).toMatch(/votre Mission locale/);
    expect(await db.connection.db.counsellor.count({ where: { digestOptInAt: { not: null } } })).toBe(2);

    // Something new in Sophie's caseload, and in Nadia's (another Mission locale, not subscribed).
    const [sophieYouth] = await db.connection.db.youth.findMany({ where: { counsellorId: ids.sophie.id, status: 'active', anonymizedAt: null }, take: 1, orderBy: { id: 'asc' } });
    const [nadiaYouth] = await db.connection.db.youth.findMany({ where: { counsellorId: ids.nadia.id, status: 'active', anonymizedAt: null }, take: 1, orderBy: { id: 'asc' } });
    const mission = await db.connection.db.mission.findFirstOrThrow({ where: { status: 'open', applications: { none: { youthId: { in: [sophieYouth!.id, nadiaYouth!.id] } } } } });
    const at = new Date(since.getTime() + 3_600_000);
    for (const y of [sophieYouth!, nadiaYouth!]) {
      await db.connection.db.application.create({ data: { youthId: y.id, missionId: mission.id, source: 'youth', status: 'sent', createdAt: at } });
      await db.connection.db.youthRequest.create({ data: { youthId: y.id, kind: 'barrier', createdAt: at, openKey: `${y.id}:barrier:digest-test` } });
    }

    const early = await stack.scheduler.runDue(new Date(runAt.getTime() - 30 * 60_000));
    expect(early.filter((r) => r.name === 'counsellor-digest')).toEqual([]);
    const [ran] = (await stack.scheduler.runDue(runAt)).filter((r) => r.name === 'counsellor-digest');
    expect(ran).toMatchObject({ runKey: `counsellor-digest:${parisClock(runAt).date}`, result: { queued: 2 } });
    engineNow = runAt;
    await stack.engine.runDue();
    const digests = sent.filter((d) => /Point du/.test(JSON.stringify(d.reply)));
    expect(digests.map((d) => d.addressKey).sort()).toEqual([teamsAddressKey(ids.sophie.id), teamsAddressKey(ids.marc.id)].sort());

    const forSophie = digests.find((d) => d.addressKey === teamsAddressKey(ids.sophie.id))!;
    const wantSophie = await expected({ counsellorId: ids.sophie.id }, since, runAt);
    expect(wantSophie.interests).toContain(`${sophieYouth!.firstName} ${sophieYouth!.lastName}`);
    expect(Object.keys(parts(forSophie))).toEqual(expect.arrayContaining(['Nouveaux « ça m’intéresse »', 'Nouvelles demandes']));
    check(forSophie, wantSophie);
    expect(JSON.stringify(forSophie.reply)).not.toContain(`${nadiaYouth!.firstName} ${nadiaYouth!.lastName}`);

    const forMarc = digests.find((d) => d.addressKey === teamsAddressKey(ids.marc.id))!;
    const wantMarc = await expected({ missionLocaleId: ids.marc.missionLocaleId }, since, runAt);
    check(forMarc, wantMarc);
    expect(JSON.stringify(forMarc.reply)).not.toContain(`${nadiaYouth!.firstName} ${nadiaYouth!.lastName}`);
    expect(cardProblems(renderCard(forMarc.reply))).toEqual([]);

    // The same day again: nothing more.
    expect((await stack.scheduler.runDue(new Date(runAt.getTime() + 3_600_000))).filter((r) => r.name === 'counsellor-digest')).toEqual([]);
  });

  it('the next digest starts where the last one ended; an unsubscribed counsellor ("arrête le digest") gets nothing more, even if queued', async () => {
    const assistant = testAssistant(db);
    let next = new Date(runAt.getTime() + DAY);
    while (!isParisWorkingDay(next)) next = new Date(next.getTime() + DAY);
    const [ran] = (await stack.scheduler.runDue(next)).filter((r) => r.name === 'counsellor-digest');
    expect(ran?.result.queued).toBe(2);
    const queued = await db.connection.db.notification.findMany({ where: { kind: 'counsellor_digest', status: 'pending' } });
    expect(queued.map((n) => (n.payload as { since: string }).since)).toEqual([runAt.toISOString(), runAt.toISOString()]);
    // Unsubscribed after the card was queued: it is not sent.
    expect(await counsellor(assistant, 'sophie').say('arrête le digest')).toMatch(/ne recevrez plus/);
    const before = sent.length;
    engineNow = next;
    await stack.engine.runDue();
    expect(sent.slice(before).map((d) => d.addressKey)).not.toContain(teamsAddressKey(ids.sophie.id));
    const sophieRow = queued.find((n) => n.counsellorId === ids.sophie.id)!;
    expect(await db.connection.db.notification.findUniqueOrThrow({ where: { id: sophieRow.id } })).toMatchObject({ status: 'failed', lastError: 'recipient_gone' });
  });
});
