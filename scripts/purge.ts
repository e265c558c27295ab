/**
 * `npm run purge`: retention. Deletes dialogue states and delivery ids older than STATE_RETENTION_DAYS and
 * anonymises youth who exited more than EXITED_RETENTION_DAYS ago (two years by default, pass-emploi's rule).
 * Idempotent: run it daily from cron; a second run changes nothing.
 */
import { loadConfig } from '../src/config.js';
import { openStore } from '../src/store/bootstrap.js';

const config = loadConfig();
const opened = await openStore({ url: config.DATABASE_URL });
try {
  const now = Date.now();
  const stateBefore = new Date(now - config.STATE_RETENTION_DAYS * 86_400_000);
  const states = await opened.store.conversation.purgeConversationStates(stateBefore);
  const deliveries = await opened.store.conversation.purgeProcessedEvents(stateBefore);
  const { anonymisedYouth } = await opened.store.dataRights.anonymiseExitedYouth(new Date(now - config.EXITED_RETENTION_DAYS * 86_400_000));
  console.log(JSON.stringify({ conversationStatesDeleted: states, deliveryIdsDeleted: deliveries, youthAnonymised: anonymisedYouth }));
} finally {
  await opened.connection.close();
}
