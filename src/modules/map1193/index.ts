import { definePermissions } from '../../core/auth/permissions.ts';
import multipart from '@fastify/multipart';
import type { AppModule } from '../../core/module.ts';
import { registerActionRoutes } from './action-days/routes.ts';
import { scheduleAlertJobs } from './alerts/jobs.ts';
import { registerAlertRoutes } from './alerts/routes.ts';
import { registerImportRoutes } from './import/routes.ts';
import { registerRuleRoutes } from './rules/routes.ts';
import { registerCaseStepRoute, registerMapConsoleRoutes } from './enforcement/routes.ts';
import { registerDashboardRoutes } from './dashboard/routes.ts';
import { registerDataRoutes } from './businesses/data.routes.ts';
import { removeDemoAtSetup, seedDemoBusinesses } from './businesses/demo.ts';
import { registerOfflineRoutes } from './offline/routes.ts';
import { loadPhotoKey, resealLegacyPhotos } from './shared/photo-key.ts';
import { MAX_PHOTO_BYTES } from './shared/photos.ts';
import { registerMapRoutes } from './businesses/routes.ts';
import { registerVolunteerReportRoutes } from './reports/volunteer.routes.ts';
import { registerOutcomeRoutes } from './reports/outcome.routes.ts';

export const MAP_PERMISSIONS = definePermissions({
  'map.report': ['volunteer', 'compliance_inspector', 'outreach_coordinator', 'administrator'],
  'map.coordinate': ['outreach_coordinator', 'administrator'],
  'map.inspect': ['compliance_inspector'],
  /** The data-quality queue: listings reports say are closed, unreachable or not a kind the law covers. */
  'map.data_quality': ['compliance_inspector', 'administrator'],
  'map.dashboard': ['compliance_inspector', 'outreach_coordinator', 'administrator'],
  /** Importing businesses. */
  'map.manage': ['administrator', 'compliance_inspector'],
  /** Amending the law as data: categories, notice requirements, penalties. */
  'map.rules': ['administrator'],
});

declare module '../../core/auth/permissions.ts' {
  interface PermissionNames extends Record<keyof typeof MAP_PERMISSIONS, true> {}
}

export { IMPORT_USAGE, runBusinessImport } from './import/import.ts';

/**
 * MAP1193: the businesses California Civil Code § 52.6 covers, on a map and in a list, public
 * reports on their hotline notices, the owner's check and the printable notice, open data.
 */
export const map1193Module: AppModule = {
  name: 'map1193',
  nav: [{ path: '/map1193', labelKey: 'map.nav.map', order: 30 }],
  consoleNav: [
    { path: '/console/map1193/my-route', labelKey: 'map.nav.myRoute', permission: 'map.report', order: 30 },
    { path: '/console/map1193/my-reports', labelKey: 'map.nav.myReports', permission: 'map.report', order: 30 },
    { path: '/console/map1193/days', labelKey: 'map.nav.days', permission: 'map.coordinate', order: 31 },
    { path: '/console/map1193/inspections', labelKey: 'map.nav.inspections', permission: 'map.inspect', order: 32 },
    { path: '/console/map1193/data-quality', labelKey: 'map.nav.dataQuality', permission: 'map.data_quality', order: 32 },
    { path: '/console/map1193/dashboard', labelKey: 'map.nav.dashboard', permission: 'map.dashboard', order: 33 },
    { path: '/console/map1193/import', labelKey: 'map.nav.import', permission: 'map.manage', order: 34 },
    { path: '/console/map1193/rules', labelKey: 'map.nav.rules', permission: 'map.rules', order: 35 },
    { path: '/console/map1193/alerts', labelKey: 'map.alerts.nav', permission: 'map.inspect', order: 36 },
  ],
  async register(app, services) {
    if (services.config.seedDemo) await seedDemoBusinesses(services.db, await services.settings.get(), services.clock);
    services.officeSetUp.push((trx, setUp) => removeDemoAtSetup(services, trx, setUp));
    // Outside the database, so a dump of it alone opens no photo of the people in them.
    const photoKey = await loadPhotoKey(services.config.dataDir);
    const { resealed, unreadable } = await resealLegacyPhotos(services.db, photoKey);
    if (resealed > 0) app.log.info({ resealed }, 'MAP1193 photos sealed again with the key in DATA_DIR');
    if (unreadable > 0) app.log.error({ unreadable }, 'MAP1193 photos that neither the old nor the DATA_DIR key opens');
    registerDataRoutes(app, services);
    registerMapConsoleRoutes(app, services, photoKey);
    registerDashboardRoutes(app, services);
    registerActionRoutes(app, services);
    registerOfflineRoutes(app, services);
    registerRuleRoutes(app, services);
    registerAlertRoutes(app, services);
    scheduleAlertJobs(services);
    registerOutcomeRoutes(app, services);
    // Multipart parsing exists only inside this scope, with limits that fit one photo and a short form.
    // Not awaited on purpose: the scope then loads at ready(), after app.ts has set the error
    // handlers, and inherits them (a scope loaded now would keep Fastify's JSON defaults).
    void app.register(async (scope) => {
      await scope.register(multipart, {
        throwFileSizeLimit: false,
        limits: { fileSize: MAX_PHOTO_BYTES, files: 1, fields: 20, fieldSize: 16 * 1024, parts: 24, headerPairs: 100 },
      });
      registerMapRoutes(scope, { services, photoKey });
      registerCaseStepRoute(scope, services, photoKey);
      registerImportRoutes(scope, services);
      registerVolunteerReportRoutes(scope, services, photoKey);
    });
  },
};
