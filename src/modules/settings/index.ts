import { definePermissions } from '../../core/auth/permissions.ts';
import type { AppModule } from '../../core/module.ts';
import { registerSettingsRoutes } from './console.routes.ts';

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
  register(app, s) {
    registerSettingsRoutes(app, s);
  },
};
