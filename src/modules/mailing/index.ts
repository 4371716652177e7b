import { definePermissions } from '../../core/auth/permissions.ts';
import { contextFor, SYSTEM } from '../../core/context.ts';
import type { AppModule } from '../../core/module.ts';
import { purgePendingJob, PURGE_EVERY_MS, signupJob } from './subscribers/jobs.ts';
import { registerSubscribeRoutes } from './subscribers/routes.ts';
import { registerTopicRoutes } from './topics/console.routes.ts';

export const MAILING_PERMISSIONS = definePermissions({ 'mailing.topics': ['administrator', 'outreach_coordinator'] });

declare module '../../core/auth/permissions.ts' {
  interface PermissionNames extends Record<keyof typeof MAILING_PERMISSIONS, true> {}
}

/**
 * The mailing list: double opt-in by topic and language at /subscribe, with consent evidence
 * kept for each confirmation; the topics are data the office extends in the console.
 */
export const mailingModule: AppModule = {
  name: 'mailing',
  consoleNav: [{ path: '/console/mailing/topics', labelKey: 'mailing.nav.topics', permission: 'mailing.topics', order: 70 }],
  register(app, s) {
    const ctx = contextFor(s, SYSTEM);
    const signup = signupJob(ctx);
    s.jobs.register(signup);
    s.jobs.schedule(purgePendingJob(ctx), PURGE_EVERY_MS);
    registerSubscribeRoutes(app, s, signup);
    registerTopicRoutes(app, s);
  },
};
