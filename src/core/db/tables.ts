import type { AuditTables } from '../audit/audit.ts';
import type { AuthTables } from '../auth/tables.ts';
import type { SecretsTables } from '../crypto/server-secret.ts';
import type { JobTables } from '../jobs/queue.ts';
import type { OutboxTables } from '../mail/outbox.ts';
import type { SettingsTables } from '../settings/settings.ts';

/**
 * Core's own tables. Each row type lives beside the one component that writes it (the job
 * queue, the outbox, the audit chain, settings, server secrets, staff sessions); console modules
 * may read them.
 */
export type CoreTables = JobTables & OutboxTables & AuditTables & SettingsTables & SecretsTables & AuthTables;
