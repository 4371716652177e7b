import path from 'node:path';
import compress from '@fastify/compress';
import formbody from '@fastify/formbody';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyInstance, LogController } from 'fastify';
import type { DestinationStream } from 'pino';
import type { Config } from './config.ts';
import { type Clock, systemClock } from './core/clock.ts';
import type { DatabaseHandle } from './core/db/connect.ts';
import { loadAssetManifest } from './core/http/assets.ts';
import { registerErrorHandlers } from './core/http/errors-handler.ts';
import { registerHealth } from './core/http/health.ts';
import { loggerOptions, registerRequestLog } from './core/http/logging.ts';
import { registerMetrics } from './core/http/metrics.ts';
import { registerSecurityHeaders, tileOrigins } from './core/http/security.ts';
import { registerSite, type SiteOptions } from './core/http/site.ts';
import { type Catalogs, loadCatalogs } from './core/i18n/catalog.ts';
import type { AppModule, AppServices } from './core/module.ts';
import { SettingsStore } from './core/settings/settings.ts';
import { pagesModule } from './modules/pages/index.ts';

/** Every part of the product, in the order their routes register. */
const modules: AppModule[] = [pagesModule];

export type AppDeps = {
  config: Config;
  database: DatabaseHandle<any>;
  clock?: Clock;
  /** Tests capture logs here to prove what is never written. */
  logStream?: DestinationStream;
  catalogs?: Catalogs;
};

export type App = FastifyInstance & { services: AppServices };

/**
 * Builds the HTTP app without listening. Order matters: security headers and compression wrap
 * everything; the site context (locale, settings) comes before any route; error handlers last
 * so they can render translated pages.
 */
export async function buildApp(deps: AppDeps): Promise<App> {
  const { config, database } = deps;
  const clock = deps.clock ?? systemClock;
  const catalogs = deps.catalogs ?? loadCatalogs(path.join(config.rootDir, 'locales'));
  const settings = new SettingsStore(database.db, clock);
  const publicDir = path.join(config.rootDir, 'public');
  const site: SiteOptions = { catalogs, settings, manifest: loadAssetManifest(publicDir), nav: [], consoleNav: [] };
  const services: AppServices = { config, db: database.db, dialect: database.dialect, clock, settings, catalogs, site };

  const app = Fastify({
    logger: loggerOptions(config.logLevel, deps.logStream),
    logController: new LogController({ disableRequestLogging: true }),
    trustProxy: config.trustProxy,
    routerOptions: { ignoreTrailingSlash: true },
    bodyLimit: 1024 * 1024,
    return503OnClosing: true,
  });

  await registerSecurityHeaders(app, { secure: config.secure, imageOrigins: tileOrigins(config.tileUrl) });
  await app.register(compress, { global: true, threshold: 1024, encodings: ['br', 'gzip'] });
  await app.register(formbody);
  await app.register(fastifyStatic, {
    root: path.join(publicDir, 'assets'),
    prefix: '/assets/',
    // Names carry a content hash, so a file at a given URL never changes.
    immutable: true,
    maxAge: '365d',
    preCompressed: true,
    index: false,
  });
  registerRequestLog(app);
  registerMetrics(app, { token: config.metricsToken });
  registerSite(app, site);
  registerHealth(app, database);

  for (const module of modules) {
    for (const item of module.nav ?? []) site.nav.push(item);
    await module.register(app, services);
  }
  site.nav.sort((a, b) => (a.order ?? 50) - (b.order ?? 50));

  registerErrorHandlers(app, catalogs, settings);
  app.decorate('services', services);
  return app as unknown as App;
}
