import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Update } from 'grammy/types';
import { encodeAction } from '../../src/core/actions.js';
import type { TestDatabase } from '../helpers/db.js';
import type { TcpProxy } from '../helpers/tcp-proxy.js';
import { SECRET, startTrafficAppThroughProxy, WEBHOOK_PATH, type startTrafficApp } from '../reliability/helpers/traffic.js';

/**
 * Issue 11's lost reply: the PostgreSQL connection drops after a turn's COMMIT reached the server but before its
 * acknowledgement came back. The turn was kept, yet the service could not know it: before the fix it told the
 * user that nothing was saved, answered 500, and took Telegram's redelivery for a duplicate, so the reply of a
 * kept turn was never sent; and the pooled connection of that COMMIT was never given back, so the service's stop
 * waited for it for ever. Through the real webhook, the real database and a TCP proxy that withholds the
 * COMMIT's answer.
 */
describe('a COMMIT whose acknowledgement is lost (PostgreSQL)', () => {
  let db: TestDatabase;
  let proxy: TcpProxy;
  let traffic: Awaited<ReturnType<typeof startTrafficApp>>;
  let close: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    ({ db, proxy, traffic, close } = await startTrafficAppThroughProxy());
  });
  afterAll(async () => close?.());

  const post = async (update: Update) =>
    (
      await fetch(`${traffic.app.url}${WEBHOOK_PATH}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
        body: JSON.stringify(update),
      })
    ).status;

  it('the kept turn is reported as uncertain, and its reply is sent once, by the redelivery', async () => {
    const youth = await db.connection.db.youth.findFirstOrThrow({ where: { telegramUserId: null, anonymizedAt: null }, orderBy: { id: 'asc' } });
    const chatId = 8_300_001;
    await db.store.youth.linkTelegram(youth.id, String(chatId), String(chatId));
    const updateId = 987_654_321;
    const from = { id: chatId, is_bot: false, first_name: 'Test' };
    const chat = { id: chatId, type: 'private' as const, first_name: 'Test' };
    const press = {
      update_id: updateId,
      callback_query: { id: `cq${updateId}`, from, chat_instance: '1', data: encodeAction({ kind: 'tell_counsellor_barrier', topic: 'housing' }), message: { message_id: 1, date: 1, chat } },
    } as unknown as Update;
    const requests = () => db.connection.db.youthRequest.count({ where: { youthId: youth.id, kind: 'barrier' } });
    const before = await requests();
    const texts = () => traffic.api.messagesTo(chatId).map((m) => String(m.payload.text));

    const cutDone = proxy.cutAfterCommitOf(String(updateId));
    expect(await post(press)).toBe(500);
    await cutDone;
    // The COMMIT reached the server: the turn is kept, whole.
    expect(await requests()).toBe(before + 1);
    const told = texts();
    expect(told).toHaveLength(1);
    expect(told[0]).toMatch(/peut-être/);
    expect(told[0]).not.toMatch(/rien .*enregistré/);
    expect(traffic.logs.lines.some((l) => l.includes('turn outcome unknown'))).toBe(true);

    // The database is back; Telegram redelivers: the kept reply is sent, the turn is not run again.
    proxy.restore();
    expect(await post(press)).toBe(200);
    expect(await requests()).toBe(before + 1);
    expect(texts()).toHaveLength(2);
    expect(texts()[1]).toContain('C’est transmis');
    expect(traffic.logs.lines.filter((l) => l.includes('kept reply sent on redelivery'))).toHaveLength(1);
    expect((await db.connection.db.processedUpdate.findFirstOrThrow({ where: { channel: 'telegram', eventId: String(updateId) } })).reply).toBeNull();

    // A further redelivery sends nothing more.
    expect(await post(press)).toBe(200);
    expect(texts()).toHaveLength(2);
  });

  it('the pooled connection whose COMMIT failed was given back: the service stops (it waited for it for ever)', async () => {
    await traffic.app.stop();
    expect(traffic.logs.lines.some((l) => l.includes('"msg":"stopped"'))).toBe(true);
  });
});
