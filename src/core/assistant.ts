import type { Logger } from 'pino';
import { understand as defaultUnderstand, type Understanding, type Role } from '../nlu/index.js';
import { CommitOutcomeUnknownError, StoreError, type Store } from '../store/index.js';
import { decodeAction } from './actions.js';
import { handleCommandAction, isCommandAction } from './commands.js';
import type { Actor, CoreConfig, HandlerResult, TurnContext } from './context.js';
import { resolveActor } from './identity.js';
import { decide } from './policy.js';
import { bold, reply, text } from './replies.js';
import { parseState, type DialogueState } from './state.js';
import { withoutLapsedQuestion } from './pending.js';
import { inboundEventSchema, MAX_TEXT_LENGTH, replySchema, type Assistant, type InboundEvent, type Reply, type TurnResult } from './types.js';
import { youthRouter } from './youth/router.js';
import { counsellorRouter } from './counsellor/router.js';
import { unknownStaffReply, helpReplyFor } from './common.js';
import { createRateLimiter, type LimiterBackend } from './rate-limit.js';

export interface AssistantDeps {
  store: Store;
  log: Logger;
  config: CoreConfig;
  /** The clock; tests pin it to the seed's "now". */
  now?: () => Date;
  /** The message understanding step; the deterministic NLU by default, the optional LLM route wraps it. */
  understand?: (text: string, role: Role) => Understanding | Promise<Understanding>;
  /** Where the per-user rate-limit counters live (shared by every process on PostgreSQL); memory by default. */
  limiterBackend?: LimiterBackend;
}

/** Button kinds that answer the pending question instead of abandoning it. */
const ANSWERS_PENDING = new Set(['confirm', 'eligibility_answer', 'proposal_answer']);

/** Characters that carry no meaning for us: emoji, symbols, punctuation, spaces. */
const MEANINGLESS = /^[\p{Extended_Pictographic}\p{Emoji_Component}\p{P}\p{S}\p{Z}\s\u200d\ufe0f]*$/u;

/**
 * Builds the one conversation core both bots use. Each turn: validate, skip redeliveries, resolve who is
 * talking, load the dialogue state, understand (or decode the button), decide, run the handler, save the state.
 */
export function createAssistant(deps: AssistantDeps): Assistant {
  const clock = deps.now ?? (() => new Date());
  const understand = deps.understand ?? defaultUnderstand;
  const limiter = createRateLimiter(deps.config.rateLimitPerMinute ?? 20, deps.limiterBackend);

  /** The text of a message as the turn reads it: nothing to read, too long, or trimmed text for the NLU. */
  function readText(event: InboundEvent): { kind: 'empty' } | { kind: 'too_long' } | { kind: 'text'; raw: string } {
    const raw = (event.text ?? '').trim();
    if (raw.length === 0 || MEANINGLESS.test(raw)) return { kind: 'empty' };
    if (raw.length > MAX_TEXT_LENGTH) return { kind: 'too_long' };
    return { kind: 'text', raw };
  }

  /** The NLU's reading of a typed message, when the turn will need one. */
  async function understandEvent(event: InboundEvent, actor: Actor): Promise<Understanding | undefined> {
    if (event.action !== undefined || actor.kind === 'unknown_staff') return undefined;
    const read = readText(event);
    if (read.kind !== 'text') return undefined;
    return understand(read.raw, actor.kind === 'counsellor' ? 'counsellor' : 'youth');
  }

  async function runTurn(event: InboundEvent, ctx: TurnContext, understanding: Understanding | undefined): Promise<HandlerResult & { intent: string }> {
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

    const read = readText(event);
    if (read.kind === 'too_long') {
      return {
        reply: reply(text(`Ton message est trop long (plus de ${MAX_TEXT_LENGTH} caractères). Peux-tu l’écrire en quelques mots ?`)),
        intent: 'too_long',
      };
    }
    if (read.kind === 'empty' || !understanding) {
      return { reply: reply(text('Je n’ai pas compris ton message 🙂 Écris-moi ce que tu cherches, ou choisis :'), ...helpReplyFor(actor).blocks), intent: 'empty' };
    }
    const role: Role = actor.kind === 'counsellor' ? 'counsellor' : 'youth';
    const raw = read.raw;
    const pendingResult = await router.onPending?.(ctx, understanding, raw);
    if (pendingResult) return { ...pendingResult, intent: `pending:${understanding.intent}` };
    const decision = decide(understanding, ctx.state, role);
    // The clarifying question is answered by its buttons; it replaces any question asked before.
    if (decision.kind === 'clarify') return { reply: decision.reply, state: { ...ctx.state, pending: undefined }, intent: 'clarify' };
    // A message meaning a button of the last reply ("voir plus") runs as that press.
    if (decision.kind === 'action') return { ...(await router.onAction(ctx, decision.action)), intent: decision.intent };
    return { ...(await router.onIntent(ctx, decision.intent, decision.understanding, raw, decision.refers)), intent: decision.intent };
  }

  /**
   * The turn committed: claims its kept reply, which a redelivery racing with us may have claimed (and sent) first.
   * If the claim itself cannot be written, the reply is sent anyway: the turn answers normally, so the platform
   * does not redeliver, and nobody else will send it.
   */
  async function claimOrSendAnyway(event: InboundEvent): Promise<boolean> {
    try {
      return await deps.store.conversation.claimReply(event.channel, event.eventId);
    } catch (err) {
      deps.log.warn({ channel: event.channel, eventId: event.eventId, err: errorSummary(err) }, 'reply claim failed, sending anyway');
      return true;
    }
  }

  /**
   * A redelivery of a handled delivery: nothing to send, unless the turn that handled it could not send its reply
   * (its COMMIT was kept, but the connection dropped before it could know). Then that reply is sent now, once.
   */
  async function replyOfEarlierAttempt(event: InboundEvent): Promise<Reply> {
    const kept = replySchema.safeParse(await deps.store.conversation.unclaimedReply(event.channel, event.eventId));
    if (!kept.success || !(await deps.store.conversation.claimReply(event.channel, event.eventId))) return { blocks: [] };
    deps.log.info({ channel: event.channel, eventId: event.eventId }, 'kept reply sent on redelivery');
    return kept.data;
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
      const budget = await limiter.check(`${event.channel}:${event.channelUserId}`);
      if (budget !== 'allow') {
        deps.log.warn({ channel: event.channel, eventId: event.eventId }, 'rate limited');
        // Said once per window: a flood gets one answer, not one per message.
        const said = budget === 'refuse' ? reply(text('Tu m’envoies beaucoup de messages 🙂 Attends une minute avant de continuer.')) : { blocks: [] };
        return { reply: said, duplicate: false, intent: 'rate_limited' };
      }
      try {
        // Who is talking and what they mean come before the transaction: understanding may call a network model
        // (the LLM route), and a SQLite write transaction must never be held across network I/O.
        const actor = await resolveActor(deps.store, event);
        const understanding = await understandEvent(event, actor);
        // One transaction per turn: the processed-update mark, the handler's writes and the dialogue state commit
        // together or not at all, so a failed turn leaves nothing behind and its redelivery runs afresh.
        const result = await deps.store.transaction(async (store) => {
          if (!(await store.conversation.markEventProcessed(event.channel, event.eventId))) return null;
          const state = parseState(await store.conversation.loadConversationState(event.channel, event.channelUserId));
          const now = clock();
          const ctx = makeContext(deps, store, event, actor, withoutLapsedQuestion(state, now), now);
          const outcome = await runTurn(event, ctx, understanding);
          // A handler that changed nothing still keeps what the turn cleared (an abandoned pending question).
          if (outcome.state === undefined && ctx.state !== state) outcome.state = ctx.state;
          if (outcome.state === null) await store.conversation.deleteConversationState(event.channel, event.channelUserId);
          else if (outcome.state !== undefined && actor.kind !== 'unknown_staff') {
            await store.conversation.saveConversationState(event.channel, event.channelUserId, outcome.state satisfies DialogueState);
          }
          if (outcome.reply.blocks.length > 0) await store.conversation.keepReply(event.channel, event.eventId, outcome.reply);
          return outcome;
        });
        if (!result) return { reply: await replyOfEarlierAttempt(event), duplicate: true };
        deps.log.info({ channel: event.channel, eventId: event.eventId, actor: actor.kind, intent: result.intent, ms: Date.now() - started }, 'turn');
        const mine = result.reply.blocks.length === 0 || (await claimOrSendAnyway(event));
        return { reply: mine ? result.reply : { blocks: [] }, duplicate: false, intent: result.intent };
      } catch (err) {
        if (err instanceof CommitOutcomeUnknownError) {
          // The turn may have been kept: say so, and let the redelivery find out (it runs afresh, or sends the kept reply).
          deps.log.error({ channel: event.channel, eventId: event.eventId, err: errorSummary(err) }, 'turn outcome unknown');
          return {
            reply: reply(text('Je n’arrive pas à confirmer que ta demande a bien été enregistrée : elle l’a peut-être été. ', bold('Si tu n’as pas de réponse d’ici quelques minutes'), ', vérifie avant de la refaire.')),
            duplicate: false,
            intent: 'store_unavailable',
            retryable: true,
          };
        }
        // The transaction rolled back: nothing of this turn was kept, which is what the replies below say.
        if (err instanceof StoreError && err.retryable) {
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
          reply: reply(text('Oups, quelque chose s’est mal passé de mon côté. Rien n’a été enregistré : réessaie dans un instant.')),
          duplicate: false,
          intent: 'error',
        };
      }
    },
  };
}

function makeContext(deps: AssistantDeps, store: Store, event: InboundEvent, actor: Actor, state: DialogueState, now: Date): TurnContext {
  const actorRef = (): { actorType: 'youth' | 'counsellor' | 'anonymous'; actorId: string } => {
    if (actor.kind === 'youth') return { actorType: 'youth', actorId: String(actor.youth.id) };
    if (actor.kind === 'counsellor') return { actorType: 'counsellor', actorId: String(actor.counsellor.id) };
    return { actorType: 'anonymous', actorId: `${event.channel}:${event.channelUserId}`.slice(0, 80) };
  };
  return {
    event,
    actor,
    state,
    store,
    now,
    config: deps.config,
    log: deps.log,
    audit: (action, youthId, detail) =>
      store.audit.recordAudit({ ...actorRef(), action, youthId: youthId ?? null, channel: event.channel, at: now, ...(detail ? { detail } : {}) }),
  };
}

/** Error class and driver code without message, stack or values: enough to investigate, nothing personal. */
function errorSummary(err: unknown): { type: string; code?: string } {
  const e = err as { name?: string; code?: unknown; cause?: { code?: unknown } };
  const code = typeof e?.code === 'string' ? e.code : typeof e?.cause?.code === 'string' ? e.cause.code : undefined;
  return { type: e?.name ?? typeof err, ...(code ? { code } : {}) };
}
