import type { Observation } from '../tables.ts';
import { OBSERVATIONS } from '../tables.ts';
import type { ObservationCount, OfficeStep, OwnReport } from './repo.ts';

/** How far back the community picture looks. */
export const COMMUNITY_DAYS = 90;
export const communitySince = (now: Date) => new Date(now.getTime() - COMMUNITY_DAYS * 86_400_000).toISOString();

/** What reporters saw lately, beside the official status: counts only, never who or what they wrote. */
export type Community = { total: number; counts: { observed: Observation; n: number }[]; disagree: boolean };

export const NO_REPORTS: Community = { total: 0, counts: [], disagree: false };

/** One business's counts, in the form's order; reports disagree when some saw the notice and others did not. */
export function communityOf(rows: readonly Pick<ObservationCount, 'observed' | 'n'>[]): Community {
  const by = new Map<Observation, number>();
  for (const r of rows) by.set(r.observed, (by.get(r.observed) ?? 0) + r.n);
  const counts = OBSERVATIONS.filter((o) => by.has(o)).map((observed) => ({ observed, n: by.get(observed)! }));
  const seen = by.get('posted') ?? 0;
  const notSeen = (by.get('missing') ?? 0) + (by.get('wrong') ?? 0);
  return { total: counts.reduce((n, c) => n + c.n, 0), counts, disagree: seen > 0 && notSeen > 0 };
}

/** Each business's community picture from counts of many. */
export function communitiesOf(rows: readonly ObservationCount[]): Map<string, Community> {
  const grouped = new Map<string, ObservationCount[]>();
  for (const r of rows) grouped.set(r.businessId, [...(grouped.get(r.businessId) ?? []), r]);
  return new Map([...grouped].map(([id, list]) => [id, communityOf(list)]));
}

/**
 * Where a report stands for the person who made it: waiting for an inspector, recorded (nothing
 * to follow up), with the data-quality review or reviewed there, or followed up by an
 * inspector's step since it arrived (the latest one; the step, never who took it).
 */
export type ReportState = 'waiting' | 'recorded' | 'data_quality' | 'reviewed' | 'followed_up';
export type Outcome = { state: ReportState; step?: { action: string; at: string } };

export function outcomeOf(report: Pick<OwnReport, 'judgement' | 'receivedAt' | 'reviewedAt' | 'businessId'>, steps: readonly OfficeStep[]): Outcome {
  if (report.judgement === 'unchecked') return { state: report.reviewedAt ? 'reviewed' : 'data_quality' };
  const after = steps.filter((s) => s.businessId === report.businessId && s.at >= report.receivedAt);
  const last = after.at(-1);
  if (last) return { state: 'followed_up', step: { action: last.action, at: last.at } };
  return { state: report.judgement === 'non_compliant' ? 'waiting' : 'recorded' };
}
