/**
 * The slash commands of the young people's bot (Telegram) and what each one does: an action of the core, decoded
 * like a button press, never French text for the NLU to classify again. The adapter only recognises the
 * `/command@bot args` syntax and hands the result over; this table also feeds its command menu (`setMyCommands`).
 */
import { encodeAction, type Action } from './actions.js';
import type { HandlerResult, TurnContext } from './context.js';
import { helpReplyFor } from './common.js';
import { bold, buttons, intentButton, reply, text } from './replies.js';
import type { Segment } from './types.js';

/** One slash command. */
export interface CommandEntry {
  /** Without the slash, as Telegram lists it. */
  command: string;
  /** Shown in Telegram's command menu and by /help. */
  description: string;
  /** What the command does. */
  action: Action;
  /**
   * Words typed after the command that carry meaning ("/missions lyon"): they go to the NLU prefixed with this
   * phrase, so the city or sector is read as usual. Commands without it ignore their arguments.
   */
  withArgs?: string;
}

/** The command menu, in the order Telegram shows it. */
export const COMMANDS: readonly CommandEntry[] = [
  { command: 'start', description: 'Commencer', action: { kind: 'intent', intent: 'greeting' } },
  { command: 'help', description: 'Aide : les commandes et ce que je sais faire', action: { kind: 'commands_help' } },
  { command: 'missions', description: 'Chercher une mission d’intérim', action: { kind: 'intent', intent: 'search_missions' }, withArgs: 'chercher une mission' },
  { command: 'aides', description: 'Les aides (logement, transport, argent…)', action: { kind: 'intent', intent: 'support' }, withArgs: 'aides' },
  { command: 'conseiller', description: 'Contacter mon conseiller·ère', action: { kind: 'intent', intent: 'contact_counsellor' } },
  { command: 'rdv', description: 'Mes rendez-vous', action: { kind: 'intent', intent: 'appointment' } },
  { command: 'mesdonnees', description: 'Mes données personnelles', action: { kind: 'intent', intent: 'delete_data' } },
  { command: 'settings', description: 'Réglages (notifications)', action: { kind: 'settings' } },
  { command: 'cancel', description: 'Annuler la question en cours', action: { kind: 'cancel' } },
];

/** The action that welcomes a new Teams user: the help card, saying what the bot can do. */
export const WELCOME_ACTION = encodeAction({ kind: 'intent', intent: 'help' });

/** Telegram deep-link payloads (`t.me/bot?start=…`) are limited to these characters. */
const DEEP_LINK_PAYLOAD = /^[A-Za-z0-9_-]{1,64}$/;
const COMMAND = /^\/([A-Za-z0-9_]{1,32})(?:@([A-Za-z0-9_]{1,64}))?(?:\s+([\s\S]*))?$/;

/** What a message starting with a known command becomes: a button-like action, or text for the NLU. */
export type CommandInput = { action: string } | { text: string };

/**
 * Reads a slash command. `/start <payload>` is a deep link carrying a link code, so it becomes the text
 * "code <payload>" (the linking path reads the code entity). A command with arguments that mean something
 * (`withArgs`) becomes that phrase and the arguments; any other known command becomes its action.
 * Returns null for a message that is not a command, an unknown command, or one addressed to another bot.
 */
export function readCommand(message: string, botUsername?: string): CommandInput | null {
  const m = COMMAND.exec(message.trim());
  if (!m) return null;
  const [, name = '', target, rest] = m;
  if (target && botUsername && target.toLowerCase() !== botUsername.toLowerCase()) return null;
  const entry = COMMANDS.find((c) => c.command === name.toLowerCase());
  if (!entry) return null;
  const args = (rest ?? '').trim();
  if (entry.command === 'start' && args) return DEEP_LINK_PAYLOAD.test(args) ? { text: `code ${args}` } : { action: encodeAction(entry.action) };
  if (args && entry.withArgs) return { text: `${entry.withArgs} ${args}` };
  return { action: encodeAction(entry.action) };
}

/** The actions only a command produces; `handleCommandAction` answers them for every kind of user. */
export type CommandAction = Extract<Action, { kind: 'cancel' | 'settings' | 'commands_help' }>;

export function isCommandAction(a: Action): a is CommandAction {
  return a.kind === 'cancel' || a.kind === 'settings' || a.kind === 'commands_help';
}

/**
 * /cancel, /settings and /help. Each abandons the pending question, as any button that does not answer it does;
 * /cancel says whether there was one.
 */
export function handleCommandAction(ctx: TurnContext, action: CommandAction): HandlerResult {
  const { reply: answer } = answerCommand(ctx, action);
  return { reply: answer, state: { ...ctx.state, pending: undefined } };
}

function answerCommand(ctx: TurnContext, action: CommandAction): Pick<HandlerResult, 'reply'> {
  const tu = ctx.actor.kind === 'counsellor';
  switch (action.kind) {
    case 'cancel': {
      const had = ctx.state.pending !== undefined;
      const said = had ? (tu ? 'C’est annulé.' : 'C’est annulé 👍') : tu ? 'Il n’y a rien en cours à annuler.' : 'Il n’y a rien en cours à annuler 🙂';
      return { reply: reply(text(`${said} ${tu ? 'Que voulez-vous faire ?' : 'Que veux-tu faire ?'}`), ...helpReplyFor(ctx.actor).blocks.slice(1)) };
    }
    case 'settings':
      if (tu) {
        return { reply: reply(text(bold('Réglages'), '\nLes alertes (jeune intéressé par une mission, demande de rappel) vous sont envoyées ici.')) };
      }
      // The young person's messages from the bot: alerts, and the consent to any message it sends on its own.
      return {
        reply: reply(
          text(
            bold('Réglages'),
            '\nJe t’écris de moi-même pour les propositions de ton conseiller·ère, les rappels de rendez-vous et tes alertes de nouvelles missions (au plus un message d’alerte par jour, jamais entre 21 h et 8 h). « stop » arrête tous ces messages, « reprendre les messages » les remet.',
          ),
          buttons(intentButton('alerts_list', '🔔 Mes alertes'), intentButton('stop_messages', '🔕 Stop messages'), intentButton('resume_messages', '▶️ Reprendre les messages')),
        ),
      };
    case 'commands_help': {
      const lines: Segment[] = COMMANDS.filter((c) => c.command !== 'start').flatMap((c, i) => [i > 0 ? '\n' : '', bold(`/${c.command}`), ` : ${c.description}`]);
      return { reply: reply(text(tu ? 'Les commandes :' : 'Les commandes que tu peux utiliser :'), text(...lines), ...helpReplyFor(ctx.actor).blocks) };
    }
  }
}
