import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { colorIcon, outlineIcon } from './icons.js';
import { PLACEHOLDER_BOT_ID, renderManifest } from './manifest.js';
import { writeZip } from './zip.js';

export { PLACEHOLDER_BOT_ID } from './manifest.js';

export interface PackageResult {
  file: string;
  botId: string;
  placeholder: boolean;
  bytes: number;
}

/**
 * Builds the Teams app package (manifest.json, color.png 192x192, outline.png 32x32) from
 * appPackage/manifest.template.json into appPackage/build/mission-jeunes.zip. Without a bot id, only a demo
 * package (`options.demo`) is built, with the placeholder id.
 */
export function buildTeamsPackage(root: string, botId: string | undefined, options: { demo?: boolean } = {}): PackageResult {
  const id = botId?.trim() || PLACEHOLDER_BOT_ID;
  const manifest = renderManifest(readFileSync(path.join(root, 'appPackage', 'manifest.template.json'), 'utf8'), id, options);
  const zip = writeZip([
    { name: 'manifest.json', data: Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`) },
    { name: 'color.png', data: colorIcon() },
    { name: 'outline.png', data: outlineIcon() },
  ]);
  const dir = path.join(root, 'appPackage', 'build');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'mission-jeunes.zip');
  writeFileSync(file, zip);
  return { file, botId: id, placeholder: id === PLACEHOLDER_BOT_ID, bytes: zip.length };
}
