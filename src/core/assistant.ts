import type { Logger } from 'pino';
import { understand as defaultUnderstand, type Understanding, type Role } from '../nlu/index.js';
import { isUnavailable, type Store } from '../store/index.js';
import { decodeAction } from './actions.js';
import { handleCommandAction, isCommandAction } from './commands.js';
import type { Actor, CoreConfig, HandlerResult, TurnContext } from './context.js';
import { resolveActor } from './identity.js';
import { decide } from './policy.js';
import { bold, reply, text } from './replies.js';
import { parseState, type DialogueState } from './state.js';
import { inboundEventSchema, MAX_TEXT_LENGTH, type Assistant, type InboundEvent, type TurnResult } from './types.js';
import { youthRouter } from './youth/router.js';
import { counsellorRouter } from './counsellor/router.js';
import { unknownStaffReply, helpReplyFor } from './common.js';
import { createRateLimiter } from './rate-limit.js';

export interface AssistantDeps {
  store: Store;
  log: Logger;
  config: CoreConfig;
  /** The clock; tests pin it to the seed's "now". */
  now?: () => Date;
  /** The message understanding step; the deterministic NLU by default, the optional LLM route wraps it. */
  understand?: (text: string, role: Role) => Understanding | Promise<Understanding>;
}

/** Button kinds that answer the pending question instead of abandoning it. */
const ANSWERS_PENDING = new Set(['confirm', 'eligibility_answer']);

/** Characters that carry no meaning for us: emoji, symbols, punctuation, spaces. */
const MEANINGLESS = /^[\p{Extended_Pictographic}\p{Emoji_Component}\p{P}\p{S}\p{Z}\s\u200d\ufe0f]*$/u;

/**
 * Builds the one conversation core both bots use. Each turn: validate, skip redeliveries, resolve who is
 * talking, load the dialogue state, understand (or decode the button), decide, run the handler, save the state.
 */
export function createAssistant(deps: AssistantDeps): Assistant {
  const clock = deps.now ?? (() => new Date());
  const understand = deps.understand ?? defaultUnderstand;
  const limiter = createRateLimiter(deps.config.rateLimitPerMinute ?? 20);

  async function runTurn(event: InboundEvent, ctx: TurnContext): Promise<HandlerResult & { intent: string }> {
    const { actor } = ctx;
    if (actor.kind === 'unknown_staff') return { reply: unknownStaffReply(), intent: 'unauthorized' };
    const router = actor.kind === 'counsellor' ? counsellorRouter : youthRouter;

    if (event.action !== undefined) {
      const action = decodeAction(event.action);
      // Commands (/cancel, /settings, /help) are answered alike for everyone, and see the pending question /cancel drops.
      if (action && isCommandAction(action)) return { ...handleCommandAction(ctx, action), intent: `action:${action.kind}` };
      // A button press abandons a pending question unless it answers it: a later "ok" must not confirm
      // a deletion asked several turns ago.
      if (ctx.state.pending && action && !ANSWERS_PENDING.has(action.kind)) ctx.state = { ...ctx.state, pending: undefined };
      if (!action) {
        return {
          reply: reply(text('Ce bouton n’est plus valable. Voici ce que je peux faire :'), ...helpReplyFor(actor).blocks),
          intent: 'stale_action',
        };
      }
      return { ...(await router.onAction(ctx, action)), intent: `action:${action.kind}` };
    }

    const raw = (event.text ?? '').trim();
    if (raw.length === 0 || MEANINGLESS.test(raw)) {
      return { reply: reply(text('Je n’ai pas compris ton message 🙂 Écris-moi ce que tu cherches, ou choisis :'), ...helpReplyFor(actor).blocks), intent: 'empty' };
    }
    if (raw.length > MAX_TEXT_LENGTH) {
      return {
        reply: reply(text(`Ton message est trop long (plus de ${MAX_TEXT_LENGTH} caractères). Peux-tu l’écrire en quelques mots ?`)),
        intent: 'too_long',
      };
    }
    const role: Role = actor.kind === 'counsellor' ? 'counsellor' : 'youth';
    const understanding = await understand(raw, role);
    const pendingResult = await router.onPending?.(ctx, understanding, raw);
    if (pendingResult) return { ...pendingResult, intent: `pending:${understanding.intent}` };
    const decision = decide(understanding, ctx.state, role);
    if (decision.kind === 'clarify') return { reply: decision.reply, state: { ...ctx.state, pending: { kind: 'clarify', intents: decision.intents } }, intent: 'clarify' };
    return { ...(await router.onIntent(ctx, decision.intent, decision.understanding, raw)), intent: decision.intent };
  }

  return {
    async handle(input: InboundEvent): Promise<TurnResult> {
      const parsed = inboundEventSchema.safeParse(input);
      if (!parsed.success) {
        deps.log.warn({ issue: parsed.error.issues[0]?.path.join('.') }, 'invalid inbound event');
        return { reply: reply(text('Je n’ai pas pu lire ce message. Réessaie avec un texte court.')), duplicate: false, intent: 'invalid_event' };
      }
      const event = parsed.data;
      const started = Date.now();
      if (!limiter.allow(`${event.channel}:${event.channelUserId}`, started)) {
        deps.log.warn({ channel: event.channel, eventId: event.eventId }, 'rate limited');
        return { reply: reply(text('Tu m’envoies beaucoup de messages 🙂 Attends une minute avant de continuer.')), duplicate: false, intent: 'rate_limited' };
      }
      let marked = false;
      try {
        marked = await deps.store.conversation.markEventProcessed(event.channel, event.eventId);
        if (!marked) return { reply: { blocks: [] }, duplicate: true };
        const actor = await resolveActor(deps.store, event);
        const state = parseState(await deps.store.conversation.loadConversationState(event.channel, event.channelUserId));
        const ctx = makeContext(deps, event, actor, state, clock());
        const result = await runTurn(event, ctx);
        // A handler that changed nothing still keeps what the turn cleared (an abandoned pending question).
        if (result.state === undefined && ctx.state !== state) result.state = ctx.state;
        if (result.state === null) await deps.store.conversation.deleteConversationState(event.channel, event.channelUserId);
        else if (result.state !== undefined && actor.kind !== 'unknown_staff') {
          await deps.store.conversation.saveConversationState(event.channel, event.channelUserId, result.state satisfies DialogueState);
        }
        deps.log.info({ channel: event.channel, eventId: event.eventId, actor: actor.kind, intent: result.intent, ms: Date.now() - started }, 'turn');
        return { reply: result.reply, duplicate: false, intent: result.intent };
      } catch (err) {
        // Let a redelivery of this event be handled again: nothing of it was kept.
        if (marked) await deps.store.conversation.unmarkEventProcessed(event.channel, event.eventId).catch(() => undefined);
        if (isUnavailable(err)) {
          deps.log.error({ channel: event.channel, eventId: event.eventId, err: errorSummary(err) }, 'store unavailable');
          return {
            reply: reply(text('Je n’arrive pas à accéder aux informations pour le moment. ', bold('Réessaie dans quelques minutes'), ', rien de ce que tu as demandé n’a été enregistré.')),
            duplicate: false,
            intent: 'store_unavailable',
            retryable: true,
          };
        }
        // A bug or a refused input would fail again on every redelivery: not retryable.
        deps.log.error({ channel: event.channel, eventId: event.eventId, err: errorSummary(err) }, 'turn failed');
        return {
          reply: reply(text('Oups, quelque chose s’est mal passé de mon côté. Réessaie dans un instant.')),
          duplicate: false,
          intent: 'error',
        };
      }
    },
  };
}

function makeContext(deps: AssistantDeps, event: InboundEvent, actor: Actor, state: DialogueState, now: Date): TurnContext {
  const actorRef = (): { actorType: 'youth' | 'counsellor' | 'anonymous'; actorId: string } => {
    if (actor.kind === 'youth') return { actorType: 'youth', actorId: String(actor.youth.id) };
    if (actor.kind === 'counsellor') return { actorType: 'counsellor', actorId: String(actor.counsellor.id) };
    return { actorType: 'anonymous', actorId: `${event.channel}:${event.channelUserId}`.slice(0, 80) };
  };
  return {
    event,
    actor,
    state,
    store: deps.store,
    now,
    config: deps.config,
    log: deps.log,
    audit: (action, youthId, detail) =>
      deps.store.audit.recordAudit({ ...actorRef(), action, youthId: youthId ?? null, channel: event.channel, at: now, ...(detail ? { detail } : {}) }),
  };
}

/** Error class and message without stack or values: enough to investigate, nothing personal. */
function errorSummary(err: unknown): { type: string; code?: string } {
  const e = err as { name?: string; code?: unknown };
  return { type: e?.name ?? typeof err, ...(typeof e?.code === 'string' ? { code: e.code } : {}) };
}
