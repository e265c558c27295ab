/** `npm run audit -- --youth <id>`: a youth's access history (who read or changed what, when, through which channel). */
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config.js';
import { openStore } from '../src/store/bootstrap.js';

const { values } = parseArgs({ options: { youth: { type: 'string' }, json: { type: 'boolean', default: false } } });
if (!values.youth || !/^\d+$/.test(values.youth)) {
  console.error('usage: npm run audit -- --youth <id> [--json]');
  process.exit(2);
}
const opened = await openStore({ url: loadConfig().DATABASE_URL });
try {
  const events = await opened.store.audit.auditHistoryForYouth(Number(values.youth));
  if (values.json) console.log(JSON.stringify(events));
  else if (events.length === 0) console.log(`No audit event for youth ${values.youth}.`);
  else for (const e of events) console.log(`${e.at.toISOString()}  ${e.actorType}:${e.actorId}  ${e.action}  ${e.channel ?? '-'}  ${e.detail ? JSON.stringify(e.detail) : ''}`);
} finally {
  await opened.connection.close();
}
