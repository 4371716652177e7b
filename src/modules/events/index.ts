import { definePermissions } from '../../core/auth/permissions.ts';
import type { AppModule } from '../../core/module.ts';
import { registerEventConsoleRoutes } from './events/console.routes.ts';
import { registerRegistrationRoutes } from './registrations/routes.ts';
import { registerRequestConsoleRoutes } from './requests/console.routes.ts';
import { queueCounts } from './requests/queue.service.ts';
import { registerRequestRoutes } from './requests/routes.ts';

export const EVENTS_PERMISSIONS = definePermissions({
  /** The queue of "host a training" requests: reading them, moving them, trainers and notes. */
  'events.requests': ['outreach_coordinator', 'administrator'],
  /** Creating and changing events (a converted request included), their registrations and reports. */
  'events.manage': ['outreach_coordinator', 'administrator'],
});

declare module '../../core/auth/permissions.ts' {
  interface PermissionNames extends Record<keyof typeof EVENTS_PERMISSIONS, true> {}
}

/**
 * Trainings and events: communities' requests to host a training and the office's pipeline for
 * them, and the events themselves. Announcing events to a mailing list is left to that module:
 * it can read published, listed events through this module's exports when it exists.
 */
export const eventsModule: AppModule = {
  name: 'events',
  nav: [{ path: '/events', labelKey: 'events.nav.calendar', order: 40 }],
  consoleNav: [{ path: '/console/trainings', labelKey: 'events.nav.requests', permission: 'events.requests', order: 40 }],
  consoleCards: [
    {
      permission: 'events.requests',
      load: async (ctx) => {
        const { fresh, stale } = await queueCounts(ctx);
        return [
          { labelKey: 'events.cards.stale', value: stale, href: '/console/trainings?stale=1', tone: 'urgent' },
          { labelKey: 'events.cards.new', value: fresh, href: '/console/trainings?status=submitted', tone: 'normal' },
        ];
      },
    },
  ],
  register(app, s) {
    registerRequestRoutes(app, s);
    registerRequestConsoleRoutes(app, s);
    registerEventConsoleRoutes(app, s);
    registerRegistrationRoutes(app, s);
  },
};
