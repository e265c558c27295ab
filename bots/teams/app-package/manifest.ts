/** A GUID that is obviously not a registered bot: packages built without MICROSOFT_APP_ID carry it. */
export const PLACEHOLDER_BOT_ID = '00000000-0000-4000-8000-00000000b07e';
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Fills the template's `${{BOT_ID}}` placeholders and checks the result is a JSON manifest for that bot.
 * The placeholder id is refused unless `demo` is set: a package for a bot that does not exist would install
 * in Teams and then never answer.
 */
export function renderManifest(template: string, botId: string, options: { demo?: boolean } = {}): Record<string, unknown> {
  if (!GUID.test(botId)) throw new Error(`MICROSOFT_APP_ID must be a GUID, got "${botId}"`);
  if (botId === PLACEHOLDER_BOT_ID && !options.demo) {
    throw new Error('MICROSOFT_APP_ID is not set: set it to your Azure Bot\'s app id, or build a demo package with `npm run teams:package -- --demo`');
  }
  const filled = template.replaceAll('${{BOT_ID}}', botId);
  const left = /\$\{\{[A-Z_]+\}\}/.exec(filled);
  if (left) throw new Error(`manifest template: unknown placeholder ${left[0]}`);
  const manifest = JSON.parse(filled) as Record<string, unknown>;
  const bots = manifest.bots as { botId: string }[] | undefined;
  if (manifest.id !== botId || !bots?.every((b) => b.botId === botId)) throw new Error('manifest template: id and bots[].botId must be ${{BOT_ID}}');
  return manifest;
}
