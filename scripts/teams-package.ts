/**
 * `npm run teams:package`: builds appPackage/build/mission-jeunes.zip (manifest + icons) to upload in Teams.
 * The bot id comes from MICROSOFT_APP_ID; without it the build is refused, unless `-- --demo` asks for a demo
 * package with a placeholder GUID (with a warning).
 */
import { buildTeamsPackage } from '../bots/teams/app-package/index.js';
import { repoRoot } from '../src/store/database-url.js';

let result;
try {
  result = buildTeamsPackage(repoRoot, process.env.MICROSOFT_APP_ID, { demo: process.argv.includes('--demo') });
} catch (err) {
  console.error(`teams:package: ${(err as Error).message}`);
  process.exit(1);
}
if (result.placeholder) {
  console.warn(`⚠️  MICROSOFT_APP_ID is not set: the package uses the placeholder bot id ${result.botId}. Set it to your Azure Bot's app id before uploading to Teams.`);
}
console.log(`Teams app package: ${result.file} (${result.bytes} bytes, bot ${result.botId})`);
