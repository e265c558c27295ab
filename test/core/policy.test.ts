import { describe, expect, it } from 'vitest';
import { understand } from '../../src/nlu/index.js';
import { decide } from '../../src/core/policy.js';
import { decodeAction } from '../../src/core/actions.js';
import type { DialogueState } from '../../src/core/state.js';

/**
 * The policy alone, on the real NLU: the counsellor follow-ups of its table decide from signals and entities and the
 * dialogue state, with no store and no handler. The journeys behind them are played in test/conversations.
 */
const youthList: DialogueState = { lastList: { kind: 'youth', ids: [11, 12, 13], offset: 0 }, lastCaseloadList: { list: 'without_mission', days: 30, page: 0 } };
const missionList: DialogueState = { lastList: { kind: 'missions', ids: [101, 102], offset: 0 }, lastSearch: { communeCode: '69266', page: 0 } };
const counsellor = (text: string, state: DialogueState = {}) => decide(understand(text, 'counsellor'), state, 'counsellor');

describe('the counsellor follow-ups of the policy', () => {
  it('"voir plus" after a caseload list is the press of its next page', () => {
    expect(counsellor('voir plus', youthList)).toMatchObject({ kind: 'action', action: { kind: 'list_page', page: 1 } });
    expect(counsellor('voir plus', { ...youthList, lastCaseloadList: { list: 'without_mission', page: 2 } })).toMatchObject({ action: { kind: 'list_page', page: 3 } });
    // With missions on screen it pages the search instead.
    expect(counsellor('voir plus', missionList)).toMatchObject({ kind: 'intent', intent: 'search_missions' });
  });

  it('"la 2" after a list of youth points at the second youth, and a bare one opens the file', () => {
    expect(counsellor('la 2', youthList)).toMatchObject({ kind: 'intent', intent: 'youth_summary', refers: { youthId: 12 } });
    expect(counsellor('code de liaison pour la 3', youthList)).toMatchObject({ intent: 'create_link_code', refers: { youthId: 13 } });
  });

  it('"la 2" after a list of missions is that mission; "la 5" says the list is shorter', () => {
    expect(counsellor('la 2', missionList)).toMatchObject({ kind: 'intent', intent: 'mission_details', refers: { missionId: 102 } });
    expect(counsellor('la 5', missionList)).toMatchObject({ kind: 'intent', intent: 'mission_details', refers: { beyond: true } });
  });

  it('an export request is read from the signal, a note about an export is not one', () => {
    expect(counsellor('exporte les données de Léa Martin')).toMatchObject({ kind: 'intent', intent: 'export_youth_data' });
    expect(counsellor('note pour Léa Martin : intéressée par l’export')).toMatchObject({ kind: 'intent', intent: 'log_contact' });
  });

  it('a number alone is never taken for a young person', () => {
    expect(counsellor('fiche 12')).toMatchObject({ kind: 'intent', intent: 'youth_summary', refers: { numberAlone: true } });
    expect(counsellor('fiche de Léa Martin')).not.toHaveProperty('refers');
  });
});

describe('typed intents on buttons', () => {
  it('decodes the NLU intents and the core’s own, and refuses any other name', () => {
    expect(decodeAction('i:search_missions')).toEqual({ kind: 'intent', intent: 'search_missions' });
    expect(decodeAction('i:appointment_request')).toEqual({ kind: 'intent', intent: 'appointment_request' });
    expect(decodeAction('i:drop_tables')).toBeNull();
  });
});
