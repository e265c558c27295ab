/**
 * `npm run jobs -- --once [--at <ISO date-time>]`: runs the scheduled jobs due as of that time (default: now),
 * each run at most once (claimed in the store, as the service does), then sends every outgoing message that is
 * due, and exits. For cron-style deployments, catch-up after an outage, and tests. The service (`npm start`)
 * runs the same job definitions on its own schedule.
 */
import { parseArgs } from 'node:util';
import { createTeamsChannel } from '../bots/teams/index.js';
import { createTelegramChannel } from '../bots/telegram/index.js';
import { loadConfig } from '../src/config.js';
import { createDeliveryStack } from '../src/delivery/compose.js';
import { createLogger } from '../src/shared/logger.js';
import { openStore } from '../src/store/bootstrap.js';
import { createInProcessQueue } from '../src/store/jobs.js';

const { values } = parseArgs({ options: { once: { type: 'boolean' }, at: { type: 'string' } } });
if (!values.once) {
  console.error('Usage: npm run jobs -- --once [--at <ISO date-time>]   (the service runs the jobs on its own schedule)');
  process.exit(2);
}
const at = values.at ? new Date(values.at) : new Date();
if (Number.isNaN(at.getTime())) {
  console.error(`--at: not a date-time: ${values.at}`);
  process.exit(2);
}

const config = loadConfig();
const log = createLogger(config.LOG_LEVEL);
const opened = await openStore({ url: config.DATABASE_URL, seedIfEmpty: false });
// Everything runs inline in this call: no job engine needed, the store's claims keep each run and message once.
// The engine's clock is `--at` when it is later than the clock (a message queued for 08:00 goes when run
// `--at` 08:00, not before); a catch-up `--at` in the past still sends what is due now.
const engineNow = () => new Date(Math.max(at.getTime(), Date.now()));
const stack = await createDeliveryStack({ store: opened.store, databaseUrl: opened.url, config, log, jobs: createInProcessQueue(), now: engineNow });
try {
  const assistant = {
    handle: async () => {
      throw new Error('npm run jobs does not take messages');
    },
  };
  const deps = { assistant, delivery: stack.engine, config, log };
  stack.engine.attach([createTelegramChannel(deps), createTeamsChannel(deps)]);
  const ran = await stack.scheduler.runDue(at);
  const delivered = await stack.engine.runDue();
  console.log(JSON.stringify({ at: at.toISOString(), ran, delivered }));
} finally {
  await stack.close();
  await opened.connection.close();
}
