/**
 * The Microsoft Teams channel, thin: Bot Framework activities in, `InboundEvent`s to the core, its `Reply`
 * rendered as one Adaptive Card out. Counsellors only; the core decides who is a known counsellor.
 */
import type { Express, Request as ExpressRequest, Response as ExpressResponse } from 'express';
import type { Activity, ConversationReference, TurnContext } from 'botbuilder';
import type { Application, TeamsAdapter } from '@microsoft/teams-ai';
import type { ChannelDeps, ChannelModule } from '../../src/channels.js';
import type { Delivery } from '../../src/core/outbox.js';
import { DeliveryFailure } from '../../src/delivery/failure.js';
import type { Assistant, InboundEvent, TurnResult } from '../../src/core/types.js';
import { WELCOME_ACTION } from '../../src/core/commands.js';
import { renderActivity } from './cards.js';
import { checkActivity, isLoopbackHost, isTeamsUser, pressedLabel, proactiveAddress, toInboundEvent, welcomeEvent } from './inbound.js';

/** The answer to a message from another Bot Framework channel: nothing is read for it. */
const TEAMS_ONLY = 'Cet assistant fonctionne uniquement dans Microsoft Teams, avec un compte de conseiller.';

export const MESSAGES_PATH = '/api/messages';
const APOLOGY = 'Désolé, un problème technique m’empêche de répondre. Réessayez dans un instant.';

/**
 * The Bot Framework libraries, imported at first use: they are most of the service's start-up time and about
 * 100 MB of memory, and a service whose Teams endpoint is never called (Telegram only, local mode) never needs them.
 */
type BotFramework = { builder: typeof import('botbuilder'); ai: typeof import('@microsoft/teams-ai') };
function loadBotFramework(): Promise<BotFramework> {
  return Promise.all([import('botbuilder'), import('@microsoft/teams-ai')]).then(([builder, ai]) => ({ builder, ai }));
}

/**
 * Bot Framework's public-cloud endpoints (botframework-connector's AuthenticationConstants). botbuilder uses them
 * only while none is overridden: as soon as one is (here the OpenID metadata URL), it takes every other value from
 * the settings too, so they are all given.
 */
const PUBLIC_CLOUD = {
  ToChannelFromBotLoginUrl: 'https://login.microsoftonline.com/botframework.com',
  ToChannelFromBotOAuthScope: 'https://api.botframework.com',
  ToBotFromChannelTokenIssuer: 'https://api.botframework.com',
  OAuthUrl: 'https://api.botframework.com',
  ToBotFromEmulatorOpenIdMetadataUrl: 'https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration',
  CallerId: 'urn:botframework:azure',
  ValidateAuthority: true,
};

function createAdapter({ ai: { TeamsAdapter } }: BotFramework, deps: ChannelDeps): TeamsAdapter {
  const c = deps.config;
  if (!c.MICROSOFT_APP_ID) return new TeamsAdapter({});
  return new TeamsAdapter({
    MicrosoftAppId: c.MICROSOFT_APP_ID,
    MicrosoftAppPassword: c.MICROSOFT_APP_PASSWORD,
    MicrosoftAppTenantId: c.MICROSOFT_APP_TENANT_ID,
    MicrosoftAppType: c.MICROSOFT_APP_TYPE,
    ...(c.MICROSOFT_BOT_OPENID_METADATA ? { ...PUBLIC_CLOUD, ToBotFromChannelOpenIdMetadataUrl: c.MICROSOFT_BOT_OPENID_METADATA } : {}),
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
    context.sendActivity({ type: 'typing' }).catch(() => undefined);
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
function createBot({ builder, ai }: BotFramework, adapter: TeamsAdapter, deps: ChannelDeps): Application {
  const { ActivityTypes, MemoryStorage, TurnContext } = builder;
  const bot = new ai.Application({ adapter, storage: new MemoryStorage(), removeRecipientMention: true, startTypingTimer: false, longRunningMessages: false });
  // teams-ai 1.7.4's `run()` starts its own typing timer whatever `startTypingTimer: false` says (a second "typing"
  // every second, test/teams/typing.test.ts saw two), and keeps one timer per Application, so a concurrent turn gets
  // none. The per-turn timer of `handleWithTyping` is the one kept.
  bot.startTypingTimer = () => undefined;
  bot.activity(ActivityTypes.Message, async (context: TurnContext) => {
    if (!isTeamsUser(context.activity)) {
      await context.sendActivity(TEAMS_ONLY);
      return;
    }
    const result = await handleWithTyping(context, deps.assistant, toInboundEvent(context.activity, new Date(), proactiveAddress(TurnContext.getConversationReference(context.activity))));
    if (result.reply.blocks.length === 0) return;
    await deliver(context, result, deps);
  });
  // Installed, or the chat opened for the first time: say what the bot can do (and keep the conversation reference).
  bot.activity(ActivityTypes.ConversationUpdate, async (context: TurnContext) => {
    const event = welcomeEvent(context.activity, new Date(), WELCOME_ACTION, proactiveAddress(TurnContext.getConversationReference(context.activity)));
    if (!event) return;
    const result = await deps.assistant.handle(event);
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

/**
 * The two steps of CloudAdapter's `process` we run ourselves (both public in Bot Framework's design, typed
 * protected): authenticate the request, then run the turn with the authentication result.
 */
interface AuthenticatedPipeline {
  botFrameworkAuthentication: { authenticateRequest(activity: Activity, authHeader: string): Promise<unknown> };
  processActivity(authenticated: unknown, activity: Activity, logic: (context: TurnContext) => Promise<void>): Promise<{ status?: number; body?: unknown } | undefined>;
}

function isLocalRequest(req: ExpressRequest, activity: Activity): boolean {
  const forwarded = req.headers['x-forwarded-for'] !== undefined || req.headers.forwarded !== undefined;
  return !forwarded && isLoopbackHost(req.socket.remoteAddress ?? '') && isLoopbackHost(new URL(activity.serviceUrl).hostname);
}

/**
 * Builds the Teams channel module; `MICROSOFT_APP_ID` unset = anonymous local mode (Agents Playground, tests),
 * which refuses to be built unless the server listens on a loopback address: a header-less TCP forwarder in front
 * of it would otherwise let anyone claim a counsellor's identity.
 */
export function createTeamsChannel(deps: ChannelDeps): ChannelModule {
  const appId = deps.config.MICROSOFT_APP_ID;
  if (!appId && !isLoopbackHost(deps.config.HOST)) {
    throw new Error(
      `Teams anonymous local mode (no MICROSOFT_APP_ID) only listens on a loopback address, not HOST=${deps.config.HOST}: set HOST=127.0.0.1 for local use, or set MICROSOFT_APP_ID and MICROSOFT_APP_PASSWORD to serve Bot Framework.`,
    );
  }
  let loading: Promise<{ adapter: TeamsAdapter; bot: Application; pipeline: AuthenticatedPipeline }> | undefined;
  const loaded = () =>
    (loading ??= loadBotFramework().then((bf) => {
      const adapter = createAdapter(bf, deps);
      // The adapter's own authenticator (built from the same settings). Authenticating here, before
      // processActivity, keeps Bot Framework's `process` out of the way: it answers unverifiable tokens with 500
      // and the error text, and writes raw stack traces to the console.
      return { adapter, bot: createBot(bf, adapter, deps), pipeline: adapter as unknown as AuthenticatedPipeline };
    }));

  async function onPost(req: ExpressRequest, res: ExpressResponse): Promise<void> {
    const checked = checkActivity(req.body);
    if (!checked.ok) {
      deps.log.warn({ channel: 'teams', problem: checked.problem }, 'rejected activity');
      res.status(400).json({ error: 'bad request' });
      return;
    }
    const activity = checked.activity;
    // Without authentication anyone could claim a counsellor's AAD id: local callers and local reply URLs only
    // (a forwarded request came through a proxy, so it is not local even if the socket is).
    if (!appId && !isLocalRequest(req, activity)) {
      res.status(403).json({ error: 'anonymous mode accepts local requests only' });
      return;
    }
    // "expectReplies" returns the bot's answers in this HTTP response instead of posting them to serviceUrl:
    // honoured only for a loopback serviceUrl (the Playground, tests), never for a caller elsewhere.
    if (activity.deliveryMode === 'expectReplies' && !isLoopbackHost(new URL(activity.serviceUrl).hostname)) delete activity.deliveryMode;
    const header = req.headers.authorization;
    try {
      const { bot, pipeline } = await loaded();
      let authenticated: unknown;
      try {
        authenticated = await pipeline.botFrameworkAuthentication.authenticateRequest(activity, typeof header === 'string' ? header : '');
      } catch (err) {
        deps.log.warn({ channel: 'teams', activityId: activity.id, type: (err as Error)?.name }, 'teams authentication refused');
        res.status(401).json({ error: 'unauthorized' });
        return;
      }
      const invoke = await pipeline.processActivity(authenticated, activity, async (context) => {
        await bot.run(context);
      });
      // An invoke nothing here handles gets 501 from teams-ai: the bot will never handle it, so it is answered 200
      // and ignored (logged with its id) rather than looking like a server failure.
      if (invoke?.status === 501) {
        deps.log.info({ channel: 'teams', activityId: activity.id, type: activity.type }, 'activity ignored');
        res.status(200).json({});
        return;
      }
      res.status(invoke?.status ?? 200);
      if (invoke?.body !== undefined) res.json(invoke.body);
      else res.end();
    } catch (err) {
      deps.log.error({ channel: 'teams', activityId: activity.id, type: (err as Error)?.name }, 'teams request failed');
      if (!res.headersSent) res.status(500).json({ error: 'internal error' });
    }
  }

  /** Sends one counsellor alert (an Adaptive Card: one part) to the stored conversation reference. */
  async function send(d: Delivery): Promise<void> {
    if (d.skipParts > 0) return;
    const activity = renderActivity(d.reply);
    if (!activity) throw new DeliveryFailure('rejected', 'empty reply');
    const { adapter } = await loaded();
    try {
      await adapter.continueConversationAsync(appId ?? '', d.address as Partial<ConversationReference>, async (context) => {
        await context.sendActivity(activity);
      });
    } catch (err) {
      throw toDeliveryFailure(err);
    }
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
      // With a registered bot, counsellors are expected: load now rather than at the first message.
      if (appId) {
        await loaded();
      } else {
        const level = isLoopbackHost(deps.config.HOST) ? 'warn' : 'error';
        deps.log[level](
          { channel: 'teams' },
          '⚠️  TEAMS IN ANONYMOUS LOCAL MODE: MICROSOFT_APP_ID is not set, requests are NOT authenticated. Only loopback callers are accepted. Never expose this endpoint.',
        );
      }
    },
    async stop() {},
    canSend: () => true,
    send,
  };
}

/**
 * Classifies a failed Bot Framework connector call (botbuilder's RestError carries `statusCode` and the
 * response headers) for the delivery engine's retry policy: 429 waits as told by Retry-After, 5xx and
 * network errors back off, 403/404 (bot removed from the conversation, conversation gone) are for good.
 */
export function toDeliveryFailure(err: unknown): DeliveryFailure {
  const e = err as { statusCode?: unknown; response?: { headers?: { get?: (n: string) => string | undefined } } } | null;
  const status = typeof e?.statusCode === 'number' ? e.statusCode : undefined;
  if (status === undefined) return new DeliveryFailure('network', 'network');
  const code = `teams ${status}`;
  if (status === 429) {
    const after = Number(e?.response?.headers?.get?.('retry-after'));
    return new DeliveryFailure('rate_limited', code, Number.isFinite(after) && after > 0 ? { retryAfterMs: after * 1000 } : {});
  }
  if (status >= 500) return new DeliveryFailure('server', code);
  if (status === 403 || status === 404) return new DeliveryFailure('unreachable', code);
  return new DeliveryFailure('rejected', code);
}
