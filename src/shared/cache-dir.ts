import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The folder of what the service computes once and keeps across starts (the NLU model; scripts/start.mjs keeps
 * its compiled build there too, by the same rule): `CACHE_DIR`, default `data/cache/` in the checkout
 * (git-ignored). Everything in it can be deleted at any time: it is rebuilt at the next start.
 */
export function cacheDir(): string {
  const configured = process.env.CACHE_DIR;
  return configured ? path.resolve(configured) : fileURLToPath(new URL('../../data/cache/', import.meta.url));
}
