/**
 * The NLU's trained model on disk, so that a process does not train again what an earlier one trained from the
 * same data and code (training and loading the 12 MB commune list take about a second, more on a busy machine).
 *
 * - One file per version: `nlu-<key>.bin` in the cache folder, where the key hashes the data folder, the NLU's
 *   code (src/nlu, and the src/geo and src/shared modules it uses), the commune list's package version and
 *   FORMAT. A change to any of them is a miss: the model is trained and written under the new key.
 * - Written to a temporary file then renamed: two processes writing at once each rename a complete file, the
 *   last one wins, and a reader never sees half a file.
 * - The file is checked (magic, format, key, lengths, SHA-256 of its body, zod for its header): anything wrong
 *   and the caller trains instead. A cache that cannot be written (read-only disk) only costs the training.
 *
 * Layout: "MJNLU" + format byte, u32 header length, header JSON (strings and array lengths), then the typed
 * arrays, each at an 8-byte boundary, in the order of ARRAYS; the last 32 bytes are the SHA-256 of what precedes.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { ClassifierSnapshot } from './classifier.js';
import type { GazetteerPlaces } from './entities/city.js';
import type { Role } from './types.js';

/** Bumped when the file layout or what a snapshot holds changes. */
const FORMAT = 2;
const MAGIC = 'MJNLU';
const ROLES = ['youth', 'counsellor'] as const satisfies readonly Role[];

/** The trained parts of an NLU: the gazetteer's places and each role's classifier. */
export interface NluModel {
  places: GazetteerPlaces;
  classifiers: Record<Role, ClassifierSnapshot>;
}

const ARRAYS = [
  ['idf', Float64Array],
  ['docLabel', Int32Array],
  ['postStart', Int32Array],
  ['postDoc', Int32Array],
  ['postW', Float64Array],
  ['centStart', Int32Array],
  ['centLabel', Int32Array],
  ['centW', Float64Array],
  ['weights', Float64Array],
  ['bias', Float64Array],
] as const;
type ArrayName = (typeof ARRAYS)[number][0];

/**
 * Long arrays checked with one loop each: zod's per-element checks of the 35,000 communes' columns and the
 * feature lists cost more than the rest of loading the model (the bytes are already checked by SHA-256).
 */
const strings = z.custom<string[]>((v) => Array.isArray(v) && v.every((x) => typeof x === 'string'), 'an array of strings');
const numbers = z.custom<number[]>((v) => Array.isArray(v) && v.every((x) => typeof x === 'number'), 'an array of numbers');
/** The communes by column (35,000 objects of five fields check and parse several times slower). */
const communeColumns = z.object({ key: strings, name: strings, code: strings, departement: strings, population: numbers });
const classifierHeader = z.object({
  labels: strings,
  features: strings,
  unseenIdf: z.number(),
  /** Element count of each typed array. */
  lengths: z.record(z.string(), z.number().int().nonnegative()),
});
const headerSchema = z.object({
  key: z.string(),
  places: z.object({ communes: communeColumns, departements: z.array(z.object({ name: z.string(), code: z.string() })), postcodes: z.record(z.string(), z.string()) }),
  classifiers: z.object({ youth: classifierHeader, counsellor: classifierHeader }),
});

const NLU_DIR = fileURLToPath(new URL('./', import.meta.url));
const SRC_DIR = path.dirname(NLU_DIR.replace(/\/$/, ''));

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...filesUnder(p));
    else if (e.isFile()) out.push(p);
  }
  return out.sort();
}

/** The cache key of the model built from `dataDir` by the code of this checkout. */
export function modelKey(dataDir: string): string {
  const h = createHash('sha256').update(`format ${FORMAT}\0`);
  const code = filesUnder(NLU_DIR).filter((f) => f.endsWith('.ts'));
  const used = ['geo/communes.ts', 'shared/text.ts', 'shared/time.ts', 'shared/domain.ts'].map((f) => path.join(SRC_DIR, f));
  for (const f of [...code, ...used]) h.update(path.relative(SRC_DIR, f)).update('\0').update(readFileSync(f)).update('\0');
  for (const f of filesUnder(dataDir)) h.update(path.relative(dataDir, f)).update('\0').update(readFileSync(f)).update('\0');
  const geo = createRequire(import.meta.url)('@etalab/decoupage-administratif/package.json') as { version: string };
  h.update(`communes ${geo.version}`);
  return h.digest('hex').slice(0, 24);
}

export function modelFile(cacheDir: string, key: string): string {
  return path.join(cacheDir, `nlu-${key}.bin`);
}

const align8 = (n: number) => (n + 7) & ~7;

/** The file's bytes for `model` under `key`. */
export function encodeModel(key: string, model: NluModel): Buffer {
  const c = model.places.communes;
  const header = {
    key,
    places: {
      ...model.places,
      communes: { key: c.map((x) => x.key), name: c.map((x) => x.name), code: c.map((x) => x.code), departement: c.map((x) => x.departement), population: c.map((x) => x.population) },
    },
    classifiers: Object.fromEntries(
      ROLES.map((r) => {
        const s = model.classifiers[r];
        return [r, { labels: s.labels, features: s.features, unseenIdf: s.unseenIdf, lengths: Object.fromEntries(ARRAYS.map(([n]) => [n, s[n].length])) }];
      }),
    ),
  };
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const parts: Buffer[] = [Buffer.from(MAGIC, 'latin1'), Buffer.from([FORMAT])];
  const len = Buffer.alloc(4);
  len.writeUInt32LE(json.length);
  parts.push(len, json);
  let offset = MAGIC.length + 1 + 4 + json.length;
  for (const r of ROLES) {
    for (const [n] of ARRAYS) {
      const a = model.classifiers[r][n];
      const pad = align8(offset) - offset;
      if (pad) parts.push(Buffer.alloc(pad));
      const bytes = Buffer.from(a.buffer, a.byteOffset, a.byteLength);
      parts.push(bytes);
      offset += pad + bytes.length;
    }
  }
  const body = Buffer.concat(parts);
  return Buffer.concat([body, createHash('sha256').update(body).digest()]);
}

/** The model in `bytes`, or undefined when they are not a complete, intact file of this format and key. */
export function decodeModel(bytes: Buffer, key: string): NluModel | undefined {
  const head = MAGIC.length + 1 + 4;
  if (bytes.length < head + 32 || bytes.toString('latin1', 0, MAGIC.length) !== MAGIC || bytes[MAGIC.length] !== FORMAT) return undefined;
  const body = bytes.subarray(0, bytes.length - 32);
  if (!createHash('sha256').update(body).digest().equals(bytes.subarray(bytes.length - 32))) return undefined;
  const jsonLength = body.readUInt32LE(MAGIC.length + 1);
  if (head + jsonLength > body.length) return undefined;
  let header: z.infer<typeof headerSchema>;
  try {
    const parsed = headerSchema.safeParse(JSON.parse(body.toString('utf8', head, head + jsonLength)));
    if (!parsed.success) return undefined;
    header = parsed.data;
  } catch {
    return undefined;
  }
  if (header.key !== key) return undefined;
  // One copy into a fresh buffer: its arrays then sit at their 8-byte aligned offsets (a Buffer from readFileSync
  // may start anywhere in Node's pool, and typed arrays need aligned views).
  const blob = new Uint8Array(body.length);
  blob.set(body);
  let offset = head + jsonLength;
  const classifiers = {} as Record<Role, ClassifierSnapshot>;
  for (const r of ROLES) {
    const h = header.classifiers[r];
    const arrays = {} as Record<ArrayName, Int32Array | Float64Array>;
    for (const [n, Type] of ARRAYS) {
      offset = align8(offset);
      const count = h.lengths[n];
      if (count === undefined || offset + count * Type.BYTES_PER_ELEMENT > body.length) return undefined;
      arrays[n] = new Type(blob.buffer, offset, count);
      offset += count * Type.BYTES_PER_ELEMENT;
    }
    classifiers[r] = { labels: h.labels, features: h.features, unseenIdf: h.unseenIdf, ...(arrays as Pick<ClassifierSnapshot, ArrayName>) };
  }
  if (offset !== body.length) return undefined;
  const cols = header.places.communes;
  const n = cols.key.length;
  if ([cols.name, cols.code, cols.departement, cols.population].some((col) => col.length !== n)) return undefined;
  const communes = new Array<GazetteerPlaces['communes'][number]>(n);
  for (let i = 0; i < n; i++) communes[i] = { key: cols.key[i]!, name: cols.name[i]!, code: cols.code[i]!, departement: cols.departement[i]!, population: cols.population[i]! };
  return { places: { ...header.places, communes }, classifiers };
}

/** The cached model for `key`, or undefined (no file, another version, a damaged file). */
export function readModel(cacheDir: string, key: string): NluModel | undefined {
  let bytes: Buffer;
  try {
    bytes = readFileSync(modelFile(cacheDir, key));
  } catch {
    return undefined;
  }
  return decodeModel(bytes, key);
}

/**
 * Writes the model under `key` (temporary file, then rename) and removes the files of other keys.
 * Returns false when the cache folder cannot be written; the model in memory is unaffected.
 */
export function writeModel(cacheDir: string, key: string, model: NluModel): boolean {
  const file = modelFile(cacheDir, key);
  const tmp = `${file}.tmp-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  try {
    mkdirSync(cacheDir, { recursive: true });
    writeFileSync(tmp, encodeModel(key, model));
    renameSync(tmp, file);
  } catch {
    try {
      rmSync(tmp, { force: true });
    } catch {
      // The folder itself is unusable: nothing was written.
    }
    return false;
  }
  try {
    for (const name of readdirSync(cacheDir)) {
      // Older versions; a temporary file of a writer still running is left to it.
      if (name.startsWith('nlu-') && name.endsWith('.bin') && name !== path.basename(file)) rmSync(path.join(cacheDir, name), { force: true });
    }
  } catch {
    // Housekeeping only: another process may be cleaning up at the same time.
  }
  return true;
}
