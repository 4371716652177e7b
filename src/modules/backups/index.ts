import type { AppModule } from '../../core/module.ts';

export { appVersion, backupStatus, BACKUP_FRESH_MS, runBackup } from './service.ts';
export { backupCommand, restoreCommand } from './commands.ts';

/**
 * Backups: `heatwatch backup FILE` and `heatwatch restore FILE` (commands.ts), and the record of
 * each run the console's setup checklist reads. No pages of its own.
 */
export const backupsModule: AppModule = {
  name: 'backups',
  register() {},
};
