import { Conversation } from '../../helpers/conversation.js';
import type { TestDatabase } from '../../helpers/db.js';
import type { Assistant, Block, Reply } from '../../../src/core/types.js';

/** AAD object ids of the demo counsellors (prisma/seed/demo.json). */
export const AAD = {
  sophie: '00000000-0000-4000-8000-000000000001',
  marc: '00000000-0000-4000-8000-000000000002',
  nadia: '00000000-0000-4000-8000-000000000003',
  julien: '00000000-0000-4000-8000-000000000004',
  claire: '00000000-0000-4000-8000-000000000005',
  thomas: '00000000-0000-4000-8000-000000000006',
} as const;

/** A counsellor talking to the core through the Teams channel identity. */
export function counsellor(assistant: Assistant, who: keyof typeof AAD): Conversation {
  return new Conversation(assistant, 'teams', AAD[who]);
}

export async function counsellorRow(db: TestDatabase, who: keyof typeof AAD) {
  return db.connection.db.counsellor.findUniqueOrThrow({ where: { aadObjectId: AAD[who] } });
}

export async function youthId(db: TestDatabase, first: string, last: string, counsellorId?: number): Promise<number> {
  const y = await db.connection.db.youth.findFirstOrThrow({ where: { firstName: first, lastName: last, ...(counsellorId ? { counsellorId } : {}) }, orderBy: { id: 'asc' } });
  return y.id;
}

/** Youth ids of the cards of a reply (each card's "open the file" button carries `ys:<id>`). */
export function listedYouthIds(reply: Reply): number[] {
  const ids: number[] = [];
  for (const b of reply.blocks) {
    if (b.type !== 'cards') continue;
    for (const c of b.cards) {
      const open = c.buttons.find((x) => x.action.startsWith('ys:'));
      if (open) ids.push(Number(open.action.slice(3)));
    }
  }
  return ids;
}

/** Follows "voir plus" until the end; returns every youth id listed and the number of pages. */
export async function collectAllPages(convo: Conversation): Promise<{ ids: number[]; pages: number }> {
  const ids = listedYouthIds(convo.reply);
  let pages = 1;
  while (convo.buttonLabels().some((l) => l.startsWith('Voir plus'))) {
    await convo.press('Voir plus');
    ids.push(...listedYouthIds(convo.reply));
    pages++;
    if (pages > 50) throw new Error('paging does not end');
  }
  return { ids, pages };
}

export function factsOf(reply: Reply): Extract<Block, { type: 'facts' }>['facts'] {
  return reply.blocks.flatMap((b) => (b.type === 'facts' ? b.facts : []));
}

export function factValue(reply: Reply, label: string): string | undefined {
  return factsOf(reply).find((f) => f.label === label)?.value;
}

/** Every action string of a reply, to check no button leaks an id. */
export function allActions(reply: Reply): string[] {
  const out: string[] = [];
  for (const b of reply.blocks) {
    if (b.type === 'buttons') out.push(...b.buttons.map((x) => x.action));
    if (b.type === 'cards') {
      for (const c of b.cards) out.push(...c.buttons.map((x) => x.action));
      if (b.more) out.push(b.more.action);
    }
    if (b.type === 'facts') for (const f of b.facts) if (f.action) out.push(f.action);
  }
  return out;
}

const DAY = 86_400_000;
type Scope = { counsellorId: number } | { missionLocaleId: number };

/**
 * The caseload recomputed independently: every youth of the scope with all their rows, filtered in plain
 * JavaScript (not the repository's Prisma filters under test).
 */
export async function independentCaseload(db: TestDatabase, scope: Scope) {
  const now = db.now;
  const rows = await db.connection.db.youth.findMany({
    where: scope,
    include: { placements: true, interactions: true, barriers: true, applications: true, requests: true },
  });
  const followed = rows.filter((y) => y.status !== 'exited' && y.anonymizedAt === null);
  const startOfDay = new Date(now);
  startOfDay.setUTCHours(0, 0, 0, 0);
  const ids = (list: typeof followed) => list.map((y) => y.id).sort((a, b) => a - b);
  return {
    followed,
    withoutMission: (days: number) => ids(followed.filter((y) => y.placements.every((p) => p.endDate.getTime() < now.getTime() - days * DAY))),
    withoutContact: (days: number) => ids(followed.filter((y) => y.interactions.every((i) => i.at.getTime() < now.getTime() - days * DAY))),
    endingSoon: (days: number) =>
      ids(followed.filter((y) => y.placements.some((p) => p.startDate <= now && p.endDate >= startOfDay && p.endDate.getTime() <= now.getTime() + days * DAY))),
    withBarrier: (topic?: string) => ids(followed.filter((y) => y.barriers.some((b) => (b.status === 'open' || b.status === 'in_progress') && (!topic || b.topic === topic)))),
    inMissionNow: followed.filter((y) => y.placements.some((p) => p.startDate <= now && p.endDate >= startOfDay)).length,
    pendingApplications: followed.reduce((n, y) => n + y.applications.filter((a) => a.status === 'sent' && a.source === 'youth').length, 0),
    openRequests: followed.reduce((n, y) => n + y.requests.filter((r) => r.status === 'open').length, 0),
    barriersByTopic: (topic: string) => followed.reduce((n, y) => n + y.barriers.filter((b) => b.topic === topic && (b.status === 'open' || b.status === 'in_progress')).length, 0),
  };
}

export const sorted = (ids: number[]) => [...ids].sort((a, b) => a - b);
