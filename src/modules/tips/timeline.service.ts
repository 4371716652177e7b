import { auditRowsForTarget } from '../../core/audit/audit.ts';
import type { Context } from '../../core/context.ts';
import { accountNames } from '../accounts/index.ts';

/** One thing that happened to a tip, as its page shows it. */
export type TimelineEntry = {
  at: string;
  /** The audit action (`tip.open`, `tip.status`, …): the page words it. */
  action: string;
  /** Who did it, by name where it was a staff member. */
  actor: string;
  /** What the words need from the row's detail: a status, an agency, a person. */
  params: Record<string, string>;
};

type Detail = Record<string, string | number | boolean | null>;

const parse = (detail: string): Detail => {
  try {
    return JSON.parse(detail) as Detail;
  } catch {
    return {};
  }
};

/**
 * What happened to a tip, oldest first, from the audit rows about this tip and no other. For a
 * viewer who may read the tip: the route asks only once the tip opened for them. Detail is kept
 * to what the page words (never a reason typed when contact details were opened).
 */
export async function tipTimeline(ctx: Context, tipId: string): Promise<TimelineEntry[]> {
  const rows = await auditRowsForTarget(ctx.db, 'tip', tipId);
  const details = rows.map((r) => parse(r.detail));
  const ids = rows.flatMap((r, i) => [r.actorId, typeof details[i]!.to === 'string' && r.action !== 'tip.status' ? (details[i]!.to as string) : null]);
  const names = await accountNames(ctx, ids.filter((id): id is string => id !== null));
  return rows.map((row, i) => {
    const detail = details[i]!;
    const params: Record<string, string> = {};
    if (row.action === 'tip.status') {
      if (typeof detail.to === 'string') params.status = detail.to;
      if (typeof detail.referredTo === 'string') params.agency = detail.referredTo;
      if (typeof detail.disposition === 'string') params.disposition = detail.disposition;
    } else if ((row.action === 'tip.assign' || row.action === 'tip.grant') && typeof detail.to === 'string') {
      params.person = names.get(detail.to) ?? '—';
    }
    return { at: row.at, action: row.action, actor: row.actorId ? (names.get(row.actorId) ?? row.actorLabel) : row.actorLabel, params };
  });
}
