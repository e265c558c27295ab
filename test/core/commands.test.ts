import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqliteTestDatabase, type TestDatabase } from '../helpers/db.js';
import { Conversation, testAssistant } from '../helpers/conversation.js';
import { COMMANDS, readCommand } from '../../src/core/commands.js';
import type { Assistant } from '../../src/core/types.js';

let db: TestDatabase;
let assistant: Assistant;

beforeAll(async () => {
  db = await sqliteTestDatabase();
  assistant = testAssistant(db);
});
afterAll(async () => db.close());

/** A slash command as the Telegram adapter hands it over (the core's own reading of it). */
async function command(c: Conversation, typed: string): Promise<string> {
  const input = readCommand(typed);
  if (!input) throw new Error(`not a command: ${typed}`);
  return c.send(input);
}

describe('slash commands (the core’s table)', () => {
  it('/cancel abandons a pending question: a later "oui" no longer confirms the deletion', async () => {
    const lea = await db.connection.db.youth.findFirstOrThrow({ where: { firstName: 'Léa', lastName: 'Martin' } });
    const c = new Conversation(assistant, 'terminal', `youth:${lea.id}`);
    await c.say('supprimer mes données');
    const state = await db.store.conversation.loadConversationState('terminal', `youth:${lea.id}`);
    expect((state as { pending?: { kind: string } }).pending?.kind).toBe('confirm_delete');
    expect(await command(c, '/cancel')).toMatch(/C’est annulé/);
    const after = await db.store.conversation.loadConversationState('terminal', `youth:${lea.id}`);
    expect((after as { pending?: unknown }).pending).toBeUndefined();
    await c.say('oui');
    expect(await db.connection.db.youth.findUniqueOrThrow({ where: { id: lea.id } })).toMatchObject({ firstName: 'Léa' });
    expect(await command(c, '/cancel')).toMatch(/rien en cours à annuler/);
  });

  it('/help lists every command of the menu, then what the bot can do', async () => {
    const c = new Conversation(assistant, 'telegram', '990001');
    const shown = await command(c, '/help');
    for (const entry of COMMANDS.filter((x) => x.command !== 'start')) expect(shown).toContain(`/${entry.command} : ${entry.description}`);
    expect(c.buttonLabels().length).toBeGreaterThan(0);
  });

  it('/settings says what notifications exist for now', async () => {
    const c = new Conversation(assistant, 'telegram', '990002');
    expect(await command(c, '/settings')).toMatch(/Réglages[\s\S]*alertes/);
  });

  it('/rdv for an anonymous user is the appointment journey (the link-first answer), not an NLU guess', async () => {
    const c = new Conversation(assistant, 'telegram', '990003');
    await command(c, '/rdv');
    expect(c.last?.intent).toBe('action:intent');
  });
});
