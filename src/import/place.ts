import { communeByCode, communesByName, communesByPostcode, type Commune } from '../geo/communes.js';
import { fold } from '../shared/text.js';

/**
 * The commune of a row, through the official list (src/geo/communes.ts): an INSEE code, or a postcode (with the
 * name when several communes share it), or a name alone when no homonym exists. Returns a reason when it cannot.
 */
export type PlaceResult = { commune: Commune; postcode: string } | { field: 'code_postal' | 'commune' | 'code_insee'; reason: string };

export function resolveCommune(input: { postcode?: string; name?: string; inseeCode?: string }): PlaceResult {
  const { postcode, name, inseeCode } = input;
  if (inseeCode) {
    const c = communeByCode(inseeCode);
    if (!c) return { field: 'code_insee', reason: 'code INSEE inconnu' };
    if (postcode && !c.postcodes.includes(postcode)) return { field: 'code_postal', reason: 'ne correspond pas au code INSEE' };
    return { commune: c, postcode: postcode ?? c.postcodes[0] ?? '' };
  }
  if (postcode) {
    if (!/^\d{5}$/.test(postcode)) return { field: 'code_postal', reason: 'un code postal a 5 chiffres' };
    const served = communesByPostcode(postcode);
    if (served.length === 0) return { field: 'code_postal', reason: 'code postal inconnu' };
    if (name) {
      const wanted = fold(name);
      const match = served.find((c) => fold(c.name) === wanted);
      if (!match) return { field: 'commune', reason: 'commune inconnue pour ce code postal' };
      return { commune: match, postcode };
    }
    if (served.length > 1) return { field: 'commune', reason: `obligatoire : le code postal ${postcode} dessert ${served.length} communes` };
    return { commune: served[0]!, postcode };
  }
  if (name) {
    const named = communesByName(name);
    if (named.length === 0) return { field: 'commune', reason: 'commune inconnue' };
    if (named.length > 1) return { field: 'code_postal', reason: `obligatoire : ${named.length} communes portent ce nom` };
    return { commune: named[0]!, postcode: named[0]!.postcodes[0] ?? '' };
  }
  return { field: 'commune', reason: 'obligatoire (ou code_postal)' };
}
