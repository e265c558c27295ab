import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Express } from 'express';
import type { Logger } from 'pino';
import type { Assistant } from './core/types.js';
import type { Delivery } from './core/outbox.js';
import type { DeliveryPort } from './delivery/engine.js';
import type { Config } from './config.js';

/** What the composition root hands a channel adapter. Adapters see the core and the delivery engine, never the store. */
export interface ChannelDeps {
  assistant: Assistant;
  delivery: DeliveryPort;
  config: Config;
  log: Logger;
}

/**
 * A route answered on `node:http` itself, ahead of express: the server admits the request (503 while draining),
 * reads its JSON body with the same limit and the same 400/413 answers as every other route, and hands it over.
 * For the hot webhook: express's routing and request wrapping cost about 65 µs per request here, some 6% of a
 * Telegram update's CPU.
 */
export interface DirectRoute {
  method: 'POST';
  /** Matched exactly, query string aside. */
  path: string;
  /** Answers the request; never rejects (its failures are answered and logged inside). */
  handle(body: unknown, req: IncomingMessage, res: ServerResponse): Promise<void>;
}

/** A channel adapter (bots/telegram, bots/teams) as the server sees it. */
export interface ChannelModule {
  name: 'telegram' | 'teams';
  /** One line for the start-up banner and /healthz ("polling", "webhook", "off: no token"…). */
  status(): string;
  /** Mounts HTTP routes (/api/messages) on the shared server's express app. */
  mount(app: Express): void;
  /** Routes served ahead of express (the Telegram webhook). */
  directRoutes?(): DirectRoute[];
  start(): Promise<void>;
  stop(): Promise<void>;
  /** False when the channel is off: the delivery engine keeps its messages pending. */
  canSend(): boolean;
  /**
   * Sends one message prepared by the delivery engine (skipping the parts an earlier attempt sent). Throws a
   * `DeliveryFailure` (src/delivery/failure.ts) that classifies the platform's refusal; the engine decides what next.
   */
  send(delivery: Delivery): Promise<void>;
}
