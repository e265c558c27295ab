/**
 * Running a confirmed counsellor write. Apart from `confirm.ts` (asking), which the writers themselves import:
 * the writers and the answer to their question would otherwise import each other.
 */
import { reply, text } from '../replies.js';
import type { HandlerResult } from '../context.js';
import type { CounsellorContext } from './context.js';
import { createLinkCode } from './link-code.js';
import { saveNote } from './log-contact.js';
import { proposeMission } from './propose.js';

/** The answer to the confirmation (button or bare yes/no): runs the write or drops it. */
export function answerConfirmation(ctx: CounsellorContext, yes: boolean): Promise<HandlerResult> | HandlerResult {
  const pending = ctx.state.pending;
  const cleared = { ...ctx.state, pending: undefined };
  if (pending?.kind !== 'confirm_write') {
    return { reply: reply(text('Cette question n’est plus d’actualité (elle attend 5 minutes au plus) : rien n’a été enregistré. Redemandez si besoin.')), state: cleared };
  }
  if (!yes) return { reply: reply(text('D’accord, je n’enregistre rien.')), state: cleared };
  const c = { ...ctx, state: cleared };
  const write = pending.write;
  switch (write.kind) {
    case 'propose':
      return proposeMission(c, write.youthId, write.missionId);
    case 'note':
      return saveNote(c, write.youthId, write.note, write.channel);
    case 'link_code':
      return createLinkCode(c, write.youthId);
  }
}
