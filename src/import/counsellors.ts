import { z } from 'zod';
import type { Store } from '../store/index.js';
import type { CounsellorImportChanges, CounsellorSnapshot, CounsellorWrite } from '../store/repos/people-imports.js';
import { fold } from '../shared/text.js';
import { canonicalValues, matchColumns, missingColumns } from './columns.js';
import { UnreadableFileError, type RawTable } from './read.js';
import { repeatedKey, type ImportActor, type ImportReport, type RowRejection } from './report.js';
import { choice, fail, firstIssue, optionalText, requiredEmail, requiredText } from './values.js';

const REQUIRED_COLUMNS = ['nom', 'prenom', 'email', 'mission_locale'] as const;

const ROLES = {
  conseiller: 'counsellor',
  conseillere: 'counsellor',
  counsellor: 'counsellor',
  counselor: 'counsellor',
  manager: 'manager',
  responsable: 'manager',
  'responsable de secteur': 'manager',
  directeur: 'manager',
  directrice: 'manager',
} as const;

function counsellorRowSchema() {
  return z.object({
    nom: requiredText(100),
    prenom: requiredText(100),
    email: requiredEmail(),
    identifiant_teams: optionalText(100).transform((v, ctx) =>
      v === undefined || /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v) ? v?.toLowerCase() : fail(ctx, 'identifiant Teams (AAD) invalide : un GUID est attendu'),
    ),
    mission_locale: requiredText(200),
    role: choice(ROLES, 'conseiller ou manager'),
  });
}

export interface CounsellorImportOptions {
  dryRun?: boolean;
  now: Date;
  actor: ImportActor;
  fileHash: string;
}

/**
 * Imports the counsellor file: upsert by e-mail; a counsellor of a Mission locale named in the file who is no longer
 * in it is deactivated (they lose access at once); their youth stay with the Mission locale and are listed, by id,
 * for reassignment. Missions locales absent from the file are left alone, so one Mission locale's file never
 * deactivates another's staff.
 * @throws UnreadableFileError when a required column is missing.
 */
export async function importCounsellors(store: Store, table: RawTable, options: CounsellorImportOptions): Promise<ImportReport> {
  const match = matchColumns('counsellors', table.headers);
  const missing = missingColumns(match, REQUIRED_COLUMNS);
  if (table.rows.length === 0) throw new UnreadableFileError('le fichier ne contient aucun conseiller');
  if (missing.length) throw new UnreadableFileError(`colonne obligatoire absente : ${missing.join(', ')}`);

  const [locales, snapshots] = await Promise.all([store.peopleImports.listMissionLocaleRefs(), store.peopleImports.counsellorSnapshots()]);
  const byEmail = new Map(snapshots.map((c) => [c.email, c]));
  const byAad = new Map(snapshots.filter((c) => c.aadObjectId).map((c) => [c.aadObjectId!, c]));
  const localeOf = (ref: string) => locales.filter((l) => String(l.id) === ref || l.name === ref || fold(l.name) === fold(ref));

  const schema = counsellorRowSchema();
  const rejections: RowRejection[] = table.invalidRows.map((line) => ({ line, field: 'ligne', reason: "n'est pas un objet" }));
  const seenEmails = new Map<string, number>();
  const seenAad = new Map<string, number>();
  const localesInFile = new Set<number>();
  const valid: { line: number; data: CounsellorWrite }[] = [];
  for (const row of table.rows) {
    const parsed = schema.safeParse(canonicalValues(row, match));
    if (!parsed.success) {
      rejections.push({ line: row.line, ...firstIssue(parsed.error) });
      // A row with a readable e-mail still names its counsellor: they are not deactivated for a typo elsewhere.
      const raw = canonicalValues(row, match).email;
      const email = typeof raw === 'string' && !parsed.error.issues.some((i) => i.path[0] === 'email') ? raw.trim().toLowerCase() : undefined;
      if (email && !seenEmails.has(email)) seenEmails.set(email, row.line);
      continue;
    }
    const r = parsed.data;
    const repeatedEmail = repeatedKey(seenEmails, r.email, row.line, 'email');
    if (repeatedEmail) {
      rejections.push(repeatedEmail);
      continue;
    }
    const ml = localeOf(r.mission_locale);
    if (ml.length !== 1) {
      rejections.push({ line: row.line, field: 'mission_locale', reason: ml.length ? 'ambiguë : indiquez son identifiant' : 'inconnue' });
      continue;
    }
    localesInFile.add(ml[0]!.id);
    const repeatedAad = repeatedKey(seenAad, r.identifiant_teams ?? undefined, row.line, 'identifiant_teams');
    if (repeatedAad) {
      rejections.push(repeatedAad);
      continue;
    }
    const current = byEmail.get(r.email);
    valid.push({
      line: row.line,
      data: {
        firstName: r.prenom,
        lastName: r.nom,
        email: r.email,
        aadObjectId: r.identifiant_teams ?? current?.aadObjectId ?? null,
        role: r.role ?? current?.role ?? 'counsellor',
        missionLocaleId: ml[0]!.id,
      },
    });
  }

  // Who leaves: active counsellors of the file's Missions locales whose e-mail the file no longer lists.
  const leaving = snapshots.filter((c) => c.active && localesInFile.has(c.missionLocaleId) && !seenEmails.has(c.email));
  const leavingIds = new Set(leaving.map((c) => c.id));
  const movers = valid.filter((v) => {
    const c = byEmail.get(v.data.email);
    return c && c.missionLocaleId !== v.data.missionLocaleId;
  });
  const youthCounts = await store.peopleImports.youthCountsOfCounsellors(movers.map((v) => byEmail.get(v.data.email)!.id));

  const changes: CounsellorImportChanges = { creates: [], updates: [], deactivateIds: [...leavingIds] };
  let unchanged = 0;
  for (const { line, data } of valid) {
    const current = byEmail.get(data.email);
    const holder = data.aadObjectId ? byAad.get(data.aadObjectId) : undefined;
    if (holder && holder.email !== data.email && !leavingIds.has(holder.id)) {
      rejections.push({ line, field: 'identifiant_teams', reason: 'déjà celui d’un autre conseiller' });
      continue;
    }
    if (!current) {
      changes.creates.push(data);
      continue;
    }
    if (current.missionLocaleId !== data.missionLocaleId && (youthCounts.get(current.id) ?? 0) > 0) {
      rejections.push({ line, field: 'mission_locale', reason: 'ce conseiller suit des jeunes de sa Mission locale actuelle : réaffectez-les avant de le déplacer' });
      continue;
    }
    if (same(data, current) && current.active) unchanged++;
    else changes.updates.push({ id: current.id, data, reactivate: !current.active });
  }

  const toReassign = await store.peopleImports.youthToReassign(changes.deactivateIds);
  const notes = leaving.map((c) => {
    const ids = toReassign.get(c.id) ?? [];
    return ids.length ? `conseiller ${c.id} désactivé : ${ids.length} jeunes à réaffecter (${ids.join(', ')})` : `conseiller ${c.id} désactivé : aucun jeune à réaffecter`;
  });
  const report: ImportReport = {
    format: table.format,
    dryRun: Boolean(options.dryRun),
    created: changes.creates.length,
    updated: changes.updates.length,
    unchanged,
    closed: changes.deactivateIds.length,
    rejections,
    ignoredColumns: match.ignored,
    notes,
  };
  if (!options.dryRun) {
    await store.peopleImports.writeCounsellorImport(changes, options.now);
    await store.audit.recordAudit({
      actorType: 'system',
      actorId: options.actor.id,
      action: 'import_counsellors',
      at: options.now,
      detail: {
        fileHash: options.fileHash,
        format: table.format,
        created: report.created,
        updated: report.updated,
        unchanged: report.unchanged,
        deactivated: report.closed,
        rejected: rejections.length,
        youthToReassign: [...toReassign.values()].reduce((n, l) => n + l.length, 0),
      },
    });
  }
  return report;
}

function same(a: CounsellorWrite, b: CounsellorSnapshot): boolean {
  return a.firstName === b.firstName && a.lastName === b.lastName && a.aadObjectId === b.aadObjectId && a.role === b.role && a.missionLocaleId === b.missionLocaleId;
}
