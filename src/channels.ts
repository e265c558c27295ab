import type { Express } from 'express';
import type { Logger } from 'pino';
import type { Assistant } from './core/types.js';
import type { Outbox } from './core/outbox.js';
import type { Config } from './config.js';

/** What the composition root hands a channel adapter. Adapters see the core and the outbox, never the store. */
export interface ChannelDeps {
  assistant: Assistant;
  outbox: Outbox;
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
  /** Sends what the outbox holds for this channel; returns how many were delivered. */
  deliverPending(): Promise<number>;
}
