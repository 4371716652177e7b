import type { Db } from '../../../database.ts';
import { OPEN_STAGES } from '../enforcement/enforcement.ts';
import type { BusinessStatus, Judgement } from '../tables.ts';

/** Narrows the weekly trend to one city, one category, or both: compliance over time where it matters. */
export type TrendFilter = { city?: string; category?: string };

/** Active businesses counted by status within each city (or each category). */
export async function statusCountsBy(db: Db, column: 'city' | 'category'): Promise<{ label: string; status: BusinessStatus; n: number }[]> {
  return db
    .selectFrom('mapBusinesses')
    .select((eb) => [eb.ref(column).as('label'), 'status', eb.fn.countAll<number>().as('n')])
    .where('active', '=', 1)
    .groupBy([column, 'status'])
    .execute();
}

/**
 * When each report on a notice since `sinceIso` was observed and how it was judged, within the
 * trend's city and category. Reports that could not check a notice are data quality, not compliance.
 */
export async function reportJudgementsSince(db: Db, sinceIso: string, trend: TrendFilter): Promise<{ observedAt: string; judgement: Judgement }[]> {
  let query = db
    .selectFrom('mapReports as r')
    .innerJoin('mapBusinesses as b', 'b.id', 'r.businessId')
    .select(['r.observedAt', 'r.judgement'])
    .where('r.observedAt', '>=', sinceIso)
    .where('r.judgement', '<>', 'unchecked');
  if (trend.city) query = query.where('b.city', '=', trend.city);
  if (trend.category) query = query.where('b.category', '=', trend.category);
  return query.execute();
}

/** When each open enforcement case was opened. */
export async function openCaseDates(db: Db): Promise<{ openedAt: string }[]> {
  return db.selectFrom('mapCases').select('openedAt').where('stage', 'in', OPEN_STAGES).execute();
}
