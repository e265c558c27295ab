/**
 * `npm run teams:package`: builds appPackage/build/mission-jeunes.zip (manifest + icons) to upload in Teams.
 * The bot id comes from MICROSOFT_APP_ID; without it a placeholder GUID is used, with a warning.
 */
import { buildTeamsPackage } from '../bots/teams/app-package/index.js';
import { repoRoot } from '../src/store/database-url.js';

const result = buildTeamsPackage(repoRoot, process.env.MICROSOFT_APP_ID);
if (result.placeholder) {
  console.warn(`⚠️  MICROSOFT_APP_ID is not set: the package uses the placeholder bot id ${result.botId}. Set it to your Azure Bot's app id before uploading to Teams.`);
}
console.log(`Teams app package: ${result.file} (${result.bytes} bytes, bot ${result.botId})`);
