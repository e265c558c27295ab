/**
 * The Microsoft Teams channel, thin: Bot Framework activities in, `InboundEvent`s to the core, its `Reply`
 * rendered as one Adaptive Card out. Counsellors only; the core decides who is a known counsellor.
 */
import type { Express, Request as ExpressRequest, Response as ExpressResponse } from 'express';
import { ActivityTypes, MemoryStorage, type ConversationReference, type Request, type Response, type TurnContext } from 'botbuilder';
import { Application, TeamsAdapter } from '@microsoft/teams-ai';
import type { ChannelDeps, ChannelModule } from '../../src/channels.js';
import type { Assistant, InboundEvent, TurnResult } from '../../src/core/types.js';
import { WELCOME_ACTION } from '../../src/core/commands.js';
import { renderActivity } from './cards.js';
import { activityProblem, isLoopbackHost, isTeamsUser, pressedLabel, toInboundEvent, welcomeEvent } from './inbound.js';

/** The answer to a message from another Bot Framework channel: nothing is read for it. */
const TEAMS_ONLY = 'Cet assistant fonctionne uniquement dans Microsoft Teams, avec un compte de conseiller.';

export const MESSAGES_PATH = '/api/messages';
const APOLOGY = 'Désolé, un problème technique m’empêche de répondre. Réessayez dans un instant.';

function createAdapter(deps: ChannelDeps): TeamsAdapter {
  const c = deps.config;
  if (!c.MICROSOFT_APP_ID) return new TeamsAdapter({});
  return new TeamsAdapter({
    MicrosoftAppId: c.MICROSOFT_APP_ID,
    MicrosoftAppPassword: c.MICROSOFT_APP_PASSWORD,
    MicrosoftAppTenantId: c.MICROSOFT_APP_TENANT_ID,
    MicrosoftAppType: c.MICROSOFT_APP_TYPE,
  });
}

/** A turn slower than this shows "typing…" (Teams users expect it after about a second). */
export const TYPING_AFTER_MS = 1_000;
/** Teams hides the indicator after about three seconds: it is sent again while the turn runs. */
const TYPING_EVERY_MS = 3_000;

/**
 * Runs the core on one event, sending a typing indicator if it takes longer than `TYPING_AFTER_MS`.
 *
 * `retryable` (database down, nothing kept) is honoured differently from Telegram on purpose: Teams does not
 * redeliver a user's message after an error status (the Bot Framework connector reports a failure to the user
 * instead), so an error status would lose the message AND the explanation. The core's polite "réessayez dans
 * quelques minutes" card is sent instead, and the event id was released by the core, so the same text typed
 * again is handled.
 */
async function handleWithTyping(context: TurnContext, assistant: Assistant, event: InboundEvent): Promise<TurnResult> {
  let timer: NodeJS.Timeout | undefined;
  const typing = () => {
    context.sendActivity({ type: ActivityTypes.Typing }).catch(() => undefined);
    timer = setTimeout(typing, TYPING_EVERY_MS);
  };
  timer = setTimeout(typing, TYPING_AFTER_MS);
  try {
    return await assistant.handle(event);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Sends the rendered reply. A reply that `replacesPrevious` (a list page, a refreshed list) updates the card whose
 * button was pressed (`replyToId` of the submit), so an old page keeps no live buttons; if Teams refuses the
 * update (card too old, deleted), the reply is sent as a new message.
 */
async function deliver(context: TurnContext, result: TurnResult, deps: ChannelDeps): Promise<void> {
  const activity = renderActivity(result.reply, pressedLabel(context.activity));
  if (!activity) return;
  const previous = context.activity.replyToId;
  if (result.reply.replacesPrevious && previous && context.activity.value !== undefined) {
    try {
      await context.updateActivity({ ...activity, id: previous });
      return;
    } catch (err) {
      deps.log.warn({ channel: 'teams', activityId: context.activity.id, type: (err as Error)?.name }, 'card update refused, sending a new card');
    }
  }
  await context.sendActivity(activity);
}

/** The teams-ai Application: the message route (typed text and card submits), the welcome, an error boundary. */
function createBot(adapter: TeamsAdapter, deps: ChannelDeps): Application {
  const bot = new Application({ adapter, storage: new MemoryStorage(), removeRecipientMention: true, startTypingTimer: false, longRunningMessages: false });
  bot.activity(ActivityTypes.Message, async (context: TurnContext) => {
    if (!isTeamsUser(context.activity)) {
      await context.sendActivity(TEAMS_ONLY);
      return;
    }
    const result = await handleWithTyping(context, deps.assistant, toInboundEvent(context.activity, new Date()));
    if (result.duplicate) return;
    await deliver(context, result, deps);
  });
  // Installed, or the chat opened for the first time: say what the bot can do (and keep the conversation reference).
  bot.activity(ActivityTypes.ConversationUpdate, async (context: TurnContext) => {
    const event = welcomeEvent(context.activity, new Date(), WELCOME_ACTION);
    if (!event) return;
    const result = await deps.assistant.handle(event);
    if (result.duplicate) return;
    const activity = renderActivity(result.reply);
    if (activity) await context.sendActivity(activity);
  });
  bot.error(async (context: TurnContext, err: Error) => {
    // Ids only: the activity may carry a name or a note.
    deps.log.error({ channel: 'teams', activityId: context.activity?.id, type: err?.name }, 'teams turn failed');
    await context.sendActivity(APOLOGY).catch(() => undefined);
  });
  return bot;
}

function isLocalRequest(req: ExpressRequest): boolean {
  const forwarded = req.headers['x-forwarded-for'] !== undefined || req.headers.forwarded !== undefined;
  return !forwarded && isLoopbackHost(req.socket.remoteAddress ?? '') && isLoopbackHost(new URL((req.body as { serviceUrl: string }).serviceUrl).hostname);
}

/** Builds the Teams channel module; `MICROSOFT_APP_ID` unset = anonymous local mode (Agents Playground, tests). */
export function createTeamsChannel(deps: ChannelDeps): ChannelModule {
  const appId = deps.config.MICROSOFT_APP_ID;
  const adapter = createAdapter(deps);
  const bot = createBot(adapter, deps);

  async function onPost(req: ExpressRequest, res: ExpressResponse): Promise<void> {
    const problem = activityProblem(req.body);
    if (problem) {
      deps.log.warn({ channel: 'teams', problem }, 'rejected activity');
      res.status(400).json({ error: 'bad request' });
      return;
    }
    // Without authentication anyone could claim a counsellor's AAD id: local callers and local reply URLs only
    // (a forwarded request came through a proxy, so it is not local even if the socket is).
    if (!appId && !isLocalRequest(req)) {
      res.status(403).json({ error: 'anonymous mode accepts local requests only' });
      return;
    }
    try {
      await adapter.process(req as unknown as Request, res as unknown as Response, async (context) => {
        await bot.run(context);
      });
    } catch (err) {
      deps.log.error({ channel: 'teams', type: (err as Error)?.name }, 'teams request failed');
      if (!res.headersSent) res.status(500).json({ error: 'internal error' });
    }
  }

  /** Sends the pending counsellor alerts to their stored conversation references. */
  async function deliverPending(): Promise<number> {
    let sent = 0;
    for (const d of await deps.outbox.pending('teams')) {
      const activity = renderActivity(d.reply);
      try {
        if (!activity) throw new Error('empty reply');
        await adapter.continueConversationAsync(appId ?? '', d.address as Partial<ConversationReference>, async (context) => {
          await context.sendActivity(activity);
        });
        await deps.outbox.delivered(d.notificationId);
        sent++;
      } catch (err) {
        const reason = `${(err as Error)?.name ?? 'Error'} ${(err as { statusCode?: number })?.statusCode ?? ''}`.trim();
        deps.log.warn({ channel: 'teams', notificationId: d.notificationId, reason }, 'teams delivery failed');
        await deps.outbox.failed(d.notificationId, reason);
      }
    }
    return sent;
  }

  return {
    name: 'teams',
    status: () => (appId ? 'on: Bot Framework (authenticated)' : 'on: ANONYMOUS local mode (no MICROSOFT_APP_ID), loopback only'),
    mount(app: Express) {
      // The Agents Playground probes the endpoint with HEAD before connecting.
      app.head(MESSAGES_PATH, (_req, res) => {
        res.status(200).end();
      });
      app.post(MESSAGES_PATH, onPost);
    },
    async start() {
      if (!appId) {
        const level = isLoopbackHost(deps.config.HOST) ? 'warn' : 'error';
        deps.log[level](
          { channel: 'teams' },
          '⚠️  TEAMS IN ANONYMOUS LOCAL MODE: MICROSOFT_APP_ID is not set, requests are NOT authenticated. Only loopback callers are accepted. Never expose this endpoint.',
        );
      }
    },
    async stop() {},
    deliverPending,
  };
}
