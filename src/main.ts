/**
 * `npm start`: the whole service on one HTTP port: /healthz, the Teams endpoint, the Telegram webhook (or
 * long polling), and the notification delivery loop. With no configuration it runs on the embedded SQLite
 * file, migrated and seeded on first start.
 */
import { loadConfig } from './config.js';
import { createLogger } from './shared/logger.js';
import { startApp } from './app.js';
import { createTelegramChannel } from '../bots/telegram/index.js';
import { createTeamsChannel } from '../bots/teams/index.js';

const config = loadConfig();
const log = createLogger(config.LOG_LEVEL);

try {
  const app = await startApp({ config, log, channels: [createTelegramChannel, createTeamsChannel], runScheduledJobs: true });
  log.info({ url: app.url, database: app.url ? config.DATABASE_URL.replace(/\/\/[^@]*@/, '//***@') : undefined }, 'Mission Jeunes assistant started');
  for (const c of app.channels) log.info({ channel: c.name, status: c.status() }, 'channel');
  console.log(`\nAssistant Mission Jeunes prêt sur ${app.url}  (santé : ${app.url}/healthz)`);
  console.log('Essayer sans jeton : npm run chat -- --as youth   |   npm run chat -- --as counsellor\n');
  const shutdown = async (signal: string) => {
    log.info({ signal }, 'stopping');
    await app.stop();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
} catch (err) {
  log.fatal({ type: (err as Error).name, message: (err as Error).message }, 'start-up failed');
  process.exit(1);
}
