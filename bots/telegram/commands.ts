/*
 * The bot's slash commands and the plain French text each one stands for. The core only reads text, so a
 * command is translated here and nowhere else; keep this table as data (it also feeds `setMyCommands`).
 */
/** One slash command and the text it stands for. */
export interface CommandEntry {
  /** Without the slash, as Telegram lists it. */
  command: string;
  /** Shown in Telegram's command menu. */
  description: string;
  /** The text handed to the core. */
  text: string;
}

/** The command menu, in the order Telegram shows it. */
export const COMMANDS: readonly CommandEntry[] = [
  { command: 'start', description: 'Commencer', text: 'bonjour' },
  { command: 'help', description: 'Aide : ce que je sais faire', text: 'aide' },
  { command: 'missions', description: 'Chercher une mission d’intérim', text: 'chercher une mission' },
  { command: 'aides', description: 'Les aides (logement, transport, argent…)', text: 'aides' },
  { command: 'conseiller', description: 'Contacter mon conseiller', text: 'contacter mon conseiller' },
  { command: 'rdv', description: 'Mes rendez-vous', text: 'mes rendez-vous' },
  { command: 'mesdonnees', description: 'Mes données personnelles', text: 'mes données' },
];

/** Telegram deep-link payloads (`t.me/bot?start=…`) are limited to these characters. */
const DEEP_LINK_PAYLOAD = /^[A-Za-z0-9_-]{1,64}$/;
const COMMAND = /^\/([A-Za-z0-9_]{1,32})(?:@([A-Za-z0-9_]{1,64}))?(?:\s+([\s\S]*))?$/;

/**
 * Turns a message starting with a slash command into the text the core understands.
 * `/start <payload>` is a deep link carrying a link code, so it becomes "code <payload>".
 * Other known commands keep their arguments ("/missions lyon" -> "chercher une mission lyon").
 * Unknown commands, and commands addressed to another bot, are returned unchanged.
 */
export function commandToText(text: string, botUsername?: string): string {
  const m = COMMAND.exec(text.trim());
  if (!m) return text;
  const [, name = '', target, rest] = m;
  if (target && botUsername && target.toLowerCase() !== botUsername.toLowerCase()) return text;
  const entry = COMMANDS.find((c) => c.command === name.toLowerCase());
  if (!entry) return text;
  const args = (rest ?? '').trim();
  if (entry.command === 'start') return DEEP_LINK_PAYLOAD.test(args) ? `code ${args}` : entry.text;
  return args ? `${entry.text} ${args}` : entry.text;
}
