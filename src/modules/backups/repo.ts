import type { Db } from '../../database.ts';
import type { BackupRunRow } from './tables.ts';

export async function insertBackupRun(trx: Db, row: BackupRunRow): Promise<void> {
  await trx.insertInto('backupRuns').values(row).execute();
}

export async function lastBackupRun(db: Db): Promise<BackupRunRow | undefined> {
  const row = await db.selectFrom('backupRuns').select(['id', 'createdAt', 'dialect', 'bytes', 'auditSeq', 'auditHash', 'appVersion']).orderBy('createdAt', 'desc').limit(1).executeTakeFirst();
  return row ? { ...row, bytes: Number(row.bytes), auditSeq: Number(row.auditSeq) } : undefined;
}
