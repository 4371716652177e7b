import { definePermissions } from '../../core/auth/permissions.ts';
import type { AppModule } from '../../core/module.ts';
import { contextFor, SYSTEM } from '../../core/context.ts';
import { ANCHOR_EVERY_MS, anchorJob } from './anchor.tsx';
import { registerAuditRoutes } from './console.routes.ts';

export const AUDIT_PERMISSIONS = definePermissions({ 'audit.read': ['administrator'] });

declare module '../../core/auth/permissions.ts' {
  interface PermissionNames extends Record<keyof typeof AUDIT_PERMISSIONS, true> {}
}

export { auditVerifyCommand } from './commands.ts';
export { sendAuditAnchor } from './anchor.tsx';

/**
 * The audit log in the console: filter, page, export to CSV.
 *
 * Reading the log is not itself recorded, on purpose: only administrators can open it, it holds
 * who-did-what metadata and no tip or personal content, and a row per page view would bury the
 * changes it exists to show. An export is recorded (`audit.export`, with its filters), because a
 * copy then leaves the system; the export includes its own row.
 */
export const auditModule: AppModule = {
  name: 'audit',
  consoleNav: [{ path: '/console/audit', labelKey: 'audit.nav.audit', permission: 'audit.read', order: 95 }],
  register(app, s) {
    registerAuditRoutes(app, s);
    // The head leaves the database once a day (a log line, an e-mail to administrators).
    s.jobs.schedule(anchorJob(contextFor(s, SYSTEM)), ANCHOR_EVERY_MS);
  },
};
