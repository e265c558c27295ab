import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { zipSync } from 'fflate';
import { PLACEHOLDER_BOT_ID, renderManifest } from './manifest.js';

export { PLACEHOLDER_BOT_ID } from './manifest.js';

interface PackageResult {
  file: string;
  botId: string;
  placeholder: boolean;
  bytes: number;
}

/** A fixed entry date (the ZIP format's earliest), so the same inputs give the same bytes. */
const ENTRY_DATE = new Date(1980, 0, 1);

/**
 * Builds the Teams app package (manifest.json, color.png 192x192, outline.png 32x32) from
 * appPackage/manifest.template.json and the committed icons into appPackage/build/mission-jeunes.zip. Without a
 * bot id, only a demo package (`options.demo`) is built, with the placeholder id.
 */
export function buildTeamsPackage(root: string, botId: string | undefined, options: { demo?: boolean } = {}): PackageResult {
  const id = botId?.trim() || PLACEHOLDER_BOT_ID;
  const dir = path.join(root, 'appPackage');
  const manifest = renderManifest(readFileSync(path.join(dir, 'manifest.template.json'), 'utf8'), id, options);
  const zip = zipSync(
    {
      'manifest.json': new TextEncoder().encode(`${JSON.stringify(manifest, null, 2)}\n`),
      // PNGs are already deflated: stored as they are.
      'color.png': [readFileSync(path.join(dir, 'color.png')), { level: 0 }],
      'outline.png': [readFileSync(path.join(dir, 'outline.png')), { level: 0 }],
    },
    { level: 9, mtime: ENTRY_DATE },
  );
  mkdirSync(path.join(dir, 'build'), { recursive: true });
  const file = path.join(dir, 'build', 'mission-jeunes.zip');
  writeFileSync(file, zip);
  return { file, botId: id, placeholder: id === PLACEHOLDER_BOT_ID, bytes: zip.length };
}
