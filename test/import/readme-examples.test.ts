import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqliteTestDatabase, type TestDatabase } from '../helpers/db.js';
import { importCounsellors } from '../../src/import/counsellors.js';
import { importMissions } from '../../src/import/missions.js';
import { importYouth } from '../../src/import/youth.js';
import { readTable } from '../../src/import/read.js';
import { formatReport, type ImportReport } from '../../src/import/report.js';
import { repoRoot } from '../../src/store/database-url.js';

/** The example files of the README's "Data in: imports" section, by the sub-section they stand in. */
function readmeExamples(): { section: string; lang: string; text: string }[] {
  const readme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
  const part = readme.slice(readme.indexOf('## Data in: imports'), readme.indexOf('\n## ', readme.indexOf('## Data in: imports') + 5));
  const out: { section: string; lang: string; text: string }[] = [];
  let section = '';
  for (const m of part.matchAll(/^### (.+)$|^```(csv|json)\n([\s\S]*?)^```$/gm)) {
    if (m[1]) section = m[1];
    else out.push({ section, lang: m[2]!, text: m[3]! });
  }
  return out;
}

const counts = (r: ImportReport) => r.created + r.updated + r.unchanged;

// The README documents each file format with an example: each example is a file the import takes whole.
describe('the README’s example files', () => {
  let db: TestDatabase;
  const options = () => ({ now: db.now, actor: { id: 'readme' }, fileHash: 'f'.repeat(64), dryRun: true });
  beforeAll(async () => {
    db = await sqliteTestDatabase();
  });
  afterAll(async () => db.close());

  it('there is one for each format: missions (CSV and JSON), caseloads, counsellors', () => {
    expect(readmeExamples().map((e) => `${e.section.split(' ')[0]} ${e.lang}`)).toEqual(['Mission csv', 'Mission json', 'Caseloads csv', 'Counsellors csv']);
  });

  it('each imports without a rejected row', async () => {
    const agency = await db.connection.db.agency.findFirstOrThrow({ where: { name: 'Rhône Intérim Part-Dieu' } });
    const lyon = await db.connection.db.missionLocale.findFirstOrThrow({ where: { name: 'Mission Locale de Lyon (démo)' } });
    for (const e of readmeExamples()) {
      const table = readTable(Buffer.from(e.text, 'utf8'));
      const report = e.section.startsWith('Mission')
        ? await importMissions(db.store, table, { ...options(), agencyId: agency.id })
        : e.section.startsWith('Caseloads')
          ? await importYouth(db.store, table, { ...options(), missionLocaleId: lyon.id })
          : await importCounsellors(db.store, table, options());
      expect(report.rejections, `${e.section} (${e.lang}): ${formatReport(report).join(' / ')}`).toEqual([]);
      expect(report.ignoredColumns, e.section).toEqual([]);
      expect(counts(report), e.section).toBe(table.rows.length);
    }
  });
});
