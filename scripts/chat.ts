/**
 * `npm run chat -- --as youth|counsellor [--user <youth id | counsellor email>]`: talk to the core in the
 * terminal against the configured store, no token needed. Buttons are numbered: type the number to press one.
 * Without --user, a youth is anonymous and a counsellor is the demo's Sophie Durand.
 */
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { randomUUID } from 'node:crypto';
import { coreConfigFrom, loadConfig } from '../src/config.js';
import { createLogger } from '../src/shared/logger.js';
import { openStore } from '../src/store/bootstrap.js';
import { createAssistant } from '../src/core/assistant.js';
import { createLanguageRoute } from '../src/llm/index.js';
import { renderPlainText } from '../src/core/plain-text.js';

const { values } = parseArgs({ options: { as: { type: 'string', default: 'youth' }, user: { type: 'string' } } });
const role = values.as === 'counsellor' ? 'counsellor' : 'youth';
const channelUserId =
  role === 'counsellor' ? `counsellor:${values.user ?? 'sophie.durand@ml-lyon.demo.invalid'}` : values.user ? `youth:${values.user}` : `anon:${randomUUID().slice(0, 8)}`;

const config = loadConfig();
const log = createLogger(process.env.LOG_LEVEL ?? 'silent');
const language = await createLanguageRoute(config, log);
const opened = await openStore({ url: config.DATABASE_URL, ...(config.SEED_DEMO === undefined ? {} : { seedIfEmpty: config.SEED_DEMO }) });
const core = createAssistant({
  store: opened.store,
  log,
  config: coreConfigFrom(config),
  understand: language?.understand,
});
const assistant = language ? language.decorate(core) : core;

let lastActions: string[] = [];
let n = 0;
async function send(input: { text?: string; action?: string }) {
  const result = await assistant.handle({
    channel: 'terminal',
    channelUserId,
    channelConversationId: channelUserId,
    ...input,
    receivedAt: new Date(),
    eventId: `terminal-${process.pid}-${++n}`,
  });
  const { text, actions } = renderPlainText(result.reply);
  lastActions = actions;
  process.stdout.write(`${text}\n> `);
}

const interactive = process.stdin.isTTY;
if (interactive) console.log(`Mission Jeunes — conversation en tant que ${role === 'counsellor' ? 'conseiller' : 'jeune'} (${channelUserId}). Ctrl+D pour quitter.`);
process.stdout.write('> ');
const rl = createInterface({ input: process.stdin });
const queue: string[] = [];
let busy = false;
rl.on('line', (line) => {
  queue.push(line);
  void drain();
});
rl.on('close', () => {
  const wait = setInterval(() => {
    if (!busy && queue.length === 0) {
      clearInterval(wait);
      process.stdout.write('\n');
      void opened.connection.close().then(() => process.exit(0));
    }
  }, 20);
});
// Lines are handled one at a time, in order, so a scripted conversation reads like a typed one.
async function drain() {
  if (busy) return;
  busy = true;
  while (queue.length) {
    const line = queue.shift()!.trim();
    const pressed = /^\d{1,2}$/.test(line) ? lastActions[Number(line) - 1] : undefined;
    await send(pressed ? { action: pressed } : { text: line });
  }
  busy = false;
}
