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
  const app = await startApp({ config, log, channels: [createTelegramChannel, createTeamsChannel], runScheduledJobs: true, routeLibraryConsole: true });
  log.info({ url: app.url, database: app.url ? config.DATABASE_URL.replace(/\/\/[^@]*@/, '//***@') : undefined }, 'Mission Jeunes assistant started');
  for (const c of app.channels) log.info({ channel: c.name, status: c.status() }, 'channel');
  console.log(`\nAssistant Mission Jeunes prêt sur ${app.url}  (santé : ${app.url}/healthz)`);
  console.log('Essayer sans jeton : npm run chat -- --as youth   |   npm run chat -- --as counsellor\n');
  // SIGTERM (an orchestrator, systemd) or Ctrl+C: stop taking updates, finish those in flight, close the
  // database, exit 0. The same signal often arrives twice (npm relays it to its child, and a terminal
  // signals the whole process group): repeats are ignored, and a deadline past the grace period bounds the stop.
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping');
    setTimeout(() => {
      log.error({ signal }, 'stop took too long: exiting');
      process.exit(1);
    }, config.SHUTDOWN_GRACE_MS + 10_000).unref();
    try {
      await app.stop();
      process.exit(0);
    } catch (err) {
      log.error({ type: (err as Error).name }, 'stop failed');
      process.exit(1);
    }
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
} catch (err) {
  log.fatal({ type: (err as Error).name, message: (err as Error).message }, 'start-up failed');
  process.exit(1);
}
