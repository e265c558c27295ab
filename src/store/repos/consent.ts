import type { Db } from '../client.js';
import { idSchema, parseInput } from '../schemas.js';

/**
 * Whether a young person agreed to receive messages the bot sends on its own (alerts, proposals, reminders).
 * Given when they link their account (the confirmation says so), withdrawn by "stop" / "je ne veux plus de
 * messages", given again by "reprendre les messages" or /settings. "Supprimer mes données" clears it too.
 */
export async function setMessagesConsent(db: Db, youthId: number, at: Date | null): Promise<void> {
  await db.youth.update({ where: { id: parseInput(idSchema, youthId, 'youth id') }, data: { consentAt: at }, select: { id: true } });
}

/** True when the young person currently accepts messages from the bot. */
export async function hasMessagesConsent(db: Db, youthId: number): Promise<boolean> {
  const row = await db.youth.findUnique({ where: { id: parseInput(idSchema, youthId, 'youth id') }, select: { consentAt: true } });
  return !!row?.consentAt;
}

/**
 * The Telegram chat a proactive message may go to, read at delivery: null when the young person unlinked,
 * deleted their data, withdrew consent, or the file was anonymised since the message was queued.
 */
export async function findReachableTelegramChat(db: Db, youthId: number): Promise<string | null> {
  const row = await db.youth.findUnique({
    where: { id: parseInput(idSchema, youthId, 'youth id') },
    select: { telegramChatId: true, consentAt: true, anonymizedAt: true },
  });
  if (!row?.telegramChatId || !row.consentAt || row.anonymizedAt) return null;
  return row.telegramChatId;
}
