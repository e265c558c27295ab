import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

/** Default location of the yearly figures (SMIC…), resolved from this module so it works from any working directory. */
export const DEFAULT_FIGURES_PATH = new URL('../../prisma/content/yearly-figures.json', import.meta.url);

const isoDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date is YYYY-MM-DD');
const figureSchema = z
  .object({
    key: z.string().regex(/^[a-z0-9_]+$/),
    label: z.string().min(1),
    value: z.number(),
    unit: z.string().min(1),
    since: isoDay,
    source: z.url(),
    checked: isoDay,
  })
  .strict();
const figuresFileSchema = z.object({ figures: z.array(figureSchema).min(1) }).strict();

/** One official figure with where it comes from and since when it applies. */
export interface Figure {
  value: number;
  since: string;
  source: string;
  label: string;
  unit: string;
}

let figures: Map<string, Figure> | undefined;

function load(): Map<string, Figure> {
  if (figures) return figures;
  const file = fileURLToPath(DEFAULT_FIGURES_PATH);
  const parsed = figuresFileSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) throw new Error(`Invalid figures file ${file}: ${z.prettifyError(parsed.error)}`);
  figures = new Map(parsed.data.figures.map((f) => [f.key, { value: f.value, since: f.since, source: f.source, label: f.label, unit: f.unit }]));
  return figures;
}

/**
 * The figure of this key from prisma/content/yearly-figures.json (read and validated once).
 * @throws Error when the key is not in the file: a missing legal figure must stop the caller, not default silently.
 * @example figure('smic_horaire_brut').value // 12.02
 */
export function figure(key: string): Figure {
  const f = load().get(key);
  if (!f) throw new Error(`Unknown figure "${key}" in prisma/content/yearly-figures.json`);
  return f;
}
