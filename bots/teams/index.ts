/**
 * The Microsoft Teams channel, thin: Bot Framework activities in, `InboundEvent`s to the core, its `Reply`
 * rendered as one Adaptive Card out. Counsellors only; the core decides who is a known counsellor.
 */
import type { Express, Request as ExpressRequest, Response as ExpressResponse } from 'express';
import { ActivityTypes, MemoryStorage, type ConversationReference, type Request, type Response, type TurnContext } from 'botbuilder';
import { Application, TeamsAdapter } from '@microsoft/teams-ai';
import type { ChannelDeps, ChannelModule } from '../../src/channels.js';
import type { Delivery } from '../../src/core/outbox.js';
import { DeliveryFailure } from '../../src/delivery/failure.js';
import { renderActivity } from './cards.js';
import { activityProblem, isLoopbackHost, isTeamsUser, toInboundEvent } from './inbound.js';

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

/** The teams-ai Application: one message route (typed text and card submits), an error boundary. */
function createBot(adapter: TeamsAdapter, deps: ChannelDeps): Application {
  const bot = new Application({ adapter, storage: new MemoryStorage(), removeRecipientMention: true, startTypingTimer: false, longRunningMessages: false });
  bot.activity(ActivityTypes.Message, async (context: TurnContext) => {
    if (!isTeamsUser(context.activity)) {
      await context.sendActivity(TEAMS_ONLY);
      return;
    }
    const result = await deps.assistant.handle(toInboundEvent(context.activity, new Date()));
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

  /** Sends one counsellor alert (an Adaptive Card: one part) to the stored conversation reference. */
  async function send(d: Delivery): Promise<void> {
    if (d.skipParts > 0) return;
    const activity = renderActivity(d.reply);
    if (!activity) throw new DeliveryFailure('rejected', 'empty reply');
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
      if (!appId) {
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
