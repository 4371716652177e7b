import type { Kysely } from 'kysely';
import type { Context } from '../../core/context.ts';
import { OPEN_STAGES } from './enforcement.ts';
import type { BusinessStatus, MapTables } from './tables.ts';

const q = (db: Kysely<any>) => db as Kysely<MapTables>;

const GOOD: readonly BusinessStatus[] = ['reported_posted', 'verified_compliant', 'cured'];
const BAD: readonly BusinessStatus[] = ['reported_missing', 'notice_sent', 'penalised'];

export type Rate = { label: string; compliant: number; known: number; total: number };
export type WeekPoint = { week: string; reports: number; compliant: number; judged: number };
export type AgeBucket = { bucket: '0_30' | '31_60' | '61_90' | 'over_90'; count: number };

export const WEEKS = 12;
const WEEK_MS = 7 * 86_400_000;

/** Monday (UTC) of the week an instant falls in, as YYYY-MM-DD. */
export function weekOf(at: Date): string {
  const d = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));
  d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7));
  return d.toISOString().slice(0, 10);
}

async function ratesBy(db: Kysely<any>, column: 'city' | 'category'): Promise<Rate[]> {
  const rows = await q(db)
    .selectFrom('mapBusinesses')
    .select([column, 'status', (eb) => eb.fn.countAll<number>().as('n')])
    .where('active', '=', 1)
    .groupBy([column, 'status'])
    .execute();
  const by = new Map<string, Rate>();
  for (const row of rows as { city?: string; category?: string; status: BusinessStatus; n: number | string }[]) {
    const label = (column === 'city' ? row.city : row.category) ?? '';
    const rate = by.get(label) ?? by.set(label, { label, compliant: 0, known: 0, total: 0 }).get(label)!;
    const n = Number(row.n);
    rate.total += n;
    if (GOOD.includes(row.status)) rate.compliant += n;
    if (GOOD.includes(row.status) || BAD.includes(row.status)) rate.known += n;
  }
  return [...by.values()].sort((a, b) => b.total - a.total || a.label.localeCompare(b.label));
}

/** Narrows the weekly trend to one city, one category, or both: compliance over time where it matters. */
export type TrendFilter = { city?: string; category?: string };

async function weeklyReports(db: Kysely<any>, since: string, trend: TrendFilter) {
  let query = q(db).selectFrom('mapReports as r').innerJoin('mapBusinesses as b', 'b.id', 'r.businessId').select(['r.observedAt', 'r.judgement']).where('r.observedAt', '>=', since);
  if (trend.city) query = query.where('b.city', '=', trend.city);
  if (trend.category) query = query.where('b.category', '=', trend.category);
  return query.execute();
}

/**
 * The dashboard's figures: compliance (businesses whose latest status says the notice is posted,
 * of those with any report or visit) by city and by category; reports and their compliance per
 * week over the last 12 weeks, for the whole area or the `trend` city and category; open
 * enforcement cases by age.
 */
export async function dashboard(ctx: Pick<Context, 'db' | 'clock'>, trend: TrendFilter = {}) {
  const now = ctx.clock.now();
  const firstWeek = weekOf(new Date(now.getTime() - (WEEKS - 1) * WEEK_MS));
  const [byCity, byCategory, reports, cases] = await Promise.all([
    ratesBy(ctx.db, 'city'),
    ratesBy(ctx.db, 'category'),
    weeklyReports(ctx.db, `${firstWeek}T00:00:00.000Z`, trend),
    q(ctx.db).selectFrom('mapCases').select('openedAt').where('stage', 'in', OPEN_STAGES).execute(),
  ]);
  const weeks: WeekPoint[] = Array.from({ length: WEEKS }, (_, i) => ({ week: weekOf(new Date(Date.parse(`${firstWeek}T12:00:00Z`) + i * WEEK_MS)), reports: 0, compliant: 0, judged: 0 }));
  const index = new Map(weeks.map((w, i) => [w.week, i]));
  for (const r of reports) {
    const w = weeks[index.get(weekOf(new Date(r.observedAt))) ?? -1];
    if (!w) continue;
    w.reports++;
    if (r.judgement !== 'not_covered') w.judged++;
    if (r.judgement === 'compliant') w.compliant++;
  }
  const ages: AgeBucket[] = [
    { bucket: '0_30', count: 0 },
    { bucket: '31_60', count: 0 },
    { bucket: '61_90', count: 0 },
    { bucket: 'over_90', count: 0 },
  ];
  for (const c of cases) {
    const days = Math.floor((now.getTime() - Date.parse(c.openedAt)) / 86_400_000);
    ages[days <= 30 ? 0 : days <= 60 ? 1 : days <= 90 ? 2 : 3]!.count++;
  }
  return { byCity: byCity.slice(0, 20), byCategory, weeks, ages };
}
