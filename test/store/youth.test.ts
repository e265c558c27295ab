import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { databaseFactories, type TestDatabase } from '../helpers/db.js';
import { demoPeople, expectInvalid, type DemoPeople } from './fixtures.js';
import { fold } from '../../src/shared/text.js';

describe.each(databaseFactories)('youth store on %s', (_kind, open) => {
  let db: TestDatabase;
  let people: DemoPeople;

  beforeAll(async () => {
    db = await open();
    people = await demoPeople(db);
  });
  afterAll(async () => {
    await db?.close();
  });

  const matchIds = (matches: { youth: { id: number } }[]) => matches.map((m) => m.youth.id);

  it('findYouthById returns the identity fields only, null for an unknown id', async () => {
    const lea = await db.store.youth.findYouthById(people.named.lea);
    const raw = await db.connection.db.youth.findUniqueOrThrow({ where: { id: people.named.lea } });
    expect(lea).toEqual({
      id: raw.id,
      firstName: 'Léa',
      lastName: 'Martin',
      status: raw.status,
      counsellorId: people.counsellors.sophie,
      missionLocaleId: people.missionLocales.lyon,
      communeCode: raw.communeCode,
      birthDate: raw.birthDate,
      telegramUserId: null,
      anonymizedAt: null,
    });
    expect(lea).not.toHaveProperty('phone');
    const max = await db.connection.db.youth.aggregate({ _max: { id: true } });
    expect(await db.store.youth.findYouthById(max._max.id! + 1)).toBeNull();
    await expectInvalid(db.store.youth.findYouthById(-1), /youth id/);
    await expectInvalid(db.store.youth.findYouthById(2 ** 31), /youth id/);
  });

  it('findYouthInScope finds a youth only in its counsellor or Mission locale scope', async () => {
    const { lea, yanis } = people.named;
    expect((await db.store.youth.findYouthInScope({ counsellorId: people.counsellors.sophie }, lea))?.id).toBe(lea);
    expect((await db.store.youth.findYouthInScope({ missionLocaleId: people.missionLocales.lyon }, lea))?.id).toBe(lea);
    expect(await db.store.youth.findYouthInScope({ counsellorId: people.counsellors.marc }, lea)).toBeNull();
    expect(await db.store.youth.findYouthInScope({ counsellorId: people.counsellors.nadia }, lea)).toBeNull();
    expect(await db.store.youth.findYouthInScope({ missionLocaleId: people.missionLocales.marseille }, lea)).toBeNull();
    expect((await db.store.youth.findYouthInScope({ counsellorId: people.counsellors.nadia }, yanis))?.id).toBe(yanis);
    expect(await db.store.youth.findYouthInScope({ counsellorId: people.counsellors.sophie }, 999_999)).toBeNull();
    await expectInvalid(db.store.youth.findYouthInScope({ counsellorId: 1, missionLocaleId: 1 } as never, lea), /caseload scope/);
    await expectInvalid(db.store.youth.findYouthInScope({} as never, lea), /caseload scope/);
    await expectInvalid(db.store.youth.findYouthInScope({ counsellorId: 0 }, lea), /caseload scope/);
  });

  it('findYouthByName: exact name, whatever the accents, case and word order', async () => {
    const scope = { counsellorId: people.counsellors.sophie };
    for (const q of ['Léa Martin', 'lea martin', 'LEA MARTIN', '  Léa   MARTIN ']) {
      const res = await db.store.youth.findYouthByName(scope, q);
      expect(res[0]?.youth.id, q).toBe(people.named.lea);
      expect(res[0]?.distance, q).toBe(0);
    }
    const reversed = await db.store.youth.findYouthByName(scope, 'Martin Léa');
    expect(matchIds(reversed)).toContain(people.named.lea);
    expect(reversed.find((m) => m.youth.id === people.named.lea)!.distance).toBeGreaterThan(0);
  });

  it('findYouthByName: a partial name returns exactly the scope youth containing it', async () => {
    const scope = { missionLocaleId: people.missionLocales.lyon };
    const rows = await db.connection.db.youth.findMany({ where: { missionLocaleId: people.missionLocales.lyon } });
    const expected = rows.filter((y) => fold(`${y.firstName} ${y.lastName}`).includes('ma')).map((y) => y.id).sort((a, b) => a - b);
    expect(expected.length).toBeGreaterThan(1);
    const res = await db.store.youth.findYouthByName(scope, 'Ma');
    expect(matchIds(res).sort((a, b) => a - b)).toEqual(expected);
  });

  it('findYouthByName tolerates typos: "lea martn" finds Léa Martin first', async () => {
    const res = await db.store.youth.findYouthByName({ counsellorId: people.counsellors.sophie }, 'lea martn');
    expect(res[0]?.youth.id).toBe(people.named.lea);
    expect(res[0]!.distance).toBeGreaterThan(0);
    for (let i = 1; i < res.length; i++) expect(res[i]!.distance).toBeGreaterThanOrEqual(res[i - 1]!.distance);
    const kevin = await db.store.youth.findYouthByName({ counsellorId: people.counsellors.sophie }, 'kevn bernart');
    expect(kevin[0]?.youth.id).toBe(people.named.kevin);
    const ines = await db.store.youth.findYouthByName({ missionLocaleId: people.missionLocales.lille }, 'Ines Moreu');
    expect(ines[0]?.youth.id).toBe(people.named.ines);
  });

  it('findYouthByName never returns another counsellor’s youth', async () => {
    const { chloe, yanis } = people.named;
    // Chloé Petit is Marc's youth: Sophie (same Mission locale) does not find her, exactly or with a typo.
    for (const q of ['Chloé Petit', 'chloe petit', 'chloe peti', 'Petit']) {
      const res = await db.store.youth.findYouthByName({ counsellorId: people.counsellors.sophie }, q);
      expect(matchIds(res), q).not.toContain(chloe);
      const sophieYouth = new Set((await db.connection.db.youth.findMany({ where: { counsellorId: people.counsellors.sophie } })).map((y) => y.id));
      expect(matchIds(res).every((id) => sophieYouth.has(id)), q).toBe(true);
    }
    expect((await db.store.youth.findYouthByName({ counsellorId: people.counsellors.marc }, 'Chloé Petit'))[0]?.youth.id).toBe(chloe);
    // The Lyon manager's scope holds her; Marseille's does not.
    expect(matchIds(await db.store.youth.findYouthByName({ missionLocaleId: people.missionLocales.lyon }, 'chloe petit'))).toContain(chloe);
    expect(matchIds(await db.store.youth.findYouthByName({ missionLocaleId: people.missionLocales.marseille }, 'chloe petit'))).not.toContain(chloe);
    expect(matchIds(await db.store.youth.findYouthByName({ counsellorId: people.counsellors.sophie }, 'Yanis Haddad'))).not.toContain(yanis);
    expect(await db.store.youth.findYouthByName({ counsellorId: people.counsellors.sophie }, 'Zyxwvut Qwerty')).toEqual([]);
  });

  it('findYouthByName skips anonymised files', async () => {
    const { kevin } = people.named;
    await db.connection.db.youth.update({ where: { id: kevin }, data: { anonymizedAt: new Date() } });
    try {
      expect(matchIds(await db.store.youth.findYouthByName({ counsellorId: people.counsellors.sophie }, 'Kevin Bernard'))).not.toContain(kevin);
      expect(matchIds(await db.store.youth.findYouthByName({ counsellorId: people.counsellors.sophie }, 'kevn bernard'))).not.toContain(kevin);
      expect(await db.store.youth.findYouthInScope({ counsellorId: people.counsellors.sophie }, kevin)).toBeNull();
    } finally {
      await db.connection.db.youth.update({ where: { id: kevin }, data: { anonymizedAt: null } });
    }
    expect(matchIds(await db.store.youth.findYouthByName({ counsellorId: people.counsellors.sophie }, 'Kevin Bernard'))).toContain(kevin);
  });

  it('findYouthByName rejects a too short or too long name', async () => {
    const scope = { counsellorId: people.counsellors.sophie };
    await expectInvalid(db.store.youth.findYouthByName(scope, 'x'), /person name/);
    await expectInvalid(db.store.youth.findYouthByName(scope, 'a'.repeat(121)), /person name/);
    await expectInvalid(db.store.youth.findYouthByName({ counsellorId: 1, missionLocaleId: 1 } as never, 'Léa'), /caseload scope/);
    // Only punctuation: nothing to look for.
    expect(await db.store.youth.findYouthByName(scope, '-- !')).toEqual([]);
  });

  it('links, finds and unlinks a Telegram account', async () => {
    const { ines, yanis } = people.named;
    expect(await db.store.youth.findTelegramChat(ines)).toBeNull();
    await db.store.youth.linkTelegram(ines, '111222333', '111222333');
    const raw = await db.connection.db.youth.findUniqueOrThrow({ where: { id: ines } });
    expect(raw.telegramUserId).toBe('111222333');
    expect(raw.telegramChatId).toBe('111222333');
    expect(raw.linkedAt).toBeInstanceOf(Date);
    expect((await db.store.youth.findYouthByTelegramUser('111222333'))?.id).toBe(ines);
    expect(await db.store.youth.findTelegramChat(ines)).toBe('111222333');

    // A new account replaces the previous one: the old id no longer finds anybody.
    await db.store.youth.linkTelegram(ines, '444555666', '-100777');
    expect(await db.store.youth.findYouthByTelegramUser('111222333')).toBeNull();
    expect((await db.store.youth.findYouthByTelegramUser('444555666'))?.id).toBe(ines);
    expect(await db.store.youth.findTelegramChat(ines)).toBe('-100777');

    await db.store.youth.unlinkTelegram(ines);
    const after = await db.connection.db.youth.findUniqueOrThrow({ where: { id: ines } });
    expect([after.telegramUserId, after.telegramChatId, after.linkedAt]).toEqual([null, null, null]);
    expect(await db.store.youth.findYouthByTelegramUser('444555666')).toBeNull();
    expect(await db.store.youth.findTelegramChat(ines)).toBeNull();
    expect(await db.store.youth.findTelegramChat(999_999)).toBeNull();

    // One Telegram account cannot belong to two youth.
    await db.store.youth.linkTelegram(ines, '888', '888');
    await expect(db.store.youth.linkTelegram(yanis, '888', '888')).rejects.toThrow();
    expect((await db.store.youth.findYouthByTelegramUser('888'))?.id).toBe(ines);
    await db.store.youth.unlinkTelegram(ines);
  });

  it('rejects malformed Telegram ids', async () => {
    await expectInvalid(db.store.youth.findYouthByTelegramUser('abc'), /Telegram user id/);
    await expectInvalid(db.store.youth.findYouthByTelegramUser(''), /Telegram user id/);
    await expectInvalid(db.store.youth.linkTelegram(people.named.ines, '12', 'chat'), /Telegram chat id/);
    await expectInvalid(db.store.youth.linkTelegram(people.named.ines, '1'.repeat(21), '12'), /Telegram user id/);
    await expectInvalid(db.store.youth.unlinkTelegram(0), /youth id/);
    const raw = await db.connection.db.youth.findUniqueOrThrow({ where: { id: people.named.ines } });
    expect(raw.telegramUserId).toBeNull();
  });
});
