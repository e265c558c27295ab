import { describe, it, expect } from 'vitest';
import { getNlu, type Role } from '../../src/nlu/index.js';

const nlu = getNlu();
const ent = (text: string, role: Role = 'youth') => nlu.understand(text, role).entities;
const sig = (text: string, role: Role = 'youth') => nlu.understand(text, role).signals;

describe('cities', () => {
  it('reads official names without accents, with "st" and typos', () => {
    expect(ent('jcherche du taf a st etienne')).toMatchObject({ city: 'Saint-Étienne', cityCode: '42218' });
    expect(ent('taf villeurbane')).toMatchObject({ city: 'Villeurbanne', cityCode: '69266' });
    expect(ent('mission a marseile')).toMatchObject({ city: 'Marseille', cityCode: '13055' });
    expect(ent('y a du boulot a nimes')).toMatchObject({ city: 'Nîmes' });
    expect(ent('boulot sur toulous')).toMatchObject({ city: 'Toulouse' });
    expect(ent('job a aix en provance')).toMatchObject({ city: 'Aix-en-Provence' });
    expect(ent('travail a clermont ferand')).toMatchObject({ city: 'Clermont-Ferrand' });
    expect(ent('taf au mans')).toMatchObject({ city: 'Le Mans' });
  });

  it('resolves homonyms to the most populated commune', () => {
    expect(ent('je cherche a saint denis').cityCode).toBe('97411');
  });

  it('reads ordinary words as places only after a preposition', () => {
    expect(ent('il y a du travail ?').city).toBeUndefined();
    expect(ent('il a eu une mission').city).toBeUndefined();
    expect(ent('a plus').city).toBeUndefined();
    expect(ent('ca a du sens').city).toBeUndefined();
    expect(ent('taf a sens').city).toBe('Sens');
    expect(ent('je fais des tours').city).toBeUndefined();
    expect(ent('mission a tours').city).toBe('Tours');
    expect(ent('mon forfait orange').city).toBeUndefined();
    expect(ent('jcherche vers orange').city).toBe('Orange');
    expect(ent('un job de maçon')).toEqual({ sector: 'btp' });
    expect(ent('maçon a macon')).toMatchObject({ sector: 'btp', city: 'Mâcon' });
  });

  it('sets around for "autour de", "près de", "vers", "dans le coin de"', () => {
    expect(ent('taf autour de lyon')).toMatchObject({ city: 'Lyon', around: true });
    expect(ent('missions pres de nantes')).toMatchObject({ city: 'Nantes', around: true });
    expect(ent('du boulot vers marseille')).toMatchObject({ city: 'Marseille', around: true });
    expect(ent('dans le coin de grenoble')).toMatchObject({ city: 'Grenoble', around: true });
    expect(ent('a grenoble').around).toBeUndefined();
  });

  it('reads départements and postcodes', () => {
    expect(ent('jcherche dans le 69')).toMatchObject({ departement: '69' });
    expect(ent('des missions en gironde')).toMatchObject({ departement: '33' });
    expect(ent('dans le rhône')).toMatchObject({ departement: '69' });
    expect(ent('taf en seine saint denis')).toMatchObject({ departement: '93' });
    expect(ent('missions 69003')).toMatchObject({ departement: '69', city: 'Lyon' });
    expect(ent('dans 10 jours').departement).toBeUndefined();
  });
});

describe('durations', () => {
  it.each([
    ['pas de contact depuis 3 semaines', 21],
    ['qui j’ai pas appelé depuis un mois', 30],
    ['missions qui se terminent cette semaine', 7],
    ['sans mission 15j', 15],
    ['depuis 2 mois', 60],
    ['depuis quarante cinq jours', 45],
    ['les 3 derniers mois', 90],
    ['stats de ce mois-ci', 30],
    ['une mission de deux semaines', 14],
  ])('%s -> %i days', (text, days) => {
    expect(ent(text, 'counsellor').days).toBe(days);
  });
});

describe('mission references and ordinals', () => {
  it.each([
    ['plus d’infos sur la 2', '2', 2],
    ['la deuxième', '2', 2],
    ['la 2eme stp', '2', 2],
    ['le premier', '1', 1],
    // After a reference word it is mission n° 3 (the core still reads it as a position when a list covers it).
    ['c koi la mission 3', '3', undefined],
    ['#4', '4', 4],
  ] as [string, string, number | undefined][])('%s -> ref %s', (text, ref, ordinal) => {
    expect(ent(text).mission_ref).toBe(ref);
    expect(sig(text).ordinal).toBe(ordinal);
  });

  it('keeps long references without making them positions', () => {
    expect(ent('details de la mission 3417').mission_ref).toBe('3417');
    expect(sig('details de la mission 3417').ordinal).toBeUndefined();
  });

  it('does not take times, durations or possessives for positions', () => {
    expect(ent('rdv a 14h').mission_ref).toBeUndefined();
    expect(ent('ma premiere mission').mission_ref).toBeUndefined();
    expect(ent('une mission de 3 semaines').mission_ref).toBeUndefined();
  });
});

describe('link codes', () => {
  it('normalises codes to upper case without separators', () => {
    expect(ent('code k7p-3xq').code).toBe('K7P3XQ');
    expect(ent('mon code c 4HT9KP').code).toBe('4HT9KP');
    expect(ent('R5T8PJ').code).toBe('R5T8PJ');
    expect(ent('voila: 7wq3zn5').code).toBe('7WQ3ZN5');
    expect(ent('mon code : HTKWPQ').code).toBe('HTKWPQ');
  });

  it('rejects words, ambiguous characters and wrong lengths', () => {
    expect(ent('le code secret').code).toBeUndefined();
    expect(ent('code K7P3X').code).toBeUndefined();
    expect(ent('code K0P3XQ').code).toBeUndefined();
    expect(ent('jcherche 1 taf').code).toBeUndefined();
  });
});

describe('persons and notes (counsellor)', () => {
  it('reads full names as written', () => {
    expect(ent('fiche de Léa Martin', 'counsellor').person).toBe('Léa Martin');
    expect(ent('où en est Kevin Bernard', 'counsellor').person).toBe('Kevin Bernard');
    expect(ent('générer un code pour chloé petit', 'counsellor').person).toBe('chloé petit');
    expect(ent('Fiche de Jean-Baptiste Da Silva', 'counsellor').person).toBe('Jean-Baptiste Da Silva');
    expect(ent('Propose la mission 12 à Kylie Dupuis', 'counsellor')).toMatchObject({ person: 'Kylie Dupuis', mission_ref: '12' });
  });

  it('stops the name before ordinary words', () => {
    expect(ent("j'ai vu Kevin ce matin", 'counsellor').person).toBe('Kevin');
    expect(ent('Sarah Benali rappelée hier', 'counsellor').person).toBe('Sarah Benali');
    expect(ent('Jeunes sans mission à Lyon', 'counsellor')).toMatchObject({ city: 'Lyon' });
    expect(ent('Jeunes sans mission à Lyon', 'counsellor').person).toBeUndefined();
  });

  it('takes the note after ":" or " - "', () => {
    expect(ent('note pour Léa Martin : appelée, ok pour lundi', 'counsellor')).toMatchObject({ person: 'Léa Martin', note: 'appelée, ok pour lundi' });
    expect(ent('Trace de contact pour Rayan Diallo - SMS envoyé', 'counsellor').note).toBe('SMS envoyé');
  });

  it('does not look for persons in youth messages', () => {
    expect(ent('je cherche a nancy').person).toBeUndefined();
  });
});

describe('sectors and topics', () => {
  it.each([
    ['des missions cariste ?', 'logistique'],
    ['préparateur de commandes', 'logistique'],
    ['magasinier', 'logistique'],
    ['coffreur sur chantier', 'btp'],
    ['plonge ou commis', 'hotellerie_restauration'],
    ['caissière a lyon', 'commerce'],
    ['mise en rayon', 'commerce'],
    ["agent d'entretien", 'proprete'],
    ['chauffeur livreur', 'transport'],
    ['les vendanges', 'agriculture'],
    ['opératrice de production', 'industrie'],
    ['soudeur', 'industrie'],
    ['standardiste', 'tertiaire'],
    ['call center', 'tertiaire'],
    ['auxiliaire de vie', 'services_personne'],
  ])('%s -> %s', (text, sector) => {
    expect(ent(text).sector).toBe(sector);
  });

  it.each([
    ["jai pas de logement", 'housing'],
    ['aide pour le permis', 'mobility'],
    ['qui garde mon fils pdt la mission', 'childcare'],
    ['je suis malade', 'health'],
    ['plus un rond', 'money'],
    ['passer le caces', 'training'],
  ])('%s -> %s', (text, topic) => {
    expect(ent(text).topic).toBe(topic);
  });

  it('reads "garde d\'enfants" as a job or a barrier depending on the intent', () => {
    expect(nlu.understand("je cherche un job de garde d'enfants a lyon", 'youth')).toMatchObject({ intent: 'search_missions', entities: { sector: 'services_personne' } });
    const barrier = nlu.understand('Jeunes avec un problème de garde d’enfants', 'counsellor');
    expect(barrier.intent).toBe('youth_with_barrier');
    expect(barrier.entities.topic).toBe('childcare');
    expect(barrier.entities.sector).toBeUndefined();
  });
});

describe('signals', () => {
  it('reads yes, no, more and pointing words', () => {
    expect(sig('ouiiii')).toMatchObject({ yes: true });
    expect(sig('ouais vas-y')).toMatchObject({ yes: true });
    expect(sig('nan')).toMatchObject({ no: true });
    expect(sig('non merci')).toMatchObject({ no: true });
    expect(sig('annule')).toMatchObject({ no: true });
    expect(sig('voir plus')).toMatchObject({ more: true });
    expect(sig("d'autres missions ?")).toMatchObject({ more: true });
    expect(sig('suivant')).toMatchObject({ more: true });
    expect(sig('celle-là')).toMatchObject({ deictic: true });
    expect(sig('celle ci')).toMatchObject({ deictic: true });
    expect(sig('cette mission')).toMatchObject({ deictic: true });
  });

  it('does not read a yes/no inside a long sentence', () => {
    expect(sig("qui n'a jamais eu de mission depuis 2 mois", 'counsellor').no).toBeUndefined();
  });

  it('gives a bare answer a low confidence: the caller reads signals', () => {
    const u = nlu.understand('oui', 'youth');
    expect(u.signals.yes).toBe(true);
    expect(u.confidence).toBeLessThanOrEqual(0.3);
  });
});
