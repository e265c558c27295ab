import type { Actor, HandlerResult, TurnContext } from '../context.js';
import type { DialogueState } from '../state.js';
import type { Reply } from '../types.js';

/** The counsellor actor, narrowed once by the router so handlers never re-check the kind. */
export type CounsellorActor = Extract<Actor, { kind: 'counsellor' }>;

/** A turn context whose actor is known to be a counsellor (or a manager). */
export type CounsellorContext = TurnContext & { actor: CounsellorActor };

/** Narrows a turn context; the assistant only routes counsellors here, so anything else is a wiring bug. */
export function asCounsellor(ctx: TurnContext): CounsellorContext {
  if (ctx.actor.kind !== 'counsellor') throw new Error('counsellor router called for a non-counsellor actor');
  return ctx as CounsellorContext;
}

/** A reply that also sets the next dialogue state (merged over the current one). */
export function withState(ctx: TurnContext, reply: Reply, patch: Partial<DialogueState>): HandlerResult {
  return { reply, state: { ...ctx.state, ...patch } };
}

/** True for managers, whose scope is their whole Mission locale. */
export function isManager(ctx: CounsellorContext): boolean {
  return 'missionLocaleId' in ctx.actor.scope;
}
