import { verifyAuditChain } from '../../core/audit/audit.ts';
import type { Db } from '../../database.ts';

/**
 * `heatwatch audit verify`: walks the whole chain. Prints OK with the row count and answers 0,
 * or names the first row that does not hold and why, and answers 1. Reads only.
 */
export async function auditVerifyCommand(db: Db, out: { log(line: string): void; error(line: string): void } = console): Promise<number> {
  const report = await verifyAuditChain(db);
  if (report.ok) {
    out.log(`OK: the audit chain holds (${report.rows} rows)`);
    return 0;
  }
  out.error(`BROKEN at row ${report.brokenAt}: ${report.reason} (${report.rows} rows before it hold)`);
  return 1;
}
