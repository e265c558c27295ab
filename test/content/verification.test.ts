import { describe, expect, it } from 'vitest';
import { isPrimarySource, needsCheckNote, shownVerification, STALE_AFTER_MONTHS } from '../../src/content/verification.js';

const day = (iso: string): Date => new Date(`${iso}T00:00:00Z`);

describe('shownVerification', () => {
  it('keeps a verified entry verified for 12 months after its check, then shows it as partial', () => {
    expect(STALE_AFTER_MONTHS).toBe(12);
    expect(shownVerification('verified', day('2025-12-01'), new Date('2026-11-30T23:59:59Z'))).toBe('verified');
    expect(shownVerification('verified', day('2025-12-01'), day('2026-12-01'))).toBe('partial');
    expect(shownVerification('verified', day('2024-06-15'), day('2026-12-01'))).toBe('partial');
  });

  it('never raises a partial or unverified entry, however recent its check', () => {
    expect(shownVerification('partial', day('2026-12-01'), day('2026-12-01'))).toBe('partial');
    expect(shownVerification('unverified', day('2026-12-01'), day('2026-12-01'))).toBe('unverified');
    expect(shownVerification('something else', day('2026-12-01'), day('2026-12-01'))).toBe('unverified');
  });

  it('asks for the "à vérifier" note for everything but a fresh verified entry', () => {
    expect(needsCheckNote('verified', day('2026-11-01'), day('2026-12-01'))).toBe(false);
    expect(needsCheckNote('verified', day('2025-11-01'), day('2026-12-01'))).toBe(true);
    expect(needsCheckNote('partial', day('2026-11-01'), day('2026-12-01'))).toBe(true);
  });
});

describe('isPrimarySource', () => {
  it('accepts State sites, the text of the law and the branch schemes, not third-party pages', () => {
    expect(isPrimarySource('https://www.service-public.gouv.fr/particuliers/vosdroits/F18490')).toBe(true);
    expect(isPrimarySource('https://code.travail.gouv.fr/code-du-travail/l1251-33')).toBe(true);
    expect(isPrimarySource('https://www.fastt.org/sante/la-complementaire-sante')).toBe(true);
    expect(isPrimarySource('https://www.prismemploi.eu/reglementation/indemnite-de-fin-de-mission-ifm')).toBe(false);
    expect(isPrimarySource('https://gouv.fr.example.com/page')).toBe(false);
  });
});
