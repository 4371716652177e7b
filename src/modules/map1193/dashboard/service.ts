import type { Context } from '../../../core/context.ts';
import type { Db } from '../../../database.ts';
import * as repo from './repo.ts';
import type { TrendFilter } from './repo.ts';
import { type BusinessStatus, OFFICIAL_STATUSES } from '../tables.ts';

/**
 * Only an inspector's step sets an official status. `reported_posted` and `reported_missing` are
 * what a single report set before reports became observations (migration
 * 20261201T1100-map1193-report-outcomes kept them as they were, the missing ones on the
 * inspectors' queue): they say a visitor reported something, not that the office found it, so
 * they count as awaiting an inspector, never as compliant or not.
 */
const COMPLIANT: readonly BusinessStatus[] = ['verified_compliant', 'cured'];
const OFFICIAL: readonly BusinessStatus[] = OFFICIAL_STATUSES;
const REPORTED_ONLY: readonly BusinessStatus[] = ['reported_posted', 'reported_missing'];

/** `known`: businesses with an official status; `awaiting`: reported, not yet looked at by an inspector. */
export type Rate = { label: string; compliant: number; known: number; awaiting: number; total: number };
export type WeekPoint = { week: string; reports: number; compliant: number; judged: number };
export type AgeBucket = { bucket: '0_30' | '31_60' | '61_90' | 'over_90'; count: number };

export type { TrendFilter };

export const WEEKS = 12;
const WEEK_MS = 7 * 86_400_000;

/** Monday (UTC) of the week an instant falls in, as YYYY-MM-DD. */
export function weekOf(at: Date): string {
  const d = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));
  d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7));
  return d.toISOString().slice(0, 10);
}

async function ratesBy(db: Db, column: 'city' | 'category'): Promise<Rate[]> {
  const by = new Map<string, Rate>();
  for (const row of await repo.statusCountsBy(db, column)) {
    const rate = by.get(row.label) ?? by.set(row.label, { label: row.label, compliant: 0, known: 0, awaiting: 0, total: 0 }).get(row.label)!;
    const n = Number(row.n);
    rate.total += n;
    if (COMPLIANT.includes(row.status)) rate.compliant += n;
    if (OFFICIAL.includes(row.status)) rate.known += n;
    if (REPORTED_ONLY.includes(row.status)) rate.awaiting += n;
  }
  return [...by.values()].sort((a, b) => b.total - a.total || a.label.localeCompare(b.label));
}

/**
 * The dashboard's figures: compliance (businesses whose official status says the notice is
 * posted, of those with an official status) and those reported but awaiting an inspector, by
 * city and by category; reports and their compliance per
 * week over the last 12 weeks, for the whole area or the `trend` city and category; open
 * enforcement cases by age.
 */
export async function dashboard(ctx: Pick<Context, 'db' | 'clock'>, trend: TrendFilter = {}) {
  const now = ctx.clock.now();
  const firstWeek = weekOf(new Date(now.getTime() - (WEEKS - 1) * WEEK_MS));
  const [byCity, byCategory, reports, cases] = await Promise.all([
    ratesBy(ctx.db, 'city'),
    ratesBy(ctx.db, 'category'),
    repo.reportJudgementsSince(ctx.db, `${firstWeek}T00:00:00.000Z`, trend),
    repo.openCaseDates(ctx.db),
  ]);
  const weeks: WeekPoint[] = Array.from({ length: WEEKS }, (_, i) => ({ week: weekOf(new Date(Date.parse(`${firstWeek}T12:00:00Z`) + i * WEEK_MS)), reports: 0, compliant: 0, judged: 0 }));
  const index = new Map(weeks.map((w, i) => [w.week, i]));
  for (const r of reports) {
    const w = weeks[index.get(weekOf(new Date(r.observedAt))) ?? -1];
    if (!w) continue;
    w.reports++;
    if (r.judgement === 'compliant' || r.judgement === 'non_compliant') w.judged++;
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
