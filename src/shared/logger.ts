import pino, { type Logger } from 'pino';

/**
 * Structured logs. Log ids, intents, counts and durations, never message texts, names, phone numbers
 * or tokens: the redact list is a safety net, not a licence.
 */
export function createLogger(level: string = process.env.LOG_LEVEL ?? 'info', destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'mission-jeunes' },
      redact: {
        paths: ['text', '*.text', 'token', '*.token', 'password', '*.password', 'authorization', '*.authorization', 'headers.authorization', 'firstName', 'lastName', '*.firstName', '*.lastName', 'phone', '*.phone'],
        censor: '[redacted]',
      },
    },
    destination,
  );
}
export type { Logger };
