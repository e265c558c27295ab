import { describe, expect, it } from 'vitest';
import { loadPrompt } from '../../src/llm/prompts.js';
import { ungroundedTokens } from '../../src/llm/grounding.js';
import { createRephraser, replyFacts } from '../../src/llm/rephrase.js';
import type { Reply } from '../../src/core/types.js';
import { capturingLogger } from '../helpers/logs.js';
import { FakeToolChatModel } from './fake-model.js';

const reply: Reply = {
  blocks: [
    { type: 'text', segments: ['J’ai trouvé ', { bold: '2 missions' }, ' à Villeurbanne qui commencent avant le 15 décembre.'] },
    {
      type: 'cards',
      cards: [
        { ref: '1', title: 'Préparateur de commandes', subtitle: 'Interim Rhône', fields: [{ label: 'Salaire', value: '12,40 € brut/h' }], buttons: [] },
        { ref: '2', title: 'Agent de quai', subtitle: 'TempoPlus', fields: [{ label: 'Contact', value: '04 72 00 11 22' }], buttons: [] },
      ],
    },
    { type: 'buttons', buttons: [{ label: 'Voir plus', action: 'm:2' }] },
  ],
};

function rephraser(text: string) {
  const logs = capturingLogger('debug');
  const model = new FakeToolChatModel(() => ({ text }));
  return { rephrase: createRephraser({ model, prompt: loadPrompt('rephrase'), log: logs.log, timeoutMs: 1000 }), logs, model };
}

describe('grounded phrasing', () => {
  it('uses a rewording that only repeats the reply’s facts, and keeps cards and buttons as they were', async () => {
    const { rephrase } = rephraser('Bonne nouvelle ! Il y a 2 missions à Villeurbanne qui démarrent avant le 15 décembre, regarde :');
    const out = await rephrase(reply, 'youth');
    expect(out.blocks[0]).toEqual({ type: 'text', segments: ['Bonne nouvelle ! Il y a 2 missions à Villeurbanne qui démarrent avant le 15 décembre, regarde :'] });
    expect(out.blocks.slice(1)).toEqual(reply.blocks.slice(1));
  });

  it.each([
    ['adds a mission', 'Il y a 2 missions à Villeurbanne, dont une de Cariste chez Adecco, avant le 15 décembre.'],
    ['changes an amount', 'Il y a 2 missions à Villeurbanne avant le 15 décembre, payées 14,50 € de l’heure.'],
    ['changes a phone number', 'Il y a 2 missions à Villeurbanne avant le 15 décembre : appelle le 04 72 99 99 99.'],
    ['changes a date', 'Il y a 2 missions à Villeurbanne qui commencent avant le 20 décembre.'],
    ['adds a link', 'Il y a 2 missions à Villeurbanne avant le 15 décembre, voir https://example.org/offres.'],
    ['names a person', 'Il y a 2 missions à Villeurbanne avant le 15 décembre, demande à Karim Benali.'],
  ])('refuses a rewording that %s, and sends the plain reply', async (_what, text) => {
    const { rephrase, logs } = rephraser(text);
    expect(await rephrase(reply, 'youth')).toBe(reply);
    const line = logs.lines.map((l) => JSON.parse(l)).find((l) => l.msg === 'rephrase');
    expect(line).toMatchObject({ outcome: 'refused' });
    expect(logs.lines.join('\n')).not.toContain(text.slice(10, 40));
  });

  it('keeps the reply when the model fails', async () => {
    const logs = capturingLogger('debug');
    const model = new FakeToolChatModel(() => ({ error: new Error('boom') }));
    const rephrase = createRephraser({ model, prompt: loadPrompt('rephrase'), log: logs.log, timeoutMs: 1000 });
    expect(await rephrase(reply, 'youth')).toBe(reply);
  });

  it('the guard accepts facts found anywhere in the reply, whatever their case or spacing', () => {
    const facts = replyFacts(reply);
    expect(ungroundedTokens('Appelle TempoPlus au 04.72.00.11.22 pour l’Agent de quai à 12,40 €.', facts)).toEqual([]);
    expect(ungroundedTokens('Appelle au 04 72 00 11 23.', facts)).toEqual(['phones:0472001123']);
  });
});

describe('withRephrasing', () => {
  it('rewords what the core answered, addressing counsellors on Teams and young people elsewhere, and leaves duplicates alone', async () => {
    const audiences: string[] = [];
    const budgets: number[] = [];
    const rephrase = async (r: Reply, audience: 'youth' | 'counsellor', budgetMs?: number) => {
      audiences.push(audience);
      budgets.push(budgetMs ?? -1);
      return { ...r, blocks: [{ type: 'text' as const, segments: ['reformulé'] }] };
    };
    const { withRephrasing } = await import('../../src/llm/rephrase.js');
    const core = {
      handle: async (e: { eventId: string }) => {
        if (e.eventId === 'slow') await new Promise((r) => setTimeout(r, 300));
        return { reply, duplicate: e.eventId === 'dup' };
      },
    };
    const decorated = withRephrasing(core, rephrase, 1000);
    const base = { channelUserId: 'u', channelConversationId: 'c', text: 'x', receivedAt: new Date() };
    expect((await decorated.handle({ ...base, channel: 'teams', eventId: 'a' })).reply.blocks[0]).toEqual({ type: 'text', segments: ['reformulé'] });
    await decorated.handle({ ...base, channel: 'telegram', eventId: 'b' });
    expect((await decorated.handle({ ...base, channel: 'telegram', eventId: 'dup' })).reply).toBe(reply);
    await decorated.handle({ ...base, channel: 'telegram', eventId: 'slow' });
    expect(audiences).toEqual(['counsellor', 'youth', 'youth']);
    // The rewording only gets what the turn left of the one time-out.
    expect(budgets[0]).toBeLessThanOrEqual(1000);
    expect(budgets[2]).toBeLessThanOrEqual(700);
  });

  it('does not ask the model when the turn has used up the time-out', async () => {
    const { rephrase, model } = rephraser('Il y a 2 missions à Villeurbanne avant le 15 décembre.');
    expect(await rephrase(reply, 'youth', 50)).toBe(reply);
    expect(model.calls).toHaveLength(0);
  });
});
