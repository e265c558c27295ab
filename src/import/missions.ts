import { z } from 'zod';
import type { Store } from '../store/index.js';
import type { MissionImportChanges, MissionSnapshot, MissionWrite } from '../store/repos/imports.js';
import { figure } from '../content/figures.js';
import { canonicalValues, matchColumns, missingColumns } from './columns.js';
import { UnreadableFileError, type RawTable } from './read.js';
import { resolveCommune } from './place.js';
import { isRomeCode, sectorOfRomeCode, sectorOfValue, sectorOfWords } from './sector.js';
import { repeatedKey, type ImportActor, type ImportReport, type RowRejection } from './report.js';
import { requiredDay, requiredDecimal, euros, fail, firstIssue, frenchDay, optionalText, requiredText, textList, wholeNumber } from './values.js';

/** Columns without which no row can be imported: the file is refused as a whole (exit code 1). */
const REQUIRED_COLUMNS = ['reference', 'intitule', 'date_debut', 'date_fin', 'heures_hebdo', 'taux_horaire_brut'] as const;
/** A mission may start at most this many months ahead: further is a typo in the year, most often. */
const MAX_MONTHS_AHEAD = 18;

function smicCheck() {
  const smic = figure('smic_horaire_brut');
  return requiredDecimal().transform((n, ctx) => {
    if (n < smic.value) return fail(ctx, `inférieur au ${smic.label} (${euros(smic.value)} depuis le ${frenchDay(new Date(smic.since))})`);
    if (n > 500) return fail(ctx, 'taux horaire invraisemblable (plus de 500 €)');
    return Math.round(n * 100) / 100;
  });
}

/** One feed row, validated field by field (the shape's order is the order of the report). */
function missionRowSchema() {
  return z.object({
    reference: requiredText(100),
    intitule: requiredText(200),
    secteur: optionalText(100),
    code_rome: optionalText(5).transform((v, ctx) => (v === undefined || isRomeCode(v) ? v?.toUpperCase() : fail(ctx, 'code ROME invalide (une lettre et 4 chiffres)'))),
    code_postal: optionalText(10),
    commune: optionalText(100),
    code_insee: optionalText(5),
    date_debut: requiredDay(),
    date_fin: requiredDay(),
    heures_hebdo: wholeNumber(1, 48),
    taux_horaire_brut: smicCheck(),
    nb_postes: wholeNumber(1, 999, 1),
    exigences: textList(20, 120),
    description: optionalText(5000),
  });
}
type MissionRow = z.infer<ReturnType<typeof missionRowSchema>>;

/** Feeds repeat a few places and titles thousands of times: each is resolved once per import. */
interface Lookups {
  places: Map<string, ReturnType<typeof resolveCommune>>;
  sectors: Map<string, ReturnType<typeof sectorOfValue>>;
}

function memo<K, V>(map: Map<K, V>, key: K, compute: () => V): V {
  if (map.has(key)) return map.get(key) as V;
  const v = compute();
  map.set(key, v);
  return v;
}

/** The cross-field rules of a valid row: place, sector, dates. */
function toMission(row: MissionRow, now: Date, lookups: Lookups): { data: MissionWrite } | { field: string; reason: string } {
  const place = memo(lookups.places, `${row.code_postal ?? ''}|${row.commune ?? ''}|${row.code_insee ?? ''}`, () =>
    resolveCommune({ postcode: row.code_postal, name: row.commune, inseeCode: row.code_insee }),
  );
  if ('reason' in place) return place;
  let sector;
  if (row.secteur) {
    sector = memo(lookups.sectors, `v:${row.secteur}`, () => sectorOfValue(row.secteur!));
    if (!sector) return { field: 'secteur', reason: 'inconnu : un des dix codes, un métier ou un code ROME' };
  } else {
    sector = (row.code_rome && sectorOfRomeCode(row.code_rome)) || memo(lookups.sectors, `t:${row.intitule}`, () => sectorOfWords(row.intitule));
    if (!sector) return { field: 'secteur', reason: "absent, et ni le code ROME ni l'intitulé ne permettent de le déduire" };
  }
  if (row.date_fin < row.date_debut) return { field: 'date_fin', reason: 'avant la date de début' };
  const limit = new Date(now);
  limit.setUTCMonth(limit.getUTCMonth() + MAX_MONTHS_AHEAD);
  if (row.date_debut > limit) return { field: 'date_debut', reason: `plus de ${MAX_MONTHS_AHEAD} mois dans le futur` };
  return {
    data: {
      title: row.intitule,
      sector,
      romeCode: row.code_rome ?? null,
      description: row.description ?? '',
      communeCode: place.commune.code,
      communeName: place.commune.name,
      postcode: place.postcode,
      departementCode: place.commune.departement,
      epciCode: place.commune.epci,
      startDate: row.date_debut,
      endDate: row.date_fin,
      weeklyHours: row.heures_hebdo,
      hourlyGrossPay: row.taux_horaire_brut,
      requirements: row.exigences,
      places: row.nb_postes,
    },
  };
}

function sameMission(a: MissionWrite, b: MissionSnapshot): boolean {
  return (
    a.title === b.title &&
    a.sector === b.sector &&
    a.romeCode === b.romeCode &&
    a.description === b.description &&
    a.communeCode === b.communeCode &&
    a.communeName === b.communeName &&
    a.postcode === b.postcode &&
    a.departementCode === b.departementCode &&
    a.epciCode === b.epciCode &&
    a.startDate.getTime() === b.startDate.getTime() &&
    a.endDate.getTime() === b.endDate.getTime() &&
    a.weeklyHours === b.weeklyHours &&
    Math.abs(a.hourlyGrossPay - b.hourlyGrossPay) < 0.005 &&
    a.places === b.places &&
    JSON.stringify(a.requirements) === JSON.stringify(b.requirements)
  );
}

export interface MissionImportOptions {
  agencyId: number;
  /** Close the agency's open missions absent from this (full) feed. */
  closeMissing?: boolean;
  /** Compute the same report and write nothing (not even the audit event). */
  dryRun?: boolean;
  now: Date;
  actor: ImportActor;
  /** sha256 of the file or body, for the audit trail. */
  fileHash: string;
}

/**
 * Imports an agency's mission feed: each row validated on its own (a bad row never blocks a good one), upserted by
 * (agency, reference), "unchanged" when nothing differs. Returns the report; writes an audit event unless dry run.
 * @throws UnreadableFileError when a required column is missing (nothing written).
 */
export async function importMissions(store: Store, table: RawTable, options: MissionImportOptions): Promise<ImportReport> {
  const match = matchColumns('missions', table.headers);
  if (table.rows.length > 0) {
    const missing = missingColumns(match, REQUIRED_COLUMNS);
    if (missing.length) throw new UnreadableFileError(`colonne obligatoire absente : ${missing.join(', ')}`);
    if (missingColumns(match, ['commune', 'code_postal', 'code_insee']).length === 3) throw new UnreadableFileError('colonne obligatoire absente : commune ou code_postal');
  }
  const schema = missionRowSchema();
  const rejections: RowRejection[] = table.invalidRows.map((line) => ({ line, field: 'ligne', reason: "n'est pas un objet" }));
  const seen = new Map<string, number>();
  const lookups: Lookups = { places: new Map(), sectors: new Map() };
  const valid: { reference: string; data: MissionWrite }[] = [];
  for (const row of table.rows) {
    const values = canonicalValues(row, match);
    const rawRef = typeof values.reference === 'string' || typeof values.reference === 'number' ? String(values.reference).trim() : undefined;
    const repeated = repeatedKey(seen, rawRef, row.line, 'reference');
    if (repeated) {
      rejections.push(repeated);
      continue;
    }
    const parsed = schema.safeParse(values);
    if (!parsed.success) {
      rejections.push({ line: row.line, ...firstIssue(parsed.error) });
      continue;
    }
    const mission = toMission(parsed.data, options.now, lookups);
    if ('reason' in mission) rejections.push({ line: row.line, ...mission });
    else valid.push({ reference: parsed.data.reference, data: mission.data });
  }

  const existing = new Map<string, MissionSnapshot>();
  const snapshots = await store.imports.missionSnapshotsOfAgency(options.agencyId);
  for (const s of snapshots) if (s.reference !== null) existing.set(s.reference, s);
  const changes: MissionImportChanges = { creates: [], updates: [], closeIds: [] };
  let unchanged = 0;
  for (const { reference, data } of valid) {
    const before = existing.get(reference);
    if (!before) changes.creates.push({ ...data, reference });
    else if (sameMission(data, before) && before.status !== 'closed') unchanged++;
    else changes.updates.push({ id: before.id, data, reopen: before.status === 'closed' });
  }
  if (options.closeMissing) {
    for (const s of snapshots) if (s.status === 'open' && (s.reference === null || !seen.has(s.reference))) changes.closeIds.push(s.id);
  }

  const report: ImportReport = {
    format: table.format,
    dryRun: Boolean(options.dryRun),
    created: changes.creates.length,
    updated: changes.updates.length,
    unchanged,
    closed: changes.closeIds.length,
    rejections,
    ignoredColumns: match.ignored,
    notes: [],
  };
  if (!options.dryRun) {
    await store.imports.writeMissionImport(options.agencyId, changes, options.now);
    await store.audit.recordAudit({
      actorType: 'system',
      actorId: options.actor.id,
      action: 'import_missions',
      at: options.now,
      detail: {
        agencyId: options.agencyId,
        fileHash: options.fileHash,
        format: table.format,
        closeMissing: Boolean(options.closeMissing),
        created: report.created,
        updated: report.updated,
        unchanged: report.unchanged,
        closed: report.closed,
        rejected: rejections.length,
      },
    });
  }
  return report;
}
