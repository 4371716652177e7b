import { definePermissions } from '../../core/auth/permissions.ts';
import type { AppModule } from '../../core/module.ts';
import { registerOutboxRoutes } from './console.routes.ts';
import { countUndelivered } from './repo.ts';

export const OUTBOX_PERMISSIONS = definePermissions({ 'outbox.read': ['administrator'] });

declare module '../../core/auth/permissions.ts' {
  interface PermissionNames extends Record<keyof typeof OUTBOX_PERMISSIONS, true> {}
}

/**
 * The e-mail outbox in the console: every queued message with its delivery state, and each
 * message's text and HTML source. With no SMTP_URL this is how an administrator reads mail that
 * went to the data/outbox folder instead of a server. Opening a message is audited.
 */
export const outboxModule: AppModule = {
  name: 'outbox',
  consoleNav: [{ path: '/console/outbox', labelKey: 'outbox.nav.outbox', permission: 'outbox.read', order: 96 }],
  consoleCards: [
    {
      permission: 'outbox.read',
      // Shown only when there is something to act on: mail that did not go out.
      load: async (ctx) => {
        const value = await countUndelivered(ctx.db);
        return value ? [{ labelKey: 'outbox.cards.undelivered', value, href: '/console/outbox', tone: 'urgent' }] : [];
      },
    },
  ],
  register(app, s) {
    registerOutboxRoutes(app, s);
  },
};
