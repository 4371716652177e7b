export type BackupRunRow = {
  id: string;
  createdAt: string;
  dialect: string;
  bytes: number;
  auditSeq: number;
  auditHash: string;
  appVersion: string;
};

export type BackupsTables = { backupRuns: BackupRunRow };
