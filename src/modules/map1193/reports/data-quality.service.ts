import type { Context } from '../../../core/context.ts';
import type { DataQualityObservation, ReviewOutcome } from '../tables.ts';
import * as repo from './repo.ts';

export const DATA_QUALITY_LIMIT = 500;

export type DataQualityItem = {
  business: Pick<repo.DataQualityRow, 'id' | 'name' | 'address' | 'city' | 'category'>;
  counts: { observed: DataQualityObservation; n: number }[];
  first: string;
};

/**
 * The data-quality queue: businesses whose reports could not check the notice (closed, no
 * access) or say the listing is wrong, not yet reviewed, the longest waiting first. These
 * reports feed no compliance figure; this queue is where they are answered.
 */
export async function dataQualityQueue(ctx: Pick<Context, 'db'>): Promise<DataQualityItem[]> {
  const items = new Map<string, DataQualityItem>();
  for (const row of await repo.dataQualityQueue(ctx.db, DATA_QUALITY_LIMIT)) {
    const item = items.get(row.id) ?? items.set(row.id, { business: row, counts: [], first: row.first }).get(row.id)!;
    item.counts.push({ observed: row.observed as DataQualityObservation, n: row.n });
    if (row.first < item.first) item.first = row.first;
  }
  return [...items.values()].sort((a, b) => (a.first === b.first ? a.business.id.localeCompare(b.business.id) : a.first < b.first ? -1 : 1));
}

/**
 * An inspector's or administrator's answer to a listing's data-quality reports: the listing is
 * right (kept), or the business is taken off the map (removed). False when nothing was waiting.
 */
export async function reviewListing(ctx: Context, businessId: string, outcome: ReviewOutcome): Promise<boolean> {
  const at = ctx.clock.now().toISOString();
  return ctx.db.transaction().execute(async (trx) => {
    const reports = await repo.reviewDataQuality(trx, businessId, outcome, at);
    if (reports === 0) return false;
    if (outcome === 'removed') await repo.deactivateBusiness(trx, businessId, at);
    await ctx.audit(trx, { action: 'map1193.data_quality_review', targetType: 'map1193.business', targetId: businessId, detail: { outcome, reports } });
    return true;
  });
}
