import { verifyAuditChain } from '../../core/audit/audit.ts';
import type { Db } from '../../database.ts';

/**
 * `heatwatch audit verify [--anchor HASH]…`: walks the whole chain (and checks it passes through each anchor). Prints OK with the row count and answers 0,
 * or names the first row that does not hold and why, and answers 1. Reads only.
 */
export async function auditVerifyCommand(db: Db, out: { log(line: string): void; error(line: string): void } = console, anchors: readonly string[] = []): Promise<number> {
  const report = await verifyAuditChain(db, 1000, anchors);
  if (report.ok) {
    const through = anchors.length ? `, through ${anchors.length === 1 ? 'the anchored hash' : `all ${anchors.length} anchored hashes`}` : '';
    out.log(`OK: the audit chain holds (${report.rows} rows${through})`);
    return 0;
  }
  out.error(`BROKEN at row ${report.brokenAt}: ${report.reason} (${report.rows} rows before it hold)`);
  return 1;
}
