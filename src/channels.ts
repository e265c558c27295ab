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

/** A channel adapter (bots/telegram, bots/teams) as the server sees it. */
export interface ChannelModule {
  name: 'telegram' | 'teams';
  /** One line for the start-up banner and /healthz ("polling", "webhook", "off: no token"…). */
  status(): string;
  /** Mounts HTTP routes (webhook, /api/messages) on the shared server. */
  mount(app: Express): void;
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
