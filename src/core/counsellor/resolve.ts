import { ageOn } from '../../shared/time.js';
import type { YouthIdentity } from '../../store/index.js';
import type { Action } from '../actions.js';
import type { HandlerResult } from '../context.js';
import { bold, button, buttons, reply, text } from '../replies.js';
import { YOUTH_STATUS_LABELS } from '../format.js';
import type { CounsellorContext } from './context.js';

/** Reply for a forged, stale or foreign youth id: no name, no data, nothing that confirms the id exists. */
export function notInScope(): HandlerResult {
  return { reply: reply(text('❌ ', bold('Jeune introuvable dans votre portefeuille.'), ' Vérifiez le nom, ou ouvrez la liste de vos jeunes.'), buttons(overviewButton())) };
}

function overviewButton() {
  return button('Mon portefeuille', { kind: 'intent', intent: 'caseload_overview' });
}

/** The one read path for a youth id on the counsellor side: null unless the youth is in the actor's scope. */
export function youthInScope(ctx: CounsellorContext, youthId: number): Promise<YouthIdentity | null> {
  return ctx.store.youth.findYouthInScope(ctx.actor.scope, youthId);
}

export const fullName = (y: { firstName: string; lastName: string }): string => `${y.firstName} ${y.lastName}`;

export type Resolution = { kind: 'found'; youth: YouthIdentity } | { kind: 'answer'; result: HandlerResult };

/**
 * Finds the youth a message is about: the named person (searched in the scope only, tolerant of typos), or the
 * youth in focus when no name was given. Several matches give buttons built by `choice`; none gives a plain answer.
 */
export async function resolveYouth(
  ctx: CounsellorContext,
  person: string | undefined,
  choice: (youthId: number) => Action,
  what: string,
): Promise<Resolution> {
  if (!person) {
    const focus = ctx.state.focusYouthId;
    const youth = focus === undefined ? null : await youthInScope(ctx, focus);
    if (youth) return { kind: 'found', youth };
    return { kind: 'answer', result: { reply: reply(text(`Pour ${what}, donnez-moi son prénom et son nom (par exemple « Léa Martin »).`)) } };
  }
  const matches = await ctx.store.youth.findYouthByName(ctx.actor.scope, person);
  if (matches.length === 0) {
    return {
      kind: 'answer',
      result: { reply: reply(text('Je ne trouve aucun jeune nommé « ', person, ' » dans votre portefeuille.'), buttons(overviewButton())) },
    };
  }
  const best = matches[0]!;
  const closest = matches.filter((m) => m.distance === best.distance);
  if (closest.length === 1 && (best.distance === 0 || matches.length === 1)) return { kind: 'found', youth: best.youth };
  const shown = matches.slice(0, 6);
  // Names, ages and statuses of several youth are shown: that is a read of their files, audited per youth.
  for (const m of shown) await ctx.audit('list_youth_matches', m.youth.id, { shown: shown.length });
  return {
    kind: 'answer',
    result: {
      reply: reply(
        text(`Plusieurs jeunes correspondent à « ${person} ». Lequel ou laquelle ?`),
        buttons(...shown.map((m) => button(choiceLabel(m.youth, ctx.now), choice(m.youth.id)))),
      ),
    },
  };
}

/** "Léa Martin, 21 ans, actif": enough to tell two homonyms apart without opening both files. */
function choiceLabel(y: YouthIdentity, now: Date): string {
  const parts = [fullName(y)];
  if (y.birthDate) parts.push(`${ageAt(y.birthDate, now)} ans`);
  parts.push(YOUTH_STATUS_LABELS[y.status] ?? y.status);
  return parts.join(', ');
}

/** Age in whole years on the Paris calendar date of `now` (one helper for every age: `src/shared/time.ts`). */
export const ageAt = ageOn;
