import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqliteTestDatabase, type TestDatabase } from '../helpers/db.js';
import { Conversation, testAssistant } from '../helpers/conversation.js';
import { capturingLogger, leaks, personalValues } from '../helpers/logs.js';
import { bindStore } from '../../src/store/index.js';
import { connect } from '../../src/store/client.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await sqliteTestDatabase();
});
afterAll(async () => db.close());

describe('logging hygiene of the core', () => {
  it('logs ids and intents at info level, never texts, names, phones or e-mails, even on errors', async () => {
    const { log, lines } = capturingLogger('debug');
    const assistant = testAssistant(db, { log });
    const youth = new Conversation(assistant, 'telegram', '9300001');
    const counsellor = new Conversation(assistant, 'teams', '00000000-0000-4000-8000-000000000001');
    const secretText = 'je m appelle Léa Martin mon numero 06 00 11 22 33';
    await youth.say(secretText);
    await youth.say('jcherche 1 taf a lyon');
    await youth.say('ça m’intéresse la 1');
    await counsellor.say('fiche de Léa Martin');
    await counsellor.say('note pour Kevin Bernard : appelé, très motivé, numéro 06 99 88 77 66');
    await counsellor.say('code de liaison pour Léa Martin');
    // A failing store: the error path logs too.
    const dead = connect('postgresql://postgres@127.0.0.1:1/nothing');
    await new Conversation(testAssistant({ ...db, store: bindStore(dead.db) }, { log }), 'telegram', '9300002').say('Kevin Bernard cherche un taf');
    await dead.close();

    expect(lines.length).toBeGreaterThan(5);
    const found = leaks(lines, [...(await personalValues(db)), secretText, '06 00 11 22 33', '06 99 88 77 66', 'très motivé']);
    expect(found).toEqual([]);
    const turn = lines.map((l) => JSON.parse(l)).find((l) => l.msg === 'turn');
    expect(turn).toMatchObject({ channel: 'telegram', actor: 'anonymous' });
    expect(turn.intent).toBeDefined();
  });
});
