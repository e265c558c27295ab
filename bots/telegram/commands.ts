/*
 * What Telegram shows about the bot before and around a conversation: the command menu (from the core's
 * command table, `src/core/commands.ts`) and the French profile texts, all set at start-up.
 */
import { COMMANDS } from '../../src/core/commands.js';

/** The menu as `setMyCommands` wants it, in the core's order. */
export const MENU_COMMANDS = COMMANDS.map(({ command, description }) => ({ command, description }));

/** Shown in an empty chat before the user presses Start (`setMyDescription`, at most 512 characters). */
export const BOT_DESCRIPTION =
  'Je suis l’assistant Mission Jeunes de ta Mission locale 👋 Je t’aide à trouver une mission d’intérim près de chez toi, à connaître les aides (logement, transport, garde d’enfants, santé, argent, formation) et à joindre ton conseiller·ère. Appuie sur Démarrer pour commencer.';

/** Shown on the bot's profile and in shares (`setMyShortDescription`, at most 120 characters). */
export const BOT_SHORT_DESCRIPTION = 'Missions d’intérim, aides et contact avec ton conseiller·ère Mission locale.';
