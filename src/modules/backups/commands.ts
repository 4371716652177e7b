import { verifyAuditChain } from '../../core/audit/audit.ts';
import { BackupError, type BackupSource, restoreBackup } from '../../core/db/backup.ts';
import { connectDatabase } from '../../core/db/connect.ts';
import { migrateToLatest } from '../../core/db/migrate.ts';
import type { Context } from '../../core/context.ts';
import type { Database } from '../../database.ts';
import { runBackup } from './service.ts';

type Out = { log(line: string): void; error(line: string): void };

/**
 * `heatwatch backup FILE`: a consistent copy of the running database. Prints the manifest (its
 * audit head is worth keeping apart from the file: `audit verify --anchor` checks against it).
 */
export async function backupCommand(ctx: Context, database: { file: string | undefined; url: string; schema?: string | undefined }, file: string, out: Out = console): Promise<number> {
  try {
    const manifest = await runBackup(ctx, database, file);
    out.log(JSON.stringify(manifest, null, 2));
    out.log(`Backup written to ${file}. It holds ciphertext only: keep the office recovery key apart from it.`);
    return 0;
  } catch (error) {
    if (error instanceof BackupError) {
      out.error(error.message);
      return 1;
    }
    throw error;
  }
}

/**
 * `heatwatch restore FILE`: into an empty database only. Afterwards the restored chain must hold
 * and pass through the head the manifest recorded; then any migrations this version adds run.
 */
export async function restoreCommand(target: BackupSource & { rootDir: string }, file: string, out: Out = console): Promise<number> {
  let manifest;
  try {
    manifest = await restoreBackup(file, target);
  } catch (error) {
    if (error instanceof BackupError) {
      out.error(error.message);
      return 1;
    }
    throw error;
  }
  const database = connectDatabase<Database>(target.url, { rootDir: target.rootDir });
  try {
    const report = await verifyAuditChain(database.db, 1000, [manifest.auditHead.hash]);
    if (!report.ok) {
      out.error(`Restored, but the audit chain does not hold: row ${report.brokenAt}, ${report.reason}`);
      return 1;
    }
    const applied = await migrateToLatest(database.db);
    out.log(`Restored the backup of ${manifest.createdAt} (version ${manifest.appVersion}, ${manifest.migrations.length} migrations, audit head ${manifest.auditHead.seq}:${manifest.auditHead.hash}).`);
    if (applied.length) out.log(`Then applied: ${applied.join(', ')}`);
    out.log(`The audit chain holds (${report.rows} rows). Tips open with staff passwords or the office recovery key, neither of which is in the backup.`);
    return 0;
  } finally {
    await database.destroy();
  }
}
