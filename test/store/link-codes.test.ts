import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { databaseFactories, type TestDatabase } from '../helpers/db.js';
import { DAY, demoPeople, expectInvalid, randomHash, type DemoPeople } from './fixtures.js';

describe.each(databaseFactories)('link codes store on %s', (_kind, open) => {
  let db: TestDatabase;
  let people: DemoPeople;

  beforeAll(async () => {
    db = await open();
    people = await demoPeople(db);
  });
  afterAll(async () => {
    await db?.close();
  });

  const lc = () => db.store.linkCodes;
  const inAnHour = () => new Date(Date.now() + 3_600_000);
  const issue = (youthId: number, codeHash = randomHash(), expiresAt = inAnHour()) =>
    lc().createLinkCode({ youthId, issuedById: people.counsellors.sophie, codeHash, expiresAt }).then((r) => ({ ...r, codeHash }));

  it('createLinkCode stores the hash and returns the id and expiry', async () => {
    const expiresAt = inAnHour();
    const c = await issue(people.named.lea, randomHash(), expiresAt);
    expect(c.expiresAt).toEqual(expiresAt);
    const row = await db.connection.db.linkCode.findUniqueOrThrow({ where: { id: c.id } });
    expect(row).toMatchObject({ codeHash: c.codeHash, youthId: people.named.lea, issuedById: people.counsellors.sophie, usedAt: null, revokedAt: null });
  });

  it('a new code revokes the youth’s previous unused codes, not other youth’s', async () => {
    const { kevin, lea } = people.named;
    const other = await issue(lea);
    const first = await issue(kevin);
    const second = await issue(kevin);
    const rows = await db.connection.db.linkCode.findMany({ where: { id: { in: [first.id, second.id, other.id] } } });
    const byId = new Map(rows.map((r) => [r.id, r]));
    expect(byId.get(first.id)!.revokedAt).toBeInstanceOf(Date);
    expect(byId.get(second.id)!.revokedAt).toBeNull();
    expect(byId.get(other.id)!.revokedAt).toBeNull();
    expect(await lc().redeemLinkCode(first.codeHash)).toEqual({ ok: false, reason: 'revoked' });
    expect(await lc().redeemLinkCode(second.codeHash)).toEqual({ ok: true, youthId: kevin });
    expect(await lc().redeemLinkCode(other.codeHash)).toEqual({ ok: true, youthId: lea });
    // A used code is not revoked by a later one: its history stays "used".
    const third = await issue(kevin);
    expect((await db.connection.db.linkCode.findUniqueOrThrow({ where: { id: second.id } })).revokedAt).toBeNull();
    expect(await lc().redeemLinkCode(second.codeHash)).toEqual({ ok: false, reason: 'used' });
    expect(await lc().redeemLinkCode(third.codeHash)).toEqual({ ok: true, youthId: kevin });
  });

  it('a code redeems once, then reports used', async () => {
    const c = await issue(people.named.chloe);
    const now = new Date();
    expect(await lc().redeemLinkCode(c.codeHash, now)).toEqual({ ok: true, youthId: people.named.chloe });
    expect((await db.connection.db.linkCode.findUniqueOrThrow({ where: { id: c.id } })).usedAt).toEqual(now);
    expect(await lc().redeemLinkCode(c.codeHash)).toEqual({ ok: false, reason: 'used' });
  });

  it('an expired code is refused, the expiry instant included', async () => {
    const expiresAt = new Date(Date.now() + 10 * 60_000);
    const c = await issue(people.named.yanis, randomHash(), expiresAt);
    expect(await lc().redeemLinkCode(c.codeHash, new Date(expiresAt.getTime() + 1))).toEqual({ ok: false, reason: 'expired' });
    expect(await lc().redeemLinkCode(c.codeHash, expiresAt)).toEqual({ ok: false, reason: 'expired' });
    expect((await db.connection.db.linkCode.findUniqueOrThrow({ where: { id: c.id } })).usedAt).toBeNull();
    expect(await lc().redeemLinkCode(c.codeHash, new Date(expiresAt.getTime() - 1))).toEqual({ ok: true, youthId: people.named.yanis });
    const old = await issue(people.named.yanis, randomHash(), new Date(Date.now() - DAY));
    expect(await lc().redeemLinkCode(old.codeHash)).toEqual({ ok: false, reason: 'expired' });
  });

  it('an unknown code is refused as unknown', async () => {
    expect(await lc().redeemLinkCode(randomHash())).toEqual({ ok: false, reason: 'unknown' });
  });

  it('two simultaneous redemptions of one code: exactly one succeeds', async () => {
    for (let round = 0; round < 3; round++) {
      const c = await issue(people.named.ines);
      const results = await Promise.all([lc().redeemLinkCode(c.codeHash), lc().redeemLinkCode(c.codeHash), lc().redeemLinkCode(c.codeHash)]);
      expect(results.filter((r) => r.ok)).toEqual([{ ok: true, youthId: people.named.ines }]);
      expect(results.filter((r) => !r.ok)).toEqual([
        { ok: false, reason: 'used' },
        { ok: false, reason: 'used' },
      ]);
    }
  });

  it('simultaneous createLinkCode calls for one youth leave a single usable code (only the latest code works)', async () => {
    const { chloe } = people.named;
    for (let round = 0; round < 5; round++) {
      const created = await Promise.all([issue(chloe), issue(chloe), issue(chloe)]);
      const usable = await db.connection.db.linkCode.count({ where: { youthId: chloe, usedAt: null, revokedAt: null } });
      expect({ round, usable }).toEqual({ round, usable: 1 });
      const results = await Promise.all(created.map((c) => lc().redeemLinkCode(c.codeHash)));
      expect(results.filter((r) => r.ok)).toHaveLength(1);
    }
  });

  it('a failed creation (duplicate hash) keeps the previous code valid', async () => {
    const { ines, lea } = people.named;
    const kept = await issue(ines);
    const taken = await issue(lea);
    await expect(issue(ines, taken.codeHash)).rejects.toThrow();
    expect((await db.connection.db.linkCode.findUniqueOrThrow({ where: { id: kept.id } })).revokedAt).toBeNull();
    expect(await lc().redeemLinkCode(kept.codeHash)).toEqual({ ok: true, youthId: ines });
  });

  it('rejects a malformed code hash or ids', async () => {
    const before = await db.connection.db.linkCode.count();
    await expectInvalid(lc().redeemLinkCode('123456'), /code hash/);
    await expectInvalid(lc().redeemLinkCode(randomHash().toUpperCase()), /code hash/);
    await expectInvalid(lc().redeemLinkCode(`${randomHash()}0`), /code hash/);
    await expectInvalid(issue(people.named.lea, 'not-a-hash'), /code hash/);
    await expectInvalid(lc().createLinkCode({ youthId: 0, issuedById: people.counsellors.sophie, codeHash: randomHash(), expiresAt: inAnHour() }), /youth id/);
    await expectInvalid(lc().createLinkCode({ youthId: people.named.lea, issuedById: -1, codeHash: randomHash(), expiresAt: inAnHour() }), /counsellor id/);
    expect(await db.connection.db.linkCode.count()).toBe(before);
  });
});
