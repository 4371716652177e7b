import { definePermissions } from '../../core/auth/permissions.ts';
import multipart from '@fastify/multipart';
import { type Context, contextFor, SYSTEM } from '../../core/context.ts';
import type { AppModule, ConsoleCard } from '../../core/module.ts';
import { multipartLimits } from './attachments.ts';
import { registerTipConsoleRoutes } from './console.routes.ts';
import { dropLostGrants } from './grants.service.ts';
import { registerTipOfficeRoutes } from './office.routes.ts';
import { loadReceiptKeys } from './receipt-keys.ts';
import { NOTIFY_EVERY_MS, RETENTION_EVERY_MS, tipJobs } from './jobs.ts';
import * as repo from './repo.ts';
import { dueSoon } from './retention.service.ts';
import { registerTipRoutes } from './routes.ts';
import { registerTipSpamRoutes } from './spam.routes.ts';
import { tipsReceivedGauge } from './stats.service.ts';

export const TIPS_PERMISSIONS = definePermissions({
  /** Reading tip content and talking to tipsters. Administrators do not read tips by default. */
  'tips.read': ['tip_reviewer', 'investigator'],
  /** Status, assignment, referral, closing. */
  'tips.triage': ['tip_reviewer'],
  /** Giving another reviewer access to existing tips. */
  'tips.grant': ['tip_reviewer', 'administrator'],
  /** Opening the contact details a tipster gave: who they are, apart from what they reported. */
  'tips.identity': ['tip_reviewer'],
  /** Deleting a tip at once as spam (a reviewer can only flag it). */
  'tips.spam': ['administrator'],
  /** Counts only, no content. */
  'tips.stats': ['administrator', 'tip_reviewer', 'investigator'],
});

declare module '../../core/auth/permissions.ts' {
  interface PermissionNames extends Record<keyof typeof TIPS_PERMISSIONS, true> {}
}

async function queueCards(ctx: Context): Promise<ConsoleCard[]> {
  const [fresh, urgent] = await Promise.all([repo.countTips(ctx.db, { status: 'new' }), repo.countTips(ctx.db, { status: 'open', urgent: true })]);
  return [
    { labelKey: 'tips.cards.urgent', value: urgent, href: '/console/tips?urgent=1', tone: 'urgent' },
    { labelKey: 'tips.cards.new', value: fresh, href: '/console/tips?status=new', tone: 'normal' },
  ];
}

/**
 * The tip line: the public form and the tipster's follow-up (anonymous, encrypted, no cookie),
 * the staff queue and case pages, sharing of tip keys, notifications and retention.
 */
export { tipLineState, type TipLineState } from './submit.service.ts';
/** `T-Ab3x_9Qz`: how staff read a tip's id, for other modules that name tips. */
export { refLabel as tipReferenceLabel } from './views/badges.tsx';

export const tipsModule: AppModule = {
  name: 'tips',
  nav: [{ path: '/tip', labelKey: 'tips.nav.tip', order: 20 }],
  consoleNav: [
    { path: '/console/tips', labelKey: 'tips.nav.queue', permission: 'tips.read', order: 10 },
    { path: '/console/tips/stats', labelKey: 'tips.nav.stats', permission: 'tips.stats', order: 11 },
    { path: '/console/tips/access', labelKey: 'tips.nav.access', permission: 'tips.grant', order: 12 },
    { path: '/console/tips/spam', labelKey: 'tips.nav.spam', permission: 'tips.spam', order: 13 },
  ],
  consoleCards: [
    { permission: 'tips.read', load: queueCards },
    {
      permission: 'tips.triage',
      load: async (ctx) => [{ labelKey: 'tips.cards.deleting', value: (await dueSoon(ctx)).length, href: '/console/tips?status=closed', tone: 'urgent' }],
    },
  ],
  async register(app, s) {
    const receipts = await loadReceiptKeys(s);
    s.accountAccessChanged.push(dropLostGrants(s));
    s.gauges.push(tipsReceivedGauge(contextFor(s, SYSTEM)));
    const jobs = tipJobs(contextFor(s, SYSTEM));
    s.jobs.schedule(jobs.notify, NOTIFY_EVERY_MS);
    s.jobs.schedule(jobs.retention, RETENTION_EVERY_MS);
    // Static paths (stats, access) before /console/tips/:id, though the router would prefer them anyway.
    registerTipOfficeRoutes(app, s);
    registerTipSpamRoutes(app, s);
    registerTipConsoleRoutes(app, s);
    // Multipart parsing exists only inside this scope, with the tip line's limits. Not awaited:
    // the scope then loads at ready(), after app.ts has set the error handlers, and inherits them.
    void app.register(async (scope) => {
      await scope.register(multipart, { throwFileSizeLimit: false, limits: multipartLimits });
      registerTipRoutes(scope, s, receipts);
    });
  },
};
