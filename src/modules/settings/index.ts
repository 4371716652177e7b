import { definePermissions } from '../../core/auth/permissions.ts';
import type { AppModule } from '../../core/module.ts';
import multipart from '@fastify/multipart';
import { registerLogoRoute, registerSettingsRoutes } from './console.routes.ts';
import { MAX_LOGO_BYTES } from './logo.service.ts';
import { setupChecklist } from './checklist.service.ts';

export const SETTINGS_PERMISSIONS = definePermissions({ 'settings.manage': ['administrator'] });

declare module '../../core/auth/permissions.ts' {
  interface PermissionNames extends Record<keyof typeof SETTINGS_PERMISSIONS, true> {}
}

/**
 * Office settings in the console: everything first-run setup asked and more (contact, links,
 * quick exit, map centre, notice language, tip retention). Saving leaves demo mode and writes
 * an audit row naming the changed settings, not their values.
 */
export const settingsModule: AppModule = {
  name: 'settings',
  consoleNav: [{ path: '/console/settings', labelKey: 'settings.nav.settings', permission: 'settings.manage', order: 94 }],
  // The setup checklist stays on the console home until every step is done.
  consoleCards: [
    {
      permission: 'settings.manage',
      async load(ctx) {
        const { left } = await setupChecklist(ctx);
        return left > 0 ? [{ labelKey: 'settings.checklist.card', value: left, href: '/console/settings/checklist', tone: 'urgent' }] : [];
      },
    },
  ],
  register(app, s) {
    registerSettingsRoutes(app, s);
    // Multipart only here, sized for one logo. Not awaited, so the scope loads at ready() and
    // inherits the app's error handlers (as in the map module).
    void app.register(async (scope) => {
      await scope.register(multipart, { throwFileSizeLimit: false, limits: { fileSize: MAX_LOGO_BYTES, files: 1, fields: 5, fieldSize: 1024, parts: 8, headerPairs: 100 } });
      registerLogoRoute(scope, s);
    });
  },
};
