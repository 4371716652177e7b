import type { Context } from '../../core/context.ts';
import { rewriteAfterErase } from '../../core/db/dialect.ts';
import * as repo from './repo.ts';

const DAY_MS = 24 * 3600_000;
/** Staff are warned this long before a closed tip is deleted. */
export const WARNING_DAYS = 7;

/** When a tip closed at `closedAt` is deleted, under the office's retention period. */
export function deletionDate(closedAt: string, retentionDays: number): Date {
  return new Date(new Date(closedAt).getTime() + retentionDays * DAY_MS);
}

/** Closed tips that will be deleted within the warning period: the console says so beforehand. */
export async function dueSoon(ctx: Pick<Context, 'db' | 'clock' | 'settings'>): Promise<{ id: string; deleteOn: string }[]> {
  const { retentionDays, now } = await period(ctx);
  const horizon = new Date(now.getTime() - (retentionDays - WARNING_DAYS) * DAY_MS).toISOString();
  const rows = await repo.closedBefore(ctx.db, horizon);
  return rows.map((r) => ({ id: r.id, deleteOn: deletionDate(r.closedAt, retentionDays).toISOString() }));
}

async function period(ctx: Pick<Context, 'clock' | 'settings'>) {
  return { retentionDays: (await ctx.settings.get()).tipRetentionDays, now: ctx.clock.now() };
}

/**
 * Deletes closed tips whose retention period has ended: the tip row (with its receipt lookup
 * and the tipster's wrapped key), every sealed key, message, note and file. Files live in the
 * database, so nothing remains on disk. Each deletion is audited by id only.
 */
export async function deleteExpiredTips(ctx: Context): Promise<number> {
  const { retentionDays, now } = await period(ctx);
  const expired = await repo.closedBefore(ctx.db, new Date(now.getTime() - retentionDays * DAY_MS).toISOString());
  for (const { id } of expired) {
    await ctx.db.transaction().execute(async (trx) => {
      await repo.deleteTip(trx, id);
      await ctx.audit(trx, { action: 'tip.deleted', targetType: 'tip', targetId: id, detail: { reason: 'retention', days: retentionDays } });
    });
  }
  // What opens a tip (its sealed keys, the receipt's key box and lookup) lives in these two
  // small tables: rewritten, they keep no copy, and ciphertext left elsewhere has no key.
  if (expired.length > 0) await rewriteAfterErase(ctx.db, ctx.dialect, ['tip_grants', 'tips']);
  return expired.length;
}

/** Sets the office's retention period for closed tips; audited in the transaction that saves it. */
export async function setRetentionDays(ctx: Context, days: number): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    await ctx.settings.update({ tipRetentionDays: days }, trx);
    await ctx.audit(trx, { action: 'settings.tip_retention', detail: { days } });
  });
  ctx.settings.invalidate();
}
