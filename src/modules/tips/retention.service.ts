import { SYSTEM_ACTOR } from '../../core/audit/audit.ts';
import type { TipsContext } from './model.ts';
import * as repo from './repo.ts';

const DAY_MS = 24 * 3600_000;
/** Staff are warned this long before a closed tip is deleted. */
export const WARNING_DAYS = 7;

/** When a tip closed at `closedAt` is deleted, under the office's retention period. */
export function deletionDate(closedAt: string, retentionDays: number): Date {
  return new Date(new Date(closedAt).getTime() + retentionDays * DAY_MS);
}

/** Closed tips that will be deleted within the warning period: the console says so beforehand. */
export async function dueSoon(ctx: TipsContext): Promise<{ id: string; deleteOn: string }[]> {
  const { retentionDays, now } = await period(ctx);
  const horizon = new Date(now.getTime() - (retentionDays - WARNING_DAYS) * DAY_MS).toISOString();
  const rows = await repo.closedBefore(ctx.s.db, horizon);
  return rows.map((r) => ({ id: r.id, deleteOn: deletionDate(r.closedAt, retentionDays).toISOString() }));
}

async function period(ctx: TipsContext) {
  return { retentionDays: (await ctx.s.settings.get()).tipRetentionDays, now: ctx.s.clock.now() };
}

/**
 * Deletes closed tips whose retention period has ended: the tip row (with its receipt lookup
 * and the tipster's wrapped key), every sealed key, message, note and file. Files live in the
 * database, so nothing remains on disk. Each deletion is audited by id only.
 */
export async function deleteExpiredTips(ctx: TipsContext): Promise<number> {
  const { s } = ctx;
  const { retentionDays, now } = await period(ctx);
  const expired = await repo.closedBefore(s.db, new Date(now.getTime() - retentionDays * DAY_MS).toISOString());
  for (const { id } of expired) {
    await s.db.transaction().execute(async (trx) => {
      await repo.deleteTip(trx, id);
      await s.audit(trx, { actor: SYSTEM_ACTOR, action: 'tip.deleted', targetType: 'tip', targetId: id, detail: { reason: 'retention', days: retentionDays } });
    });
  }
  return expired.length;
}
