import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { SmsNormaliser } from '../../src/nlu/normalise.js';
import { tokenize } from '../../src/nlu/tokens.js';
import { getNlu } from '../../src/nlu/index.js';

const sms = (JSON.parse(readFileSync(new URL('../../src/nlu/data/sms.json', import.meta.url), 'utf8')) as { tokens: Record<string, string> }).tokens;
const vocabulary = new Set(['je', 'cherche', 'veux', 'peux', 'suis', 'merci', 'oui', 'salut', 'travail', 'dans', 'le', 'est', 'quoi', 'c']);
const n = new SmsNormaliser(sms, vocabulary);

describe('SMS normalisation', () => {
  it('expands the usual abbreviations', () => {
    expect(n.normalise('jcherche 1 taf ds le 69')).toBe('je cherche 1 travail dans le 69');
    expect(n.normalise('g postulé')).toBe('j ai postule');
    expect(n.normalise('c koi')).toBe('c est quoi');
    expect(n.normalise('stp svp')).toBe('svp svp');
    expect(n.normalise('jsp')).toBe('je sais pas');
    expect(n.normalise('pr moi')).toBe('pour moi');
    expect(n.normalise('pk cb bcp tt mtn')).toBe('pourquoi combien beaucoup tout maintenant');
    expect(n.normalise('boulot job taf')).toBe('travail travail travail');
    expect(n.normalise('mon rdv')).toBe('mon rendez vous');
  });

  it('does not double "est" after an elided c', () => {
    expect(n.normalise("c'est quoi")).toBe('c est quoi');
  });

  it('collapses letter repetitions', () => {
    expect(n.normalise('ouiiii')).toBe('oui');
    expect(n.normalise('merciiiii')).toBe('merci');
    expect(n.normalise('mercii')).toBe('merci');
    expect(n.normalise('salutt')).toBe('salut');
  });

  it('splits a glued "je" only when the rest is a known word', () => {
    expect(n.normalise('jveux jpeux jsuis')).toBe('je veux je peux je suis');
    expect(n.normalise('jzkq')).toBe('jzkq');
  });

  it('folds accents and case', () => {
    expect(tokenize("Saint-Étienne, c'est où ?").map((t) => t.norm)).toEqual(['saint', 'etienne', 'c', 'est', 'ou']);
    expect(tokenize('manœuvre').map((t) => t.norm)).toEqual(['manoeuvre']);
  });

  it('is what the classifier sees, with entity placeholders', () => {
    expect(getNlu().preprocess('jcherche 1 taf a lyon', 'youth')).toEqual(['je', 'cherche', 'znum', 'travail', 'a', 'zville']);
  });
});
