import type { HandlerResult } from '../context.js';
import { bold, reply, text } from '../replies.js';
import type { CounsellorContext } from './context.js';
import { fullName, notInScope, resolveYouth, youthInScope } from './resolve.js';

/**
 * Teams refuses messages over ~28 KB, and each line of the JSON becomes a card element of its own (~80 bytes of
 * card markup): 6,000 characters of JSON stay well under the limit; beyond, the export is cut and says so.
 */
const MAX_EXPORT_CHARS = 6_000;

/**
 * Right of access: everything the store holds about the youth in focus, as JSON in a text block.
 * The focus is re-checked against the scope (a stale focus from another scope exports nothing); audited.
 */
export async function exportFocusYouth(ctx: CounsellorContext): Promise<HandlerResult> {
  const focus = ctx.state.focusYouthId;
  const youth = focus === undefined ? null : await youthInScope(ctx, focus);
  if (!youth) return focus === undefined ? { reply: reply(text('Ouvrez d’abord la fiche dont vous voulez exporter les données.')) } : notInScope();
  const data = await ctx.store.dataRights.exportYouthData(youth.id);
  if (!data) return notInScope();
  const json = JSON.stringify(data, null, 1);
  await ctx.audit('export_youth_data', youth.id, { chars: json.length });
  const cut = json.length > MAX_EXPORT_CHARS;
  return {
    reply: reply(
      text('Export des données de ', bold(fullName(youth)), ' (droit d’accès, format JSON)', cut ? ' — trop long pour un message, tronqué : demandez l’export complet à l’administrateur.' : ' :'),
      text(cut ? `${json.slice(0, MAX_EXPORT_CHARS)}\n…` : json),
    ),
  };
}

/** "exporte les données de Léa Martin": resolves the youth in the scope (or the focus), then exports. */
export async function exportYouth(ctx: CounsellorContext, person: string | undefined): Promise<HandlerResult> {
  if (!person) return exportFocusYouth(ctx);
  const found = await resolveYouth(ctx, person, (youthId) => ({ kind: 'youth_summary', youthId }), 'exporter des données');
  if (found.kind === 'answer') return found.result;
  return exportFocusYouth({ ...ctx, state: { ...ctx.state, focusYouthId: found.youth.id } });
}
