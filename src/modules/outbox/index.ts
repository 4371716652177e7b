import type { AppModule } from '../../core/module.ts';
import { registerOutboxRoutes } from './console.routes.ts';

/**
 * The e-mail outbox in the console: every queued message with its delivery state, and each
 * message's text and HTML source. With no SMTP_URL this is how an administrator reads mail that
 * went to the data/outbox folder instead of a server. Opening a message is audited.
 */
export const outboxModule: AppModule = {
  name: 'outbox',
  consoleNav: [{ path: '/console/outbox', labelKey: 'outbox.nav.outbox', permission: 'outbox.read', order: 96 }],
  register(app, s) {
    registerOutboxRoutes(app, s);
  },
};
