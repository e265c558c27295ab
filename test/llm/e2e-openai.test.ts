import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqliteTestDatabase, type TestDatabase } from '../helpers/db.js';
import type { App } from '../../src/app.js';
import { AAD } from '../core/counsellor/helpers.js';
import { post, startReceiver, startTeamsApp, teamsAppLogs, teamsMessage } from '../teams/helpers.js';
import { personalValues } from '../helpers/logs.js';
import { understand as deterministic } from '../../src/nlu/index.js';
import { startOpenAiCompatibleServer, userMessage, type ChatRequest } from './openai-server.js';

/**
 * The route end to end: the real service (Teams HTTP path), LangChain's real OpenAI provider over HTTP, and a
 * local server speaking the chat-completions protocol in place of the model.
 */
let db: TestDatabase;
let app: App;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let model: Awaited<ReturnType<typeof startOpenAiCompatibleServer>>;

const UNSURE = 'qui sont ceux qui bossent pas en ce moment';

function decide(req: ChatRequest): Record<string, unknown> {
  const text = userMessage(req);
  const person = text.match(/\[PERSONNE_\d+\]/)?.[0];
  if (person) return { intent: 'youth_summary', confidence: 0.9, entities: { person } };
  if (text.includes('bossent pas')) return { intent: 'youth_without_mission', confidence: 0.9, entities: {} };
  return { intent: 'out_of_scope', confidence: 0.5, entities: {} };
}

beforeAll(async () => {
  db = await sqliteTestDatabase();
  receiver = await startReceiver();
  model = await startOpenAiCompatibleServer(decide);
  app = await startTeamsApp(db, {
    LLM_PROVIDER: 'openai',
    LLM_MODEL: 'local-test-model',
    LLM_BASE_URL: model.url,
    LLM_API_KEY: 'sk-local-test',
    LLM_CONFIDENCE_THRESHOLD: '0.99',
    LLM_ROLES: 'counsellor',
  });
});
afterAll(async () => {
  await app?.stop();
  await receiver?.close();
  await model?.close();
  await db?.close();
});

async function say(text: string) {
  const before = receiver.received.length;
  const linesBefore = teamsAppLogs.lines.length;
  const res = await post(app.url, teamsMessage(receiver.url, AAD.sophie, { text }));
  expect(res.status).toBe(200);
  const logs = teamsAppLogs.lines.slice(linesBefore).map((l) => JSON.parse(l) as Record<string, unknown>);
  return { sent: receiver.received.slice(before).filter((a) => a.body.type === 'message').map((a) => a.body), turn: logs.find((l) => l.msg === 'turn'), route: logs.find((l) => l.msg === 'understanding') };
}

describe('LLM route over HTTP with @langchain/openai', () => {
  it('changes the understanding of a message the NLU was unsure about', async () => {
    const nlu = deterministic(UNSURE, 'counsellor');
    expect(nlu.intent).not.toBe('youth_without_mission');
    const { sent, turn, route } = await say(UNSURE);
    expect(route).toMatchObject({ route: 'llm', intent: 'youth_without_mission', deterministic: nlu.intent });
    expect(turn).toMatchObject({ intent: 'youth_without_mission' });
    expect(sent).toHaveLength(1);
    expect(JSON.stringify(sent[0])).toMatch(/sans mission/i);
    // The request was a real tool call with the role's intent catalogue as the enum.
    const req = model.requests.at(-1)!;
    expect(req.model).toBe('local-test-model');
    expect(JSON.stringify(req.tools ?? req.response_format)).toContain('youth_without_mission');
  });

  it('maps the placeholder of a name back and opens the file, without the name leaving the process', async () => {
    const { turn, route, sent } = await say('tu peux me sortir le dossier de Léa Martin stp');
    expect(route).toMatchObject({ route: 'llm', intent: 'youth_summary' });
    expect(turn).toMatchObject({ intent: 'youth_summary' });
    expect(JSON.stringify(sent)).toContain('Léa');
  });

  it('the model server never received personal data from the store', async () => {
    expect(model.requests.length).toBeGreaterThanOrEqual(2);
    const everything = JSON.stringify(model.requests);
    const personal = await personalValues(db);
    expect(personal.length).toBeGreaterThan(20);
    expect(personal.filter((v) => everything.includes(v))).toEqual([]);
    expect(everything).not.toMatch(/Léa|Martin/);
  });
});
