import { createTelegramChannel, type TelegramChannel } from '../../../bots/telegram/index.js';
import { startApp, type App } from '../../../src/app.js';
import { loadConfig } from '../../../src/config.js';
import type { TestDatabase } from '../../helpers/db.js';
import { emulatorShim } from './emulator.js';
import { capturingLogger } from '../../helpers/logs.js';

/** Everything the app logs during a test file, at debug level, for the log-hygiene scan. */
export const appLogs = capturingLogger('debug');

/** The real service (store, core, HTTP server, delivery loop) with the Telegram channel pointed at the emulator. */
export async function startTelegramApp(db: TestDatabase, env: Record<string, string>): Promise<{ app: App; telegram: TelegramChannel }> {
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', NOTIFY_INTERVAL_MS: '200', TELEGRAM_BOT_USERNAME: 'TestNameBot', ...env });
  let telegram: TelegramChannel | undefined;
  const app = await startApp({
    config,
    log: appLogs.log,
    channels: [(deps) => (telegram = createTelegramChannel(deps, { transformers: [emulatorShim] }))],
    now: () => db.now,
    opened: { store: db.store, connection: db.connection },
  });
  return { app, telegram: telegram! };
}

/** Asks the core, as the demo counsellor Sophie Durand, for a link code for a youth; returns the clear code. */
export async function linkCodeFor(app: App, youthName: string, now: Date): Promise<string> {
  const as = (input: { text?: string; action?: string }) =>
    app.assistant.handle({
      channel: 'terminal',
      channelUserId: 'counsellor:sophie.durand@ml-lyon.demo.invalid',
      channelConversationId: 'counsellor:sophie.durand@ml-lyon.demo.invalid',
      ...input,
      receivedAt: now,
      eventId: `link-code-${Math.random()}`,
    });
  // Creating a code invalidates the previous ones: the core asks the counsellor to confirm first.
  const asked = await as({ text: `code de liaison pour ${youthName}` });
  const confirm = asked.reply.blocks.flatMap((b) => (b.type === 'buttons' ? b.buttons : [])).find((b) => b.style === 'primary');
  const result = confirm ? await as({ action: confirm.action }) : asked;
  const code = /«\s*code ([2-9A-HJ-NP-Z]{8})\s*»|\b([2-9A-HJ-NP-Z]{8})\b/.exec(JSON.stringify(result.reply));
  const value = code?.[1] ?? code?.[2];
  if (!value) throw new Error(`no link code in the counsellor's reply: ${JSON.stringify(result.reply)}`);
  return value;
}
