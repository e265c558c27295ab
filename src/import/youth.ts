import { z } from 'zod';
import type { Store } from '../store/index.js';
import type { Topic } from '../shared/domain.js';
import type { BarrierChange, YouthImportChanges, YouthSnapshot, YouthStatusValue, YouthWrite } from '../store/repos/people-imports.js';
import { canonicalValues, matchColumns, missingColumns } from './columns.js';
import { resolveCommune } from './place.js';
import { UnreadableFileError, type RawTable } from './read.js';
import { repeatedKey, type ImportActor, type ImportReport, type RowRejection } from './report.js';
import { choice, fail, firstIssue, optionalDay, optionalEmail, optionalText, requiredDay, requiredText } from './values.js';

/** Columns without which no row can be imported. */
const REQUIRED_COLUMNS = ['identifiant', 'nom', 'prenom', 'date_naissance', 'date_entree'] as const;
/** The programme's age band at entry (Mission Jeunes: 16 to 25 years old included). */
const MIN_AGE = 16;
const MAX_AGE = 25;
/** Absent ids listed in the report beyond which only the count is given. */
const MAX_LISTED_ABSENT = 50;

const STATUSES = {
  actif: 'active',
  active: 'active',
  'en accompagnement': 'active',
  accompagne: 'active',
  'en mission': 'in_mission',
  mission: 'in_mission',
  'in mission': 'in_mission',
  suspendu: 'paused',
  'en pause': 'paused',
  pause: 'paused',
  paused: 'paused',
  sorti: 'exited',
  sortie: 'exited',
  'sorti du dispositif': 'exited',
  exited: 'exited',
} as const satisfies Record<string, YouthStatusValue>;

/** "oui" = a barrier to work on; "en cours" = being worked on; "résolu" = lifted; "non" = nothing to record. */
const BARRIER_VALUES = {
  oui: 'open',
  ouvert: 'open',
  x: 'open',
  yes: 'open',
  open: 'open',
  'a traiter': 'open',
  'en cours': 'in_progress',
  in_progress: 'in_progress',
  'in progress': 'in_progress',
  resolu: 'resolved',
  resolue: 'resolved',
  leve: 'resolved',
  resolved: 'resolved',
  non: 'none',
  no: 'none',
  aucun: 'none',
} as const;
const BARRIER_COLUMNS: Record<string, Topic> = {
  frein_logement: 'housing',
  frein_mobilite: 'mobility',
  frein_garde_enfants: 'childcare',
  frein_sante: 'health',
  frein_budget: 'money',
  frein_formation: 'training',
};
const barrier = () => choice(BARRIER_VALUES, 'oui, en cours, résolu ou non');

function youthRowSchema() {
  return z.object({
    identifiant: requiredText(50),
    nom: requiredText(100),
    prenom: requiredText(100),
    date_naissance: requiredDay(),
    code_postal: optionalText(10),
    commune: optionalText(100),
    code_insee: optionalText(5),
    conseiller: optionalEmail(),
    date_entree: requiredDay(),
    statut: choice(STATUSES, 'actif, en mission, suspendu ou sorti'),
    date_sortie: optionalDay(),
    telephone: optionalText(30).transform((v, ctx) => (v === undefined || /^\+?[\d .()-]{6,29}$/.test(v) ? v : fail(ctx, 'numéro de téléphone invalide'))),
    email: optionalEmail(),
    frein_logement: barrier(),
    frein_mobilite: barrier(),
    frein_garde_enfants: barrier(),
    frein_sante: barrier(),
    frein_budget: barrier(),
    frein_formation: barrier(),
  });
}
type YouthRow = z.infer<ReturnType<typeof youthRowSchema>>;

/** Full years between two UTC dates. */
function ageAt(birth: Date, at: Date): number {
  let age = at.getUTCFullYear() - birth.getUTCFullYear();
  if (at.getUTCMonth() < birth.getUTCMonth() || (at.getUTCMonth() === birth.getUTCMonth() && at.getUTCDate() < birth.getUTCDate())) age--;
  return age;
}

function utcDay(d: Date): Date {
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
}

export interface YouthImportOptions {
  missionLocaleId: number;
  dryRun?: boolean;
  now: Date;
  actor: ImportActor;
  fileHash: string;
}

/**
 * Imports a Mission locale's caseload file: upsert by (Mission locale, identifiant). Never touches what the young
 * person gave the bot, never moves a youth to a counsellor of another Mission locale, never deletes (youth absent
 * from the file are listed by id). The report prints line numbers and ids, never a name.
 * @throws UnreadableFileError when a required column is missing.
 */
export async function importYouth(store: Store, table: RawTable, options: YouthImportOptions): Promise<ImportReport> {
  const match = matchColumns('youth', table.headers);
  if (table.rows.length === 0) throw new UnreadableFileError('le fichier ne contient aucun jeune');
  const missing = missingColumns(match, REQUIRED_COLUMNS);
  if (missing.length) throw new UnreadableFileError(`colonne obligatoire absente : ${missing.join(', ')}`);
  if (missingColumns(match, ['commune', 'code_postal', 'code_insee']).length === 3) throw new UnreadableFileError('colonne obligatoire absente : code_postal ou commune');

  const [snapshots, counsellors] = await Promise.all([store.peopleImports.youthSnapshotsOfMissionLocale(options.missionLocaleId), store.peopleImports.counsellorSnapshots()]);
  const existing = new Map(snapshots.map((y) => [y.externalId, y]));
  const counsellorByEmail = new Map(counsellors.map((c) => [c.email, c]));

  const schema = youthRowSchema();
  const rejections: RowRejection[] = table.invalidRows.map((line) => ({ line, field: 'ligne', reason: "n'est pas un objet" }));
  const seen = new Map<string, number>();
  const changes: YouthImportChanges = { creates: [], updates: [] };
  let unchanged = 0;
  for (const row of table.rows) {
    const values = canonicalValues(row, match);
    const rawId = typeof values.identifiant === 'string' || typeof values.identifiant === 'number' ? String(values.identifiant).trim() : undefined;
    const repeated = repeatedKey(seen, rawId, row.line, 'identifiant');
    if (repeated) {
      rejections.push(repeated);
      continue;
    }
    const parsed = schema.safeParse(values);
    if (!parsed.success) {
      rejections.push({ line: row.line, ...firstIssue(parsed.error) });
      continue;
    }
    const r = parsed.data;
    const before = existing.get(r.identifiant);
    const planned = plan(r, before, counsellorByEmail, options);
    if ('reason' in planned) {
      rejections.push({ line: row.line, field: planned.field, reason: planned.reason });
      continue;
    }
    if (!before) changes.creates.push({ externalId: r.identifiant, data: planned.data, barriers: planned.barriers });
    else if (planned.barriers.length === 0 && sameYouth(planned.data, before)) unchanged++;
    else changes.updates.push({ id: before.id, data: planned.data, barriers: planned.barriers });
  }

  const absent = snapshots.filter((y) => !y.anonymized && !seen.has(y.externalId)).map((y) => y.externalId).sort();
  const notes: string[] = [];
  if (absent.length) {
    const listed = absent.slice(0, MAX_LISTED_ABSENT).join(', ') + (absent.length > MAX_LISTED_ABSENT ? ', …' : '');
    notes.push(`absents du fichier (conservés, rien n'est supprimé) : ${absent.length} (${listed})`);
  }
  const report: ImportReport = {
    format: table.format,
    dryRun: Boolean(options.dryRun),
    created: changes.creates.length,
    updated: changes.updates.length,
    unchanged,
    closed: 0,
    rejections,
    ignoredColumns: match.ignored,
    notes,
  };
  if (!options.dryRun) {
    await store.peopleImports.writeYouthImport(options.missionLocaleId, changes, options.now);
    await store.audit.recordAudit({
      actorType: 'system',
      actorId: options.actor.id,
      action: 'import_youth',
      at: options.now,
      detail: {
        missionLocaleId: options.missionLocaleId,
        fileHash: options.fileHash,
        format: table.format,
        created: report.created,
        updated: report.updated,
        unchanged: report.unchanged,
        absent: absent.length,
        rejected: rejections.length,
      },
    });
  }
  return report;
}

type Planned = { data: YouthWrite; barriers: BarrierChange[] } | { field: string; reason: string };

/** The cross-field rules of a valid row: file not anonymised, commune, counsellor of this Mission locale, age band. */
function plan(r: YouthRow, before: YouthSnapshot | undefined, counsellorByEmail: Map<string, { id: number; missionLocaleId: number; active: boolean }>, options: YouthImportOptions): Planned {
  if (before?.anonymized) return { field: 'identifiant', reason: 'dossier anonymisé : il n’est pas réimporté' };
  const place = resolveCommune({ postcode: r.code_postal, name: r.commune, inseeCode: r.code_insee });
  if ('reason' in place) return place;
  let counsellorId = before?.counsellorId;
  if (r.conseiller) {
    const c = counsellorByEmail.get(r.conseiller);
    if (!c) return { field: 'conseiller', reason: 'conseiller inconnu (importez d’abord le fichier des conseillers)' };
    if (c.missionLocaleId !== options.missionLocaleId) return { field: 'conseiller', reason: 'conseiller d’une autre Mission locale' };
    if (!c.active) return { field: 'conseiller', reason: 'conseiller désactivé' };
    counsellorId = c.id;
  }
  if (counsellorId === undefined) return { field: 'conseiller', reason: 'obligatoire pour un nouveau jeune' };
  const age = ageAt(r.date_naissance, r.date_entree);
  if (age < MIN_AGE) return { field: 'date_naissance', reason: `moins de ${MIN_AGE} ans à la date d’entrée` };
  if (age > MAX_AGE) return { field: 'date_naissance', reason: `plus de ${MAX_AGE} ans à la date d’entrée` };
  if (r.date_entree > options.now) return { field: 'date_entree', reason: 'dans le futur' };
  const status = r.statut ?? before?.status ?? 'active';
  const exitDate = status === 'exited' ? (r.date_sortie ?? before?.exitDate ?? utcDay(options.now)) : null;
  if (exitDate && exitDate < r.date_entree) return { field: 'date_sortie', reason: 'avant la date d’entrée' };

  const barriers: BarrierChange[] = [];
  for (const [column, topic] of Object.entries(BARRIER_COLUMNS)) {
    const wanted = r[column as keyof YouthRow] as (typeof BARRIER_VALUES)[keyof typeof BARRIER_VALUES] | undefined;
    if (!wanted || wanted === 'none') continue;
    const current = before?.activeBarriers[topic];
    if (wanted === 'resolved') {
      if (current) barriers.push({ topic, status: 'resolved', barrierId: current.id });
    } else if (!current) barriers.push({ topic, status: wanted });
    else if (current.status !== wanted) barriers.push({ topic, status: wanted, barrierId: current.id });
  }
  return {
    data: {
      firstName: r.prenom,
      lastName: r.nom,
      birthDate: r.date_naissance,
      // Blank optional cells keep what the file said before: an export with an empty phone column erases nothing.
      phone: r.telephone ?? before?.phone ?? null,
      email: r.email ?? before?.email ?? null,
      communeCode: place.commune.code,
      postcode: place.postcode,
      counsellorId,
      entryDate: r.date_entree,
      status,
      exitDate,
    },
    barriers,
  };
}

function sameYouth(a: YouthWrite, b: YouthSnapshot): boolean {
  const t = (d: Date | null) => d?.getTime() ?? null;
  return (
    a.firstName === b.firstName &&
    a.lastName === b.lastName &&
    t(a.birthDate) === t(b.birthDate) &&
    a.phone === b.phone &&
    a.email === b.email &&
    a.communeCode === b.communeCode &&
    a.postcode === b.postcode &&
    a.counsellorId === b.counsellorId &&
    t(a.entryDate) === t(b.entryDate) &&
    a.status === b.status &&
    t(a.exitDate) === t(b.exitDate)
  );
}
