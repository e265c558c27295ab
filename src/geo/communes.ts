import { createRequire } from 'node:module';
import { fold } from '../shared/text.js';

/** A current French commune from the official INSEE list (@etalab/decoupage-administratif). */
export interface Commune {
  /** INSEE code, e.g. "69123" for Lyon. */
  code: string;
  name: string;
  postcodes: string[];
  departement: string;
  /** SIREN of the EPCI (intercommunality) the commune belongs to, if any. */
  epci: string | null;
  population: number;
}

interface RawCommune {
  code: string;
  nom: string;
  type: string;
  departement?: string;
  codesPostaux?: string[];
  population?: number;
}
interface RawEpci {
  code: string;
  membres: { code: string }[];
}
interface RawDepartement {
  code: string;
  nom: string;
}

export interface Departement {
  code: string;
  name: string;
}

interface GeoIndex {
  byCode: Map<string, Commune>;
  /** folded name -> communes with that name (homonyms exist: 'Saint-Denis'…), most populated first. */
  byFoldedName: Map<string, Commune[]>;
  byPostcode: Map<string, Commune[]>;
  epciMembers: Map<string, string[]>;
  departements: Map<string, Departement>;
  departementsByFoldedName: Map<string, Departement>;
}

let index: GeoIndex | undefined;

// The package ships plain JSON; loading lazily keeps start-up fast for code paths that never need it.
function load(): GeoIndex {
  if (index) return index;
  const require = createRequire(import.meta.url);
  const rawCommunes = require('@etalab/decoupage-administratif/data/communes.json') as RawCommune[];
  const rawEpci = require('@etalab/decoupage-administratif/data/epci.json') as RawEpci[];
  const rawDeps = require('@etalab/decoupage-administratif/data/departements.json') as RawDepartement[];

  const epciOf = new Map<string, string>();
  const epciMembers = new Map<string, string[]>();
  for (const e of rawEpci) {
    epciMembers.set(e.code, e.membres.map((m) => m.code));
    for (const m of e.membres) epciOf.set(m.code, e.code);
  }

  const byCode = new Map<string, Commune>();
  const byFoldedName = new Map<string, Commune[]>();
  const byPostcode = new Map<string, Commune[]>();
  for (const r of rawCommunes) {
    if (r.type !== 'commune-actuelle' || !r.departement) continue;
    const c: Commune = {
      code: r.code,
      name: r.nom,
      postcodes: r.codesPostaux ?? [],
      departement: r.departement,
      epci: epciOf.get(r.code) ?? null,
      population: r.population ?? 0,
    };
    byCode.set(c.code, c);
    const key = fold(c.name);
    const list = byFoldedName.get(key) ?? [];
    list.push(c);
    byFoldedName.set(key, list);
    for (const p of c.postcodes) {
      const pl = byPostcode.get(p) ?? [];
      pl.push(c);
      byPostcode.set(p, pl);
    }
  }
  for (const list of byFoldedName.values()) list.sort((a, b) => b.population - a.population);

  const departements = new Map<string, Departement>();
  const departementsByFoldedName = new Map<string, Departement>();
  for (const d of rawDeps) {
    const dep = { code: d.code, name: d.nom };
    departements.set(d.code, dep);
    departementsByFoldedName.set(fold(d.nom), dep);
  }
  index = { byCode, byFoldedName, byPostcode, epciMembers, departements, departementsByFoldedName };
  return index;
}

/** The commune with this INSEE code, or undefined. */
export function communeByCode(code: string): Commune | undefined {
  return load().byCode.get(code);
}

/** Communes whose folded name is exactly this (homonyms), most populated first. */
export function communesByName(name: string): Commune[] {
  return load().byFoldedName.get(fold(name)) ?? [];
}

/** Communes served by this postcode. */
export function communesByPostcode(postcode: string): Commune[] {
  return load().byPostcode.get(postcode) ?? [];
}

export function departementByCode(code: string): Departement | undefined {
  return load().departements.get(code);
}


/** Every current commune; used to build gazetteers. */
export function allCommunes(): Iterable<Commune> {
  return load().byCode.values();
}

/** Every département. */
export function allDepartements(): Iterable<Departement> {
  return load().departements.values();
}
