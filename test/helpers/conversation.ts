import { createLogger } from '../../src/shared/logger.js';
import { createAssistant } from '../../src/core/assistant.js';
import { renderPlainText } from '../../src/core/plain-text.js';
import type { Assistant, Channel, Reply, TurnResult } from '../../src/core/types.js';
import type { TestDatabase } from './db.js';

let eventCounter = 0;

export function testAssistant(db: TestDatabase, overrides: Partial<Parameters<typeof createAssistant>[0]> = {}): Assistant {
  return createAssistant({
    store: db.store,
    log: createLogger('silent'),
    now: () => db.now,
    config: { linkCodeTtlHours: 72, linkMaxAttempts: 5, linkCooldownMinutes: 15, telegramBotUsername: 'MissionJeunesBot', rateLimitPerMinute: 1000 },
    ...overrides,
  });
}

/**
 * A scripted user of the core: the collecting sink of the conversation tests. `say` sends text, `press`
 * presses a button of the last reply by (part of) its label, and both return the plain-text rendering.
 */
export class Conversation {
  last: TurnResult | undefined;
  private actions: { label: string; action: string }[] = [];
  constructor(
    private readonly assistant: Assistant,
    readonly channel: Channel,
    readonly channelUserId: string,
  ) {}

  async say(text: string): Promise<string> {
    return this.send({ text });
  }

  async press(labelPart: string | RegExp): Promise<string> {
    const found = this.actions.find((a) => (typeof labelPart === 'string' ? a.label.includes(labelPart) : labelPart.test(a.label)));
    if (!found) throw new Error(`no button matching ${String(labelPart)} in: ${this.actions.map((a) => a.label).join(' | ')}`);
    return this.send({ action: found.action });
  }

  async sendAction(action: string): Promise<string> {
    return this.send({ action });
  }

  buttonLabels(): string[] {
    return this.actions.map((a) => a.label);
  }

  /** The action of the button at `index` (0 = first) of the last reply. */
  actionAt(index: number): string | undefined {
    return this.actions[index]?.action;
  }

  actionOf(labelPart: string): string | undefined {
    return this.actions.find((a) => a.label.includes(labelPart))?.action;
  }

  get reply(): Reply {
    return this.last?.reply ?? { blocks: [] };
  }

  /** A message the assistant sent unasked (a proposal, a reminder), as the user sees it: its buttons can be pressed next. */
  receive(reply: Reply): string {
    this.last = { reply, duplicate: false };
    this.actions = collectButtons(reply);
    return renderPlainText(reply).text;
  }

  async send(input: { text?: string; action?: string }, eventId = `t-${process.pid}-${++eventCounter}`): Promise<string> {
    this.last = await this.assistant.handle({
      channel: this.channel,
      channelUserId: this.channelUserId,
      channelConversationId: this.channelUserId.replace(/^\D+/, '') || this.channelUserId,
      ...input,
      receivedAt: new Date(),
      eventId,
    });
    this.actions = collectButtons(this.last.reply);
    return renderPlainText(this.last.reply).text;
  }
}

function collectButtons(reply: Reply): { label: string; action: string }[] {
  const out: { label: string; action: string }[] = [];
  for (const b of reply.blocks) {
    if (b.type === 'buttons') out.push(...b.buttons);
    if (b.type === 'cards') {
      for (const c of b.cards) out.push(...c.buttons);
      if (b.more) out.push(b.more);
    }
    if (b.type === 'facts') for (const f of b.facts) if (f.action) out.push({ label: f.label, action: f.action });
  }
  return out;
}

/** Mission ids shown as cards in a reply, in order (cards carry them in their buttons). */
export function missionIdsIn(reply: Reply): number[] {
  const ids: number[] = [];
  for (const b of reply.blocks) {
    if (b.type !== 'cards') continue;
    for (const c of b.cards) {
      const details = c.buttons.find((x) => /^(md|ap):/.test(x.action));
      if (details) ids.push(Number(details.action.split(':')[1]));
    }
  }
  return ids;
}
