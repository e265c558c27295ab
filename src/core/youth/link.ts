import type { HandlerResult, TurnContext } from '../context.js';
import { bold, buttons, reply, text, intentButton } from '../replies.js';
import { redeemLinkCode } from '../linking.js';
import { wantedMissionButtons } from './missions.js';
import { savePendingAlert } from './alerts.js';

const REASONS: Record<string, string> = {
  malformed: 'Ce code n’a pas le bon format : il fait 8 caractères (lettres et chiffres), par exemple K7P3XQ2M.',
  unknown: 'Ce code n’est pas valable. Vérifie-le, ou demande un nouveau code à ton conseiller·ère.',
  expired: 'Ce code a expiré. Demande un nouveau code à ton conseiller·ère.',
  used: 'Ce code a déjà été utilisé. Demande un nouveau code à ton conseiller·ère.',
  revoked: 'Ce code a été remplacé par un plus récent. Utilise le dernier code reçu, ou demande-en un nouveau.',
};

/** Links this Telegram account to the youth's file with a one-time code. */
export async function linkAccount(ctx: TurnContext, code: string | undefined): Promise<HandlerResult> {
  if (ctx.actor.kind === 'youth') {
    return { reply: reply(text(`Ton compte est déjà relié à ton dossier, ${ctx.actor.youth.firstName} 🙂`)), state: { ...ctx.state, pending: undefined } };
  }
  if (!code) {
    return {
      reply: reply(text('Pour relier ton compte, demande un code à ton conseiller·ère Mission locale, puis écris-moi ', bold('code XXXXXXXX'), ' (ou ouvre le lien reçu).')),
    };
  }
  if (ctx.event.channel !== 'telegram') {
    return { reply: reply(text('La liaison de compte se fait depuis Telegram.')) };
  }
  const outcome = await redeemLinkCode(ctx, code);
  if (!outcome.ok) {
    const message =
      outcome.reason === 'rate_limited'
        ? `Trop d’essais. Pour ta sécurité, attends ${ctx.config.linkCooldownMinutes} minutes avant de réessayer.`
        : REASONS[outcome.reason]!;
    return { reply: reply(text(message)) };
  }
  await ctx.store.audit.recordAudit({ actorType: 'youth', actorId: String(outcome.youthId), action: 'link_account', youthId: outcome.youthId, channel: ctx.event.channel, at: ctx.now });
  // Linking is the consent to messages from the bot (the reply says so, and how to stop them).
  await ctx.store.consent.setMessagesConsent(outcome.youthId, ctx.now);
  const youth = await ctx.store.youth.findYouthById(outcome.youthId);
  const offers = await wantedMissionButtons({ ...ctx, actor: youth ? { kind: 'youth', youth, channelUserId: ctx.event.channelUserId } : ctx.actor }, ctx.state.wantedMissionIds ?? []);
  const alert = await savePendingAlert(ctx, outcome.youthId);
  return {
    reply: reply(
      text(`C’est fait ✅ Ton compte est relié à ton dossier${youth ? `, ${youth.firstName}` : ''}. Tu peux maintenant suivre tes candidatures, voir tes rendez-vous et joindre ton conseiller·ère.`),
      text('Je pourrai aussi t’écrire de moi-même (propositions de ton conseiller·ère, rappels de rendez-vous, alertes de missions). Pour ne plus rien recevoir : écris « stop ».'),
      ...(alert ? [text('🔔 Ton alerte est activée : ', bold(alert), '.')] : []),
      ...(offers.length ? [text('Tu avais repéré ces missions, tu veux que je prévienne ton conseiller·ère ?'), buttons(...offers)] : []),
      buttons(intentButton('my_applications'), intentButton('appointment')),
    ),
    state: { ...ctx.state, pending: undefined, pendingAlert: undefined },
  };
}
