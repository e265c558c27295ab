import { z } from 'zod';
import { fold } from '../shared/text.js';

/**
 * Zod field types of the import files, with reasons in plain French. CSV gives strings, JSON may give numbers or
 * arrays: each field accepts both. Blank values arrive as `null` (see canonicalValues).
 */

function asText(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (typeof v === 'string') return v.trim() || undefined;
  return undefined;
}

/** Required free text of at most `max` characters. */
export function requiredText(max: number) {
  return z.unknown().transform((v, ctx) => {
    const s = asText(v);
    if (s === undefined) return fail(ctx, typeof v === 'object' && v !== null ? 'doit être un texte' : 'obligatoire');
    if (s.length > max) return fail(ctx, `trop long (${max} caractères au plus)`);
    return s;
  });
}

/** Optional free text of at most `max` characters. */
export function optionalText(max: number) {
  return z.unknown().transform((v, ctx) => {
    if (v === null) return undefined;
    const s = asText(v);
    if (s === undefined) return fail(ctx, 'doit être un texte');
    if (s.length > max) return fail(ctx, `trop long (${max} caractères au plus)`);
    return s;
  });
}

/** Reads "dd/mm/yyyy" or ISO "yyyy-mm-dd" (time ignored) as a UTC midnight, or undefined when not a real date. */
export function parseDay(s: string): Date | undefined {
  const fr = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$/.exec(s);
  const iso = /^(\d{4})-(\d{2})-(\d{2})(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/.exec(s);
  const [y, m, d] = fr ? [Number(fr[3]), Number(fr[2]), Number(fr[1])] : iso ? [Number(iso[1]), Number(iso[2]), Number(iso[3])] : [];
  if (y === undefined || m === undefined || d === undefined) return undefined;
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d ? date : undefined;
}

const DATE_FORMAT = 'date invalide (attendu jj/mm/aaaa ou aaaa-mm-jj)';

/** A required date "dd/mm/yyyy" or "yyyy-mm-dd". */
export function requiredDay() {
  return z.unknown().transform((v, ctx): Date => {
    const s = asText(v);
    if (s === undefined) return fail(ctx, 'obligatoire');
    return parseDay(s) ?? fail(ctx, DATE_FORMAT);
  });
}

/** An optional date "dd/mm/yyyy" or "yyyy-mm-dd". */
export function optionalDay() {
  return z.unknown().transform((v, ctx): Date | undefined => {
    const s = asText(v);
    if (s === undefined) return undefined;
    return parseDay(s) ?? fail(ctx, DATE_FORMAT);
  });
}

/** "12,50", "12.5", "12,50 €", "1 200" as a number; undefined when not a number. */
export function parseDecimal(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  const s = asText(v)
    ?.replace(/[\s\u00a0\u202f]/g, '')
    .replace(/€(\/h)?$/i, '')
    .replace(',', '.');
  return s !== undefined && /^\d+(\.\d+)?$/.test(s) ? Number(s) : undefined;
}

/** A required decimal number (comma or point). */
export function requiredDecimal() {
  return z.unknown().transform((v, ctx): number => {
    if (v === null) return fail(ctx, 'obligatoire');
    return parseDecimal(v) ?? fail(ctx, 'nombre invalide');
  });
}

/** A whole number between `min` and `max`; `fallback` when blank (undefined = required). */
export function wholeNumber(min: number, max: number, fallback?: number) {
  return z.unknown().transform((v, ctx) => {
    if (v === null) return fallback ?? fail(ctx, 'obligatoire');
    const n = parseDecimal(v);
    if (n === undefined) return fail(ctx, 'nombre invalide');
    if (!Number.isInteger(n)) return fail(ctx, 'nombre entier attendu');
    if (n < min || n > max) return fail(ctx, `doit être entre ${min} et ${max}`);
    return n;
  });
}

/** A comma-separated list in CSV, or a JSON array of strings. */
export function textList(maxItems: number, maxLength: number) {
  return z.unknown().transform((v, ctx) => {
    if (v === null) return [];
    const items = Array.isArray(v) ? v.map(asText) : (asText(v)?.split(',') ?? []).map((x) => x.trim());
    if (items.some((x) => x === undefined && Array.isArray(v))) return fail(ctx, 'doit être une liste de textes');
    const list = items.filter((x): x is string => Boolean(x));
    if (list.length > maxItems) return fail(ctx, `${maxItems} éléments au plus`);
    if (list.some((x) => x.length > maxLength)) return fail(ctx, `chaque élément fait ${maxLength} caractères au plus`);
    return list;
  });
}

function checkedEmail(v: unknown, ctx: z.RefinementCtx): string | undefined {
  const s = asText(v)?.toLowerCase();
  if (s === undefined) return undefined;
  return z.email().max(200).safeParse(s).success ? s : fail(ctx, 'adresse e-mail invalide');
}

/** A required e-mail address, lower-cased. */
export function requiredEmail() {
  return z.unknown().transform((v, ctx): string => checkedEmail(v, ctx) ?? fail(ctx, 'obligatoire'));
}

/** An optional e-mail address, lower-cased. */
export function optionalEmail() {
  return z.unknown().transform((v, ctx): string | undefined => checkedEmail(v, ctx));
}

/**
 * A value among fixed choices, compared folded ("En cours" = "en_cours"); `choices` maps folded words to values.
 * @param expected the plain-French list of accepted values, for the error.
 */
export function choice<V extends string>(choices: Record<string, V>, expected: string) {
  const byKey = new Map(Object.entries(choices).map(([k, v]) => [fold(k), v]));
  return z.unknown().transform((v, ctx): V | undefined => {
    const s = asText(v);
    if (s === undefined) return undefined;
    return byKey.get(fold(s.replace(/_/g, ' '))) ?? fail(ctx, `valeur inconnue (${expected})`);
  });
}

/** Adds a custom issue and aborts the field: zod reports it with the column as path. */
export function fail(ctx: z.RefinementCtx, message: string): never {
  ctx.addIssue({ code: 'custom', message });
  return z.NEVER;
}

/** The first problem of a failed row parse: the column and the reason (zod keeps the shape's order). */
export function firstIssue(error: z.ZodError): { field: string; reason: string } {
  const issue = error.issues[0]!;
  return { field: String(issue.path[0] ?? 'ligne'), reason: issue.message };
}

/** 12.5 -> "12,50 €". */
export function euros(n: number): string {
  return `${n.toFixed(2).replace('.', ',')} €`;
}

/** A Date at UTC midnight -> "dd/mm/yyyy". */
export function frenchDay(d: Date): string {
  return `${String(d.getUTCDate()).padStart(2, '0')}/${String(d.getUTCMonth() + 1).padStart(2, '0')}/${d.getUTCFullYear()}`;
}
