import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { crc32, inflateRawSync, inflateSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { buildTeamsPackage, PLACEHOLDER_BOT_ID } from '../../bots/teams/app-package/index.js';
import { repoRoot } from '../../src/store/database-url.js';
import { AppManifestUtils } from '@microsoft/app-manifest';

/** A minimal ZIP reader (local headers), checking each entry's CRC with Node's zlib: independent of the zip library. */
function readZip(buf: Buffer): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  let p = 0;
  while (buf.readUInt32LE(p) === 0x04034b50) {
    const method = buf.readUInt16LE(p + 8);
    const crc = buf.readUInt32LE(p + 14);
    const size = buf.readUInt32LE(p + 18);
    const nameLen = buf.readUInt16LE(p + 26);
    const extraLen = buf.readUInt16LE(p + 28);
    const name = buf.subarray(p + 30, p + 30 + nameLen).toString('utf8');
    const body = buf.subarray(p + 30 + nameLen + extraLen, p + 30 + nameLen + extraLen + size);
    const data = method === 8 ? inflateRawSync(body) : Buffer.from(body);
    expect(crc32(data)).toBe(crc);
    out.set(name, data);
    p += 30 + nameLen + extraLen + size;
  }
  expect(buf.readUInt32LE(buf.length - 22)).toBe(0x06054b50);
  return out;
}

/** Width, height and RGBA pixels of an unfiltered 8-bit RGBA PNG (as the committed icons are). */
function readPng(png: Buffer): { width: number; height: number; pixels: Buffer } {
  expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  const width = png.readUInt32BE(16);
  const height = png.readUInt32BE(20);
  const idat: Buffer[] = [];
  for (let p = 8; p < png.length; ) {
    const len = png.readUInt32BE(p);
    const type = png.subarray(p + 4, p + 8).toString('ascii');
    expect(crc32(png.subarray(p + 4, p + 8 + len))).toBe(png.readUInt32BE(p + 8 + len));
    if (type === 'IDAT') idat.push(png.subarray(p + 8, p + 8 + len));
    p += 12 + len;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const pixels = Buffer.alloc(width * height * 4);
  for (let y = 0; y < height; y++) raw.copy(pixels, y * width * 4, y * (width * 4 + 1) + 1, (y + 1) * (width * 4 + 1));
  return { width, height, pixels };
}

describe('teams:package', () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'mj-package-'));
  mkdirSync(path.join(root, 'appPackage'));
  for (const f of ['manifest.template.json', 'color.png', 'outline.png']) copyFileSync(path.join(repoRoot, 'appPackage', f), path.join(root, 'appPackage', f));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('builds a valid zip with the manifest for the configured bot and the two icons', () => {
    const botId = '12345678-1234-4234-8234-123456789abc';
    const result = buildTeamsPackage(root, botId);
    expect(result.placeholder).toBe(false);
    const entries = readZip(readFileSync(result.file));
    expect([...entries.keys()]).toEqual(['manifest.json', 'color.png', 'outline.png']);
    const manifest = JSON.parse(entries.get('manifest.json')!.toString('utf8'));
    expect(manifest.id).toBe(botId);
    expect(manifest.bots[0].botId).toBe(botId);
    expect(manifest.bots[0].commandLists[0].commands.length).toBeLessThanOrEqual(10);
    for (const c of manifest.bots[0].commandLists[0].commands) expect(c.title.length).toBeLessThanOrEqual(32);
    const color = readPng(entries.get('color.png')!);
    expect([color.width, color.height]).toEqual([192, 192]);
    const outline = readPng(entries.get('outline.png')!);
    expect([outline.width, outline.height]).toEqual([32, 32]);
    // Teams wants the outline icon white on transparent only.
    for (let i = 0; i < outline.pixels.length; i += 4) {
      const [r, g, b, a] = outline.pixels.subarray(i, i + 4);
      expect(a === 0 || (r === 255 && g === 255 && b === 255 && a === 255)).toBe(true);
    }
  });

  it('refuses the placeholder bot id unless a demo package is asked for, and refuses an id that is not a GUID', () => {
    expect(() => buildTeamsPackage(root, undefined)).toThrow(/MICROSOFT_APP_ID is not set[\s\S]*--demo/);
    expect(() => buildTeamsPackage(root, PLACEHOLDER_BOT_ID)).toThrow(/--demo/);
    const result = buildTeamsPackage(root, undefined, { demo: true });
    expect(result).toMatchObject({ placeholder: true, botId: PLACEHOLDER_BOT_ID });
    expect(() => buildTeamsPackage(root, 'not-a-guid')).toThrow(/GUID/);
  });

  it('writes a manifest that Microsoft’s published schema accepts: French by default, command hints without a demo name', async () => {
    const entries = readZip(readFileSync(buildTeamsPackage(root, '12345678-1234-4234-8234-123456789abc').file));
    const manifest = JSON.parse(entries.get('manifest.json')!.toString('utf8'));
    expect(await AppManifestUtils.validateAgainstSchema(manifest)).toEqual([]);
    // The validator is not a rubber stamp: an unknown property fails it.
    expect((await AppManifestUtils.validateAgainstSchema({ ...manifest, unknownProperty: 1 })).length).toBeGreaterThan(0);
    expect(manifest.localizationInfo).toEqual({ defaultLanguageTag: 'fr-fr' });
    const demoNames = (await import('../../prisma/seed/demo.json', { with: { type: 'json' } })).default as unknown;
    const firstNames = new Set(JSON.stringify(demoNames).match(/"firstName":\s*"([^"]+)"/g)?.map((m) => m.split('"')[3]) ?? []);
    expect(firstNames.size).toBeGreaterThan(0);
    for (const c of manifest.bots[0].commandLists[0].commands as { title: string; description: string }[]) {
      for (const name of firstNames) expect(`${c.title} ${c.description}`).not.toMatch(new RegExp(`\\b${name}\\b`));
    }
  });

  it('is reproducible byte for byte', () => {
    const a = readFileSync(buildTeamsPackage(root, PLACEHOLDER_BOT_ID, { demo: true }).file);
    const b = readFileSync(buildTeamsPackage(root, PLACEHOLDER_BOT_ID, { demo: true }).file);
    expect(a.equals(b)).toBe(true);
  });
});
