import { describe, it, expect } from 'vitest';
import { getNlu, type IntentName, type Role } from '../../src/nlu/index.js';
import { COUNSELLOR_INTENTS, YOUTH_INTENTS } from '../../src/nlu/types.js';

const nlu = getNlu();
const intent = (text: string, role: Role) => nlu.understand(text, role).intent;

describe('youth intents (examples of the brief)', () => {
  it.each<[string, IntentName]>([
    ['jcherche 1 taf a lyon', 'search_missions'],
    ['y a du boulot en logistique vers marseille', 'search_missions'],
    ['des missions cariste ?', 'search_missions'],
    ["plus d'infos sur la 2", 'mission_details'],
    ['c koi la mission 3', 'mission_details'],
    ["ça m'intéresse", 'apply_mission'],
    ['je veux postuler à la 2', 'apply_mission'],
    ['chaud pour celle là', 'apply_mission'],
    ['mes candidatures', 'my_applications'],
    ['g postulé ou?', 'my_applications'],
    ['jai pas de logement', 'support'],
    ['aide pour le permis', 'support'],
    ['qui garde mon fils pdt la mission', 'support'],
    ['c koi la prime de fin de mission', 'faq'],
    ['je suis malade pdt ma mission', 'faq'],
    ['je veux parler a ma conseillere', 'contact_counsellor'],
    ['appeler la mission locale', 'contact_counsellor'],
    ['c quand mon rdv', 'appointment'],
    ['je veux un rendez vous', 'appointment'],
    ['code K7P3XQ', 'link_account'],
    ["j'ai un code de ma conseillère", 'link_account'],
    ['relier mon compte', 'link_account'],
    ['supprime mes données', 'delete_data'],
    ['efface tout sur moi', 'delete_data'],
    ['slt', 'greeting'],
    ['merci bcp', 'thanks'],
    ['tu sers a quoi', 'help'],
  ])('%s -> %s', (text, expected) => {
    expect(intent(text, 'youth')).toBe(expected);
  });
});

describe('counsellor intents (examples of the brief)', () => {
  it.each<[string, IntentName]>([
    ['mon portefeuille', 'caseload_overview'],
    ["vue d'ensemble", 'caseload_overview'],
    ['résumé de mes jeunes', 'caseload_overview'],
    ["qui n'a pas eu de mission depuis 45 jours", 'youth_without_mission'],
    ['jeunes sans mission', 'youth_without_mission'],
    ['pas de contact depuis 3 semaines', 'youth_without_contact'],
    ["qui j'ai pas appelé depuis un mois", 'youth_without_contact'],
    ['missions qui se terminent cette semaine', 'missions_ending_soon'],
    ['fins de mission dans 10 jours', 'missions_ending_soon'],
    ['jeunes avec un frein logement', 'youth_with_barrier'],
    ['freins mobilité ouverts', 'youth_with_barrier'],
    ['fiche de Léa Martin', 'youth_summary'],
    ['où en est Kevin Bernard', 'youth_summary'],
    ['code de liaison pour Yanis Haddad', 'create_link_code'],
    ['générer un code pour chloé petit', 'create_link_code'],
    ['propose la mission 1234 à Inès Moreau', 'propose_mission'],
    ['note pour Léa Martin : appelée, ok pour lundi', 'log_contact'],
    ["j'ai vu Kevin ce matin", 'log_contact'],
    ['chiffres du programme', 'programme_stats'],
    ['stats de ma mission locale ce mois-ci', 'programme_stats'],
    ['Bonjour', 'greeting'],
    ['Merci beaucoup', 'thanks'],
    ['Que peux-tu faire ?', 'help'],
  ])('%s -> %s', (text, expected) => {
    expect(intent(text, 'counsellor')).toBe(expected);
  });
});

describe('role separation', () => {
  const youth = new Set<string>(YOUTH_INTENTS);
  const counsellor = new Set<string>(COUNSELLOR_INTENTS);
  const mixed = [
    'jcherche 1 taf a lyon',
    'mon portefeuille',
    'fiche de Léa Martin',
    'code K7P3XQ',
    'code de liaison pour Yanis Haddad',
    'propose la mission 1234 à Inès Moreau',
    'supprime mes données',
    'chiffres du programme',
    'jai pas de logement',
    'jeunes avec un frein logement',
  ];

  it('classifies a youth message among youth intents only, and the same for counsellors', () => {
    for (const text of mixed) {
      const y = nlu.understand(text, 'youth');
      const c = nlu.understand(text, 'counsellor');
      expect(youth.has(y.intent)).toBe(true);
      expect(counsellor.has(c.intent)).toBe(true);
      for (const a of y.alternatives) expect(youth.has(a.intent)).toBe(true);
      for (const a of c.alternatives) expect(counsellor.has(a.intent)).toBe(true);
    }
  });

  it('gives alternatives best first, at most 3, without the chosen intent', () => {
    const u = nlu.understand('je veux des infos sur la 2', 'youth');
    expect(u.alternatives.length).toBeLessThanOrEqual(3);
    expect(u.alternatives.map((a) => a.intent)).not.toContain(u.intent);
    for (const a of u.alternatives) expect(a.confidence).toBeGreaterThanOrEqual(0);
    expect(u.confidence).toBeGreaterThan(0);
    expect(u.confidence).toBeLessThanOrEqual(1);
  });

  it('has a button label for every intent', () => {
    for (const i of [...YOUTH_INTENTS, ...COUNSELLOR_INTENTS]) expect(nlu.label(i)).toMatch(/\p{L}{3}/u);
    expect(nlu.label('search_missions')).toBe('Chercher une mission');
  });
});

describe('out of scope', () => {
  const offTopic = [
    'quel temps fait-il',
    'raconte une blague',
    "t'es qui ton créateur",
    't’es trop nul',
    'ta gueule sale robot',
    'azertyuiop',
    'qsdfghjklm',
    'kdjfh skdjfh qsdkj',
    'tu connais drake',
    'combien coute une ps5',
    'il neige a paris ?',
    'c quoi ta couleur preferee',
    'how are you',
    'Peux-tu réserver un train pour Lyon ?',
    'Quel est le cours du CAC 40 ?',
    'Combien de calories dans une pomme ?',
    'Écris une lettre de motivation pour moi',
  ];

  it.each(offTopic)('%s is out of scope or uncertain, for both roles', (text) => {
    for (const role of ['youth', 'counsellor'] as const) {
      const u = nlu.understand(text, role);
      expect(u.intent === 'out_of_scope' || u.confidence < 0.5, `${role}: ${u.intent} ${u.confidence}`).toBe(true);
    }
  });

  it('handles empty and punctuation-only messages', () => {
    expect(nlu.understand('', 'youth')).toMatchObject({ intent: 'out_of_scope', confidence: 0 });
    expect(nlu.understand('?!...', 'counsellor')).toMatchObject({ intent: 'out_of_scope', confidence: 0 });
  });
});

describe('robustness', () => {
  it('never throws and always answers with a valid shape, whatever the input', () => {
    let seed = 42;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const alphabet = "abcdefghijklmnopqrstuvwxyzéèàçœ0123456789 '-:,.?!#°😀ÉÀ\n\t";
    const allowed = new Set<string>([...YOUTH_INTENTS, ...COUNSELLOR_INTENTS]);
    for (let i = 0; i < 300; i++) {
      const len = Math.floor(rand() * 60);
      let text = '';
      for (let k = 0; k < len; k++) text += alphabet[Math.floor(rand() * alphabet.length)];
      for (const role of ['youth', 'counsellor'] as const) {
        const u = nlu.understand(text, role);
        expect(allowed.has(u.intent)).toBe(true);
        expect(u.confidence).toBeGreaterThanOrEqual(0);
        expect(u.confidence).toBeLessThanOrEqual(1);
        expect(Array.isArray(u.alternatives)).toBe(true);
      }
    }
    expect(() => nlu.understand('x'.repeat(5000), 'youth')).not.toThrow();
  });
});
