import { DbNull, type Db } from '../client.js';
import { idSchema, parseInput, type ChannelName } from '../schemas.js';

/**
 * What "delete my data" erases: what the bot itself collected (channel identity and address, dialogue state,
 * contact preferences, consent, the free text of bot requests). The Mission locale's follow-up file (name,
 * birth date, placements, the counsellor's notes) stays: it is kept under the Mission locale's own legal basis
 * and is anonymised by the retention purge instead.
 */
export async function eraseBotData(db: Db, youthId: number, channelUserIds: { channel: ChannelName; channelUserId: string }[]): Promise<void> {
  const id = parseInput(idSchema, youthId, 'youth id');
  await db.$transaction(async (tx) => {
    const y = await tx.youth.findUnique({ where: { id }, select: { telegramUserId: true } });
    const ids = [...channelUserIds];
    if (y?.telegramUserId) ids.push({ channel: 'telegram', channelUserId: y.telegramUserId });
    for (const c of ids) {
      await tx.conversationState.deleteMany({ where: { channel: c.channel, channelUserId: c.channelUserId } });
      await tx.channelAddress.deleteMany({ where: { channel: c.channel, channelUserId: c.channelUserId } });
    }
    await tx.youth.update({
      where: { id },
      data: { telegramUserId: null, telegramChatId: null, linkedAt: null, contactPrefs: DbNull, consentAt: null },
    });
    await tx.youthRequest.updateMany({ where: { youthId: id }, data: { message: null } });
    await tx.linkCode.updateMany({ where: { youthId: id, usedAt: null, revokedAt: null }, data: { revokedAt: new Date() } });
    // Queued messages to them go too (the delivery check would drop them anyway: see core/outbox.ts youthReachable).
    await tx.notification.deleteMany({ where: { youthId: id, status: 'pending', kind: { in: ['mission_proposal', 'mission_alert', 'appointment_reminder'] } } });
    await tx.savedSearch.deleteMany({ where: { youthId: id } });
    await tx.alertedMission.deleteMany({ where: { youthId: id } });
  });
}

/** Everything stored about one youth, for the right of access (exported as JSON by the counsellor). */
export async function exportYouthData(db: Db, youthId: number) {
  const id = parseInput(idSchema, youthId, 'youth id');
  return db.youth.findUnique({
    where: { id },
    include: {
      missionLocale: { select: { name: true } },
      counsellor: { select: { firstName: true, lastName: true, email: true } },
      barriers: true,
      applications: { include: { mission: { select: { title: true, communeName: true } } } },
      placements: { include: { mission: { select: { title: true } } } },
      interactions: true,
      appointments: true,
      requests: true,
    },
  });
}

export interface PurgeResult {
  anonymisedYouth: number;
}

/**
 * Anonymises youth who exited the programme before `exitedBefore` (pass-emploi's two-year rule): names,
 * contact details, birth date, channel identity and free-text notes go; placements stay for the programme figures.
 * Idempotent: already anonymised files are skipped.
 */
export async function anonymiseExitedYouth(db: Db, exitedBefore: Date): Promise<PurgeResult> {
  const targets = await db.youth.findMany({ where: { status: 'exited', exitDate: { lt: exitedBefore }, anonymizedAt: null }, select: { id: true } });
  for (const { id } of targets) {
    await db.$transaction(async (tx) => {
      await tx.youth.update({
        where: { id },
        data: {
          firstName: 'Anonyme',
          lastName: `#${id}`,
          searchName: `anonyme ${id}`,
          birthDate: null,
          phone: null,
          email: null,
          telegramUserId: null,
          telegramChatId: null,
          linkedAt: null,
          consentAt: null,
          contactPrefs: DbNull,
          anonymizedAt: new Date(),
        },
      });
      await tx.interaction.updateMany({ where: { youthId: id }, data: { note: null } });
      await tx.barrier.updateMany({ where: { youthId: id }, data: { note: null } });
      await tx.youthRequest.updateMany({ where: { youthId: id }, data: { message: null } });
      await tx.appointment.updateMany({ where: { youthId: id }, data: { purpose: null } });
      await tx.linkCode.deleteMany({ where: { youthId: id } });
    });
  }
  return { anonymisedYouth: targets.length };
}
