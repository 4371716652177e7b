import fs from 'node:fs';
import path from 'node:path';
import type { Context } from '../../core/context.ts';
import { type BackupManifest, createBackup } from '../../core/db/backup.ts';
import { newId } from '../../core/crypto/server-secret.ts';
import * as repo from './repo.ts';
import type { BackupRunRow } from './tables.ts';

/** A backup older than this means none is scheduled, or the schedule stopped: the checklist says so. */
export const BACKUP_FRESH_MS = 36 * 3600_000;

export function appVersion(rootDir: string): string {
  try {
    return String((JSON.parse(fs.readFileSync(path.join(rootDir, 'package.json'), 'utf8')) as { version?: string }).version ?? 'unknown');
  } catch {
    return 'unknown';
  }
}

/**
 * Writes a backup of the running database to `file` and records it: a row the console's
 * checklist reads (so the office sees that backups run) and an audit row naming the head the
 * backup carries. Both are written after the copy, so the copy holds neither.
 */
export async function runBackup(ctx: Context, database: { file: string | undefined; url: string; schema?: string | undefined }, file: string): Promise<BackupManifest> {
  const manifest = await createBackup({ dialect: ctx.dialect, ...database }, file, { appVersion: appVersion(ctx.config.rootDir), now: ctx.clock.now() });
  await ctx.db.transaction().execute(async (trx) => {
    await repo.insertBackupRun(trx, {
      id: newId(),
      createdAt: manifest.createdAt,
      dialect: manifest.dialect,
      bytes: manifest.bytes,
      auditSeq: manifest.auditHead.seq,
      auditHash: manifest.auditHead.hash,
      appVersion: manifest.appVersion,
    });
    await ctx.audit(trx, { action: 'backup.created', targetType: 'backup', detail: { auditSeq: manifest.auditHead.seq, auditHash: manifest.auditHead.hash, bytes: manifest.bytes } });
  });
  return manifest;
}

/** The newest backup run, and whether it is recent enough to count as scheduled. */
export async function backupStatus(ctx: Context): Promise<{ last: BackupRunRow | undefined; fresh: boolean }> {
  const last = await repo.lastBackupRun(ctx.db);
  const fresh = last !== undefined && ctx.clock.now().getTime() - Date.parse(last.createdAt) <= BACKUP_FRESH_MS;
  return { last, fresh };
}
