/**
 * `npm start`: runs the service (src/main.ts) from compiled JavaScript.
 *
 * Why: under `node --import tsx` most of the start-up went to loading ~700 modules through tsx's loader thread
 * (on-the-fly TypeScript compilation, resolution hooks) and to date-fns' and LangChain's hundreds of files. Here
 * esbuild bundles the service's own TypeScript, plus the ESM-only packages listed in BUNDLED, into a few files,
 * once per version of the sources: `<cache>/build-<hash>/main.mjs`, where the hash covers src/, bots/,
 * package-lock.json, tsconfig.json and this file. A later start only hashes the sources (a few ms) and imports the
 * build. Other packages stay in node_modules, loaded by Node as usual (Prisma's runtime reads its engine files
 * next to itself; a second copy of zod would split its registry); their imports are resolved at build time to
 * the files Node would load from the checkout, so the build can live in any folder.
 *
 * `import.meta.url` of each source file is replaced by that file's own URL, so that files found next to the
 * sources (NLU data, prompts, content, the generated Prisma client's runtime paths) resolve as they do under tsx.
 *
 * Two processes building at once each write a temporary folder and rename it into place; the first rename wins
 * and the other uses it. If esbuild is missing or the build fails, the service starts from the sources with tsx,
 * as before (slower), after one line on stderr. The cache folder is `CACHE_DIR` (default `data/cache/`), the
 * rule of src/shared/cache-dir.ts.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cacheDir = process.env.CACHE_DIR ? path.resolve(process.env.CACHE_DIR) : path.join(root, 'data', 'cache');
const ENTRY = path.join(root, 'src', 'main.ts');
/** ESM-only packages of many small files, bundled rather than loaded file by file (date-fns: some 300 files). */
const BUNDLED = new Set(['date-fns', '@date-fns/tz', 'csv-parse']);
/** Builds kept in the cache folder (a process started from an older one keeps running from memory). */
const KEEP_BUILDS = 3;

/** Every file under `dir`, sorted, skipping nothing: generated code is part of what is bundled. */
function filesUnder(dir) {
  const out = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...filesUnder(p));
    else if (e.isFile()) out.push(p);
  }
  return out.sort();
}

/**
 * Hash of everything the build depends on. Reading the 4 MB of sources costs tens of milliseconds, so the hash is
 * remembered with the files' sizes and modification times (`sources.json`): when none changed, it is reused.
 */
function sourceHash() {
  const files = [...filesUnder(path.join(root, 'src')), ...filesUnder(path.join(root, 'bots')), path.join(root, 'package-lock.json'), path.join(root, 'tsconfig.json'), fileURLToPath(import.meta.url)].filter((f) => existsSync(f));
  const stamp = createHash('sha256');
  for (const f of files) {
    const st = statSync(f);
    stamp.update(`${path.relative(root, f)}\0${st.size}\0${st.mtimeMs}\0`);
  }
  // The build holds absolute URLs (each source's import.meta.url, the packages): a moved checkout builds again.
  stamp.update(`${root}\0${process.version.split('.')[0]}`);
  const stampHex = stamp.digest('hex');
  const memo = path.join(cacheDir, 'sources.json');
  try {
    const known = JSON.parse(readFileSync(memo, 'utf8'));
    if (known.stamp === stampHex && typeof known.hash === 'string') return known.hash;
  } catch {
    // No memo yet, or a broken one: hash the contents.
  }
  const h = createHash('sha256');
  for (const f of files) h.update(path.relative(root, f)).update('\0').update(readFileSync(f)).update('\0');
  h.update(`${root}\0${process.version.split('.')[0]}`);
  const hash = h.digest('hex').slice(0, 20);
  try {
    mkdirSync(cacheDir, { recursive: true });
    const tmp = `${memo}.tmp-${process.pid}`;
    writeFileSync(tmp, JSON.stringify({ stamp: stampHex, hash }));
    renameSync(tmp, memo);
  } catch {
    // A read-only cache folder: the contents are hashed at every start.
  }
  return hash;
}

const packageOf = (specifier) => (specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]);

async function build(outDir) {
  const esbuild = await import('esbuild');
  const tmp = `${outDir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  await esbuild.build({
    entryPoints: { main: ENTRY },
    bundle: true,
    splitting: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outdir: tmp,
    outExtension: { '.js': '.mjs' },
    // Not loaded by default (parsing them costs start-up time): NODE_OPTIONS=--enable-source-maps uses them.
    sourcemap: 'linked',
    logLevel: 'error',
    plugins: [
      {
        name: 'mission-jeunes',
        setup(b) {
          b.onResolve({ filter: /^[^./]/ }, (a) => {
            if (a.path.startsWith('node:')) return { external: true };
            if (BUNDLED.has(packageOf(a.path))) return undefined;
            // Resolved here, as Node would from the checkout, so the build works from any cache folder.
            try {
              return { path: import.meta.resolve(a.path), external: true };
            } catch {
              return { external: true };
            }
          });
          b.onLoad({ filter: /\.ts$/ }, (a) => ({
            contents: readFileSync(a.path, 'utf8').replaceAll('import.meta.url', JSON.stringify(pathToFileURL(a.path).href)),
            loader: 'ts',
          }));
        },
      },
    ],
  });
  writeFileSync(path.join(tmp, 'built.json'), JSON.stringify({ at: new Date().toISOString(), node: process.version }));
  try {
    renameSync(tmp, outDir);
  } catch (err) {
    // Another process renamed its build first: same sources, same output; use it.
    rmSync(tmp, { recursive: true, force: true });
    if (!existsSync(path.join(outDir, 'main.mjs'))) throw err;
  }
}

/** Removes all but the newest KEEP_BUILDS builds, and temporary folders left by builds killed over 10 minutes ago. */
function prune(current) {
  const entries = readdirSync(cacheDir)
    .filter((n) => n.startsWith('build-') && path.join(cacheDir, n) !== current)
    .map((n) => ({ dir: path.join(cacheDir, n), temporary: n.includes('.tmp-'), mtime: statSync(path.join(cacheDir, n)).mtimeMs }));
  const stale = entries.filter((e) => e.temporary && Date.now() - e.mtime > 10 * 60_000);
  const older = entries.filter((e) => !e.temporary).sort((x, y) => y.mtime - x.mtime).slice(KEEP_BUILDS - 1);
  for (const e of [...stale, ...older]) rmSync(e.dir, { recursive: true, force: true });
}

async function compiledEntry() {
  const outDir = path.join(cacheDir, `build-${sourceHash()}`);
  const main = path.join(outDir, 'main.mjs');
  if (existsSync(main)) return main;
  mkdirSync(cacheDir, { recursive: true });
  await build(outDir);
  try {
    prune(outDir);
  } catch {
    // Pruning is housekeeping: a folder removed by another process meanwhile is fine.
  }
  return main;
}

let entry;
try {
  entry = pathToFileURL(await compiledEntry()).href;
} catch (err) {
  console.error(`start: no compiled build (${err?.message?.split('\n')[0] ?? err}); starting from the TypeScript sources with tsx`);
  const { register } = await import('tsx/esm/api');
  register();
  entry = pathToFileURL(ENTRY).href;
}
await import(entry);
