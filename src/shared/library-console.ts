import type { Logger } from 'pino';

/**
 * Some libraries write their errors straight to the console, outside our logs: botbuilder's token validation prints
 * "Error finding key for token. Available keys: …" for a forged signature and a whole stack trace for an expired
 * token. In the service, `console.error`, `console.warn` and `console.trace` become one pino line each: the first line
 * of what was printed, cut short, never a stack (a stack or a message may carry internals or an input's text).
 * `console.log` stays the console's: the service prints its own start banner with it.
 * Returns the function that puts the console back (the app's stop).
 */
export function routeLibraryConsoleToLog(log: Logger): () => void {
  const original = { error: console.error, warn: console.warn, trace: console.trace };
  const route = (level: 'warn' | 'error') => (...args: unknown[]) => log[level]({ source: 'library-console', message: summary(args) }, 'library wrote to the console');
  console.error = route('error');
  console.warn = route('warn');
  console.trace = route('warn');
  return () => Object.assign(console, original);
}

const MAX_SUMMARY = 120;

/** The first line of the first argument (an Error's name and message), at most MAX_SUMMARY characters. */
function summary(args: unknown[]): string {
  const first = args[0];
  const text = first instanceof Error ? `${first.name}: ${first.message}` : typeof first === 'string' ? first : typeof first;
  const line = text.split('\n', 1)[0] ?? '';
  return line.length > MAX_SUMMARY ? `${line.slice(0, MAX_SUMMARY)}…` : line;
}
