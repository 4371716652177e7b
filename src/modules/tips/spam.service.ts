import type { Context } from '../../core/context.ts';
import * as repo from './repo.ts';
import type { TipSummary } from './tables.ts';

/** A reviewer's word that a tip is spam: it then waits on the administrator's spam page. Audited. */
export async function flagSpam(ctx: Context, tipId: string): Promise<boolean> {
  if (!(await repo.findTip(ctx.db, tipId))) return false;
  await ctx.db.transaction().execute(async (trx) => {
    await repo.updateTip(trx, tipId, { spamFlaggedAt: ctx.clock.now().toISOString() });
    await ctx.audit(trx, { action: 'tip.spam_flagged', targetType: 'tip', targetId: tipId });
  });
  return true;
}

/** Tips reviewers flagged as spam, metadata only. */
export const spamQueue = (ctx: Context): Promise<TipSummary[]> => repo.spamFlagged(ctx.db);

/**
 * Deletes a tip at once as spam, by its id or the short reference staff read: the tip and
 * everything under it, as retention would, with the reason in the audit row of the same
 * transaction. Undefined when no tip answers to the reference.
 */
export async function deleteAsSpam(ctx: Context, reference: string, reason: string): Promise<string | undefined> {
  const tipId = await repo.findTipIdByReference(ctx.db, reference.replace(/^T-/i, ''));
  if (!tipId) return undefined;
  return ctx.db.transaction().execute(async (trx) => {
    const row = await repo.findTip(trx, tipId);
    if (!row) return undefined;
    await repo.deleteTip(trx, tipId);
    await ctx.audit(trx, { action: 'tip.spam_deleted', targetType: 'tip', targetId: tipId, detail: { reason, flagged: row.spamFlaggedAt !== null } });
    return tipId;
  });
}
