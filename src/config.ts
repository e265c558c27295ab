import { z } from 'zod';
import { defaultDatabaseUrl } from './store/database-url.js';
import type { CoreConfig } from './core/context.js';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', ''])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');
const optional = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

/** Every setting of the service, from the environment. `.env.example` documents each one. */
export const configSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3978),
  HOST: z.string().default('127.0.0.1'),
  DATABASE_URL: optional.transform((v) => v ?? defaultDatabaseUrl()),
  /** Unset: the embedded SQLite default seeds the demo on first start, PostgreSQL never (see shouldSeedDemo). */
  SEED_DEMO: bool.optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  HTTP_BODY_LIMIT: z.string().default('256kb'),
  AGENCY_FEED_BODY_LIMIT: z.string().default('10mb'),
  TELEGRAM_BOT_TOKEN: optional,
  TELEGRAM_MODE: z.enum(['polling', 'webhook']).default('polling'),
  TELEGRAM_WEBHOOK_URL: optional,
  TELEGRAM_WEBHOOK_PATH: z.string().startsWith('/').default('/telegram/webhook'),
  TELEGRAM_WEBHOOK_SECRET: optional,
  TELEGRAM_API_ROOT: z.string().url().default('https://api.telegram.org'),
  TELEGRAM_BOT_USERNAME: optional,
  MICROSOFT_APP_ID: optional,
  MICROSOFT_APP_PASSWORD: optional,
  MICROSOFT_APP_TENANT_ID: optional,
  MICROSOFT_APP_TYPE: z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI']).default('MultiTenant'),
  /** Where the keys that sign the channel's tokens are published (OpenID metadata); empty = Bot Framework's public cloud. */
  MICROSOFT_BOT_OPENID_METADATA: optional.pipe(z.string().url().optional()),
  LINK_CODE_TTL_HOURS: z.coerce.number().int().min(1).max(24 * 30).default(72),
  LINK_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(5),
  LINK_COOLDOWN_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(15),
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(10_000).default(20),
  STATE_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
  EXITED_RETENTION_DAYS: z.coerce.number().int().min(1).max(36500).default(730),
  NOTIFY_INTERVAL_MS: z.coerce.number().int().min(100).max(3_600_000).default(5_000),
  LLM_PROVIDER: z.enum(['none', 'openai', 'azure-openai', 'ollama']).default('none'),
  LLM_MODEL: optional,
  LLM_BASE_URL: optional.pipe(z.string().url().optional()),
  LLM_API_KEY: optional,
  LLM_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(3_000),
  LLM_ROLES: z
    .string()
    .default('youth,counsellor')
    .transform((v) => v.split(',').map((r) => r.trim()).filter(Boolean))
    .pipe(z.array(z.enum(['youth', 'counsellor']))),
  LLM_CONFIDENCE_THRESHOLD: z.coerce.number().min(0).max(1).default(0.6),
  LLM_REPHRASE: bool.default(false),
  LLM_AZURE_API_VERSION: z.string().default('2024-10-21'),
  SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).max(120_000).default(10_000),
  DELIVERY_RATE_PER_SECOND: z.coerce.number().int().min(1).max(1_000).default(25),
});
export type Config = z.infer<typeof configSchema>;

/** Reads the configuration; throws a message naming the variable when one is invalid. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`Invalid configuration: ${issue.path.join('.')}: ${issue.message}`);
  }
  return parsed.data;
}

/** The conversation core's settings from the service's: the one mapping, used by `npm start` and the terminal chat. */
export function coreConfigFrom(config: Config): CoreConfig {
  return {
    linkCodeTtlHours: config.LINK_CODE_TTL_HOURS,
    linkMaxAttempts: config.LINK_MAX_ATTEMPTS,
    linkCooldownMinutes: config.LINK_COOLDOWN_MINUTES,
    telegramBotUsername: config.TELEGRAM_BOT_USERNAME,
    rateLimitPerMinute: config.RATE_LIMIT_PER_MINUTE,
  };
}
