import type { AuditRow } from '../../core/audit/audit.ts';
import type { Context } from '../../core/context.ts';
import { csvRow } from '../../core/http/csv.ts';
import { accountNames } from '../accounts/index.ts';
import { spreadsheetTime } from '../../core/i18n/time.ts';
import * as repo from './repo.ts';
import type { AuditFilterInput, AuditFilters } from './schema.ts';

export const PAGE_SIZE = 50;
const EXPORT_BATCH = 500;

export type AuditSearch = {
  rows: AuditRow[];
  /** Cursor for the next newer page (`after`), when there is one. */
  newerAfter: number | undefined;
  /** Cursor for the next older page (`before`), when there is one. */
  olderBefore: number | undefined;
  /** Display names of the accounts the rows name, as actor or as record, for their sentences. */
  names: Map<string, string>;
};

const onlyFilters = ({ before: _b, after: _a, ...filters }: AuditFilterInput): AuditFilters => filters;

/** One page of the log for the console. Reading it is not itself recorded: see index.ts. */
export async function searchAudit(ctx: Context, input: AuditFilterInput, limit = PAGE_SIZE): Promise<AuditSearch> {
  const filters = onlyFilters(input);
  const rows = await repo.auditPage(ctx.db, filters, { before: input.before, after: input.after, limit });
  const first = rows[0];
  const last = rows.at(-1);
  // An empty page offers no cursors; the view always links back to the newest page.
  if (!first || !last) return { rows, newerAfter: undefined, olderBefore: undefined, names: new Map() };
  const ids = rows.flatMap((r) => [r.actorId, r.targetType === 'account' ? r.targetId : null]).filter((id): id is string => id !== null);
  const [newer, older, names] = await Promise.all([repo.hasMatching(ctx.db, filters, 'newer', first.seq), repo.hasMatching(ctx.db, filters, 'older', last.seq), accountNames(ctx, ids)]);
  return { rows, newerAfter: newer ? first.seq : undefined, olderBefore: older ? last.seq : undefined, names };
}

/**
 * `at` stays the stored ISO instant (UTC): it is what the hash chain covers, so a copy can be
 * checked, and it is unambiguous across a daylight-saving change. `at_office_time` beside it is
 * the same instant as the office reads it, for the person reading the file in a spreadsheet.
 */
export const CSV_COLUMNS = ['seq', 'at', 'at_office_time', 'actor_id', 'actor_label', 'action', 'target_type', 'target_id', 'detail', 'prev_hash', 'hash'] as const;

const csvLine = (timeZone: string) => (r: AuditRow) => csvRow([r.seq, r.at, spreadsheetTime(r.at, timeZone), r.actorId, r.actorLabel, r.action, r.targetType, r.targetId, r.detail, r.prevHash, r.hash]);

/**
 * Records the export in the log first, as the context's actor (with its filters), then yields CSV lines, header
 * included, for the matching rows in chain order up to and including that record. Hashes are
 * exported too, so a copy can be checked against the chain later. Cells are neutralised
 * against formula injection by `csvRow`.
 */
export async function exportAudit(ctx: Context, input: AuditFilterInput): Promise<AsyncIterable<string>> {
  const filters = onlyFilters(input);
  const detail: Record<string, string> = {};
  for (const [key, value] of Object.entries(filters)) if (value !== undefined) detail[key] = value;
  const upTo = await ctx.db.transaction().execute((trx) => ctx.audit(trx, { action: 'audit.export', targetType: 'audit_log', detail }));
  const line = csvLine((await ctx.settings.get()).timeZone);
  return (async function* lines() {
    yield csvRow(CSV_COLUMNS);
    let after = 0;
    for (;;) {
      const batch = await repo.auditBatch(ctx.db, filters, after, upTo, EXPORT_BATCH);
      for (const row of batch) yield line(row);
      if (batch.length < EXPORT_BATCH) return;
      after = batch.at(-1)!.seq;
    }
  })();
}
