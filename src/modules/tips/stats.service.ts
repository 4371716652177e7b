import type { Context } from '../../core/context.ts';
import type { DatabaseGauge } from '../../core/ops/gauges.ts';
import { hourOf } from './model.ts';
import * as repo from './repo.ts';
import { TIP_KINDS, type TipKind } from './tables.ts';

const WEEK_MS = 7 * 24 * 3600_000;

export type WeekStats = { weekStart: string; byKind: Record<TipKind, number>; total: number; medianReviewHours: number | null };
export type TipStats = {
  weeks: WeekStats[];
  review: { reviewed: number; waiting: number; medianHours: number | null; p90Hours: number | null };
};

/** Monday 00:00 UTC of the week a time falls in, as YYYY-MM-DD. */
export function weekStart(iso: string): string {
  const d = new Date(iso);
  const monday = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() - ((d.getUTCDay() + 6) % 7)));
  return monday.toISOString().slice(0, 10);
}

function quantile(sorted: number[], q: number): number | null {
  if (sorted.length === 0) return null;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return Math.round(sorted[i]! * 10) / 10;
}

/**
 * Counts only: tips per week by kind, and hours from arrival to first review. Arrival is kept
 * to the hour, so review times are accurate to about an hour. No content, no ids.
 */
export async function tipStats(ctx: Context, weeks = 12): Promise<TipStats> {
  const now = ctx.clock.now();
  const first = weekStart(new Date(now.getTime() - (weeks - 1) * WEEK_MS).toISOString());
  const rows = await repo.statsRows(ctx.db, `${first}T00:00:00.000Z`);
  const byWeek = new Map<string, WeekStats & { hours: number[] }>();
  for (let i = 0; i < weeks; i++) {
    const start = weekStart(new Date(new Date(`${first}T00:00:00.000Z`).getTime() + i * WEEK_MS).toISOString());
    byWeek.set(start, { weekStart: start, byKind: Object.fromEntries(TIP_KINDS.map((k) => [k, 0])) as Record<TipKind, number>, total: 0, medianReviewHours: null, hours: [] });
  }
  const allHours: number[] = [];
  let waiting = 0;
  for (const row of rows) {
    const week = byWeek.get(weekStart(row.receivedAt));
    if (!week) continue;
    week.byKind[row.kind]++;
    week.total++;
    if (row.firstReviewedAt) {
      const hours = Math.max(0, (new Date(row.firstReviewedAt).getTime() - new Date(row.receivedAt).getTime()) / 3600_000);
      week.hours.push(hours);
      allHours.push(hours);
    } else {
      waiting++;
    }
  }
  allHours.sort((a, b) => a - b);
  return {
    weeks: [...byWeek.values()].reverse().map(({ hours, ...w }) => ({ ...w, medianReviewHours: quantile(hours.sort((a, b) => a - b), 0.5) })),
    review: { reviewed: allHours.length, waiting, medianHours: quantile(allHours, 0.5), p90Hours: quantile(allHours, 0.9) },
  };
}

/**
 * For `/metrics`: tips that arrived in the last complete UTC hour. Never the current hour, whose
 * count would rise at each tip and so date it to a scrape interval; arrival is stored to the hour.
 */
export function tipsReceivedGauge(ctx: Context): DatabaseGauge {
  return {
    name: 'heatwatch_tips_received_last_hour',
    help: 'Tips received in the last complete UTC hour (counts only; changes once an hour)',
    async collect() {
      const previousHour = hourOf(new Date(ctx.clock.now().getTime() - 3600_000));
      return [{ value: await repo.countReceivedInHour(ctx.db, previousHour) }];
    },
  };
}
