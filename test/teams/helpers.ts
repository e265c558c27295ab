import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadConfig, type Config } from '../../src/config.js';
import { startApp, type App, type StartOptions } from '../../src/app.js';
import { createLogger } from '../../src/shared/logger.js';
import { capturingLogger } from '../helpers/logs.js';
import { createTeamsChannel } from '../../bots/teams/index.js';
import type { TestDatabase } from '../helpers/db.js';

/** What the bot posted to the fake Bot Framework connector. */
export interface CapturedActivity {
  /** POST for a new activity, PUT for an update of an earlier one. */
  method: string;
  path: string;
  body: Record<string, unknown>;
}

/**
 * A local stand-in for the Bot Framework connector (the `serviceUrl`): it captures what the bot sends to
 * `/v3/conversations/{id}/activities[/{replyToId}]` and answers `{ id }` as the real service does.
 */
export async function startReceiver(): Promise<{ url: string; received: CapturedActivity[]; messages(): CapturedActivity[]; close(): Promise<void> }> {
  const received: CapturedActivity[] = [];
  let n = 0;
  const server = http.createServer((req, res) => {
    let data = '';
    req.on('data', (chunk) => (data += chunk));
    req.on('end', () => {
      try {
        received.push({ method: req.method ?? '', path: req.url ?? '', body: data ? JSON.parse(data) : {} });
      } catch {
        received.push({ method: req.method ?? '', path: req.url ?? '', body: { unparsable: data } });
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id: `sent-${++n}` }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    messages: () => received.filter((a) => a.body.type !== 'typing'),
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/** Everything the Teams app logs during a test file, at debug level, for the log-hygiene scan. */
export const teamsAppLogs = capturingLogger('debug');

export function testConfig(env: Record<string, string> = {}): Config {
  return loadConfig({ PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', NOTIFY_INTERVAL_MS: '3600000', TELEGRAM_BOT_USERNAME: 'MissionJeunesBot', ...env });
}

/** The real service (Teams channel only) on a random port, on the test's database copy and clock. */
export function startTeamsApp(db: TestDatabase, env: Record<string, string> = {}, options: Pick<StartOptions, 'routeLibraryConsole'> = {}): Promise<App> {
  return startApp({
    ...options,
    config: testConfig(env),
    log: teamsAppLogs.log,
    channels: [createTeamsChannel],
    now: () => db.now,
    opened: { store: db.store, connection: { ...db.connection, close: async () => undefined } },
  });
}

let activityCounter = 0;

/** A Bot Framework message activity from a Teams user in a personal chat with the bot. */
export function teamsMessage(serviceUrl: string, aadObjectId: string, over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: 'message',
    id: `act-${process.pid}-${++activityCounter}`,
    channelId: 'msteams',
    serviceUrl,
    timestamp: new Date().toISOString(),
    locale: 'fr-FR',
    from: { id: `29:user-${aadObjectId}`, aadObjectId, name: 'Utilisateur de test' },
    recipient: { id: '28:mission-jeunes-bot', name: 'Mission Jeunes' },
    conversation: { id: `a:personal-${aadObjectId}`, conversationType: 'personal', tenantId: 'tenant-demo' },
    channelData: { tenant: { id: 'tenant-demo' } },
    ...over,
  };
}

export async function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${url}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

type Json = Record<string, unknown>;

/** The Adaptive Card of a captured activity. */
export function cardOf(activity: Json): Json {
  const attachments = activity.attachments as { contentType: string; content: Json }[] | undefined;
  const card = attachments?.find((a) => a.contentType === 'application/vnd.microsoft.card.adaptive')?.content;
  if (!card) throw new Error(`no adaptive card in ${JSON.stringify(activity).slice(0, 300)}`);
  return card;
}

/** Every element of a card, depth first. */
export function elements(node: unknown): Json[] {
  const out: Json[] = [];
  const walk = (n: unknown) => {
    if (Array.isArray(n)) n.forEach(walk);
    else if (n && typeof n === 'object') {
      const o = n as Json;
      if (typeof o.type === 'string') out.push(o);
      for (const v of Object.values(o)) if (v && typeof v === 'object') walk(v);
    }
  };
  walk(node);
  return out;
}

/** The visible plain text of a card (TextRuns and TextBlocks: dates stay as their `{{DATE()}}` functions). */
export function cardText(card: Json): string {
  const parts: string[] = [];
  for (const e of elements(card)) if (e.type === 'TextRun' || e.type === 'TextBlock') parts.push(String(e.text));
  return parts.join('\n');
}

export function submitActions(card: object): { title: string; action: string }[] {
  return elements(card)
    .filter((e) => e.type === 'Action.Submit')
    .map((e) => ({ title: String(e.title), action: String((e.data as { action: string }).action) }));
}

/** Label -> value of the card's label/value rows (two-column ColumnSets of text), as shown. */
export function facts(card: Json): Map<string, string> {
  const m = new Map<string, string>();
  for (const set of elements(card).filter((e) => e.type === 'ColumnSet')) {
    const columns = set.columns as Json[];
    const nested = elements(columns).some((e) => e.type === 'ColumnSet' || e.type === 'Container');
    if (columns.length === 2 && !nested) m.set(cardText(columns[0]!), cardText(columns[1]!));
  }
  // A long value is stacked under its label: a Container of exactly the label and the value.
  for (const box of elements(card).filter((e) => e.type === 'Container')) {
    const items = box.items as Json[];
    if (items.length === 2 && items.every((i) => i.type === 'RichTextBlock' || i.type === 'TextBlock')) m.set(cardText(items[0]!), cardText(items[1]!));
  }
  return m;
}
