import path from 'node:path';
import compress from '@fastify/compress';
import Fastify, { type FastifyInstance, LogController } from 'fastify';
import type { DestinationStream } from 'pino';
import type { Config } from './config.ts';
import { type Clock, systemClock } from './core/clock.ts';
import type { DatabaseHandle } from './core/db/connect.ts';
import type { Database } from './database.ts';
import { loadAssetManifest, registerAssets } from './core/http/assets.ts';
import { registerErrorHandlers } from './core/http/errors-handler.ts';
import { registerFormBody } from './core/http/form-body.ts';
import { registerFormTokens, registerOriginCheck } from './core/http/form-token.ts';
import { forwardingWatch, registerForwardingWatch } from './core/http/forwarding.ts';
import { loggerOptions, randomRequestId, registerRequestLog } from './core/http/logging.ts';
import { registerMetrics } from './core/http/metrics.ts';
import { coreGauges } from './core/ops/gauges.ts';
import { registerHealth } from './core/ops/readiness.ts';
import { registerSecurityHeaders, registerSecurityTxt, tileOrigins } from './core/http/security.ts';
import { registerSite, type SiteOptions } from './core/http/site.ts';
import { type Catalogs, loadCatalogs } from './core/i18n/catalog.ts';
import type { AppModule, AppServices } from './core/module.ts';
import { registerDraftRoutes } from './core/auth/draft-routes.ts';
import { registerConsoleGuard } from './core/auth/guard.ts';
import { SessionManager } from './core/auth/sessions.ts';
import { SettingsStore } from './core/settings/settings.ts';
import { recordAudit } from './core/audit/audit.ts';
import { loadServerSecret } from './core/crypto/server-secret.ts';
import { memoryRateLimiter, redisRateLimiter, type RateLimiter } from './core/http/rate-limiter.ts';
import { COMPRESSION } from './core/http/compression.ts';
import { JobQueue } from './core/jobs/queue.ts';
import { createMailer } from './core/mail/outbox.ts';
import { createMailTransport, type MailTransport } from './core/mail/transport.ts';
import { accountsModule, staffDirectory } from './modules/accounts/index.ts';
import { pagesModule } from './modules/pages/index.ts';
import { newsModule } from './modules/news/index.ts';
import { map1193Module } from './modules/map1193/index.ts';
import { tipsModule } from './modules/tips/index.ts';
import { eventsModule } from './modules/events/index.ts';
import { auditModule } from './modules/audit/index.ts';
import { outboxModule } from './modules/outbox/index.ts';
import { settingsModule } from './modules/settings/index.ts';
import { backupsModule } from './modules/backups/index.ts';
import { mailingModule } from './modules/mailing/index.ts';

/** Every part of the product, in the order their routes register. */
const modules: AppModule[] = [accountsModule, pagesModule, newsModule, map1193Module, tipsModule, eventsModule, auditModule, outboxModule, settingsModule, backupsModule, mailingModule];

const BODY_LIMIT = 1024 * 1024;

export type AppDeps = {
  config: Config;
  database: DatabaseHandle<Database>;
  clock?: Clock;
  /** Tests capture logs here to prove what is never written. */
  logStream?: DestinationStream;
  catalogs?: Catalogs;
  /** Tests pass a transport pointed at their own SMTP server. */
  mailTransport?: MailTransport;
  rateLimiter?: RateLimiter;
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

  const app = Fastify({
    logger: loggerOptions(config.logLevel, deps.logStream),
    logController: new LogController({ disableRequestLogging: true }),
    genReqId: randomRequestId,
    trustProxy: config.trustProxy,
    routerOptions: { ignoreTrailingSlash: true },
    bodyLimit: BODY_LIMIT,
    return503OnClosing: true,
  });

  const jobs = new JobQueue({ db: database.db, dialect: database.dialect, clock, log: app.log });
  const mailTransport = deps.mailTransport ?? createMailTransport({ smtpUrl: config.smtpUrl, dataDir: config.dataDir });
  const rateLimiter = deps.rateLimiter ?? (config.redisUrl ? redisRateLimiter(config.redisUrl, () => clock.now().getTime()) : memoryRateLimiter(() => clock.now().getTime()));
  const services: AppServices = {
    config,
    db: database.db,
    dialect: database.dialect,
    clock,
    settings,
    catalogs,
    site,
    jobs,
    mailer: createMailer({ jobs, clock, transport: mailTransport, from: config.mailFrom }),
    rateLimiter,
    sessions: new SessionManager({ secure: config.secure, clock, directory: staffDirectory }),
    secret: await loadServerSecret(database.db, 'hmac', clock.now()),
    audit: (trx, entry) => recordAudit(trx, clock, entry),
    consoleCards: [],
    forwarding: forwardingWatch(),
    accountAccessChanged: [],
    officeSetUp: [],
    gauges: coreGauges(database.db, clock),
  };

  // First, so that every route (the static files' too) gets the request loggers it installs.
  registerRequestLog(app);
  await registerSecurityHeaders(app, { secure: config.secure, imageOrigins: tileOrigins(config.tileUrl), onionUrl: config.onionUrl });
  await app.register(compress, { global: true, ...COMPRESSION });
  registerFormBody(app, { limit: BODY_LIMIT });
  await registerAssets(app, publicDir);
  registerForwardingWatch(app, services.forwarding, config.trustProxy);
  registerMetrics(app, { token: config.metricsToken, gauges: services.gauges });
  registerSite(app, site);
  registerOriginCheck(app);
  registerFormTokens(app, { secret: services.secret, now: () => clock.now() });
  registerHealth(app, { db: database.db, clock, rateLimiter, redis: config.redisUrl !== undefined });
  registerSecurityTxt(app, { settings, clock, baseUrl: config.baseUrl });
  registerConsoleGuard(app, services, services.sessions);
  registerDraftRoutes(app, services);

  for (const module of modules) {
    site.nav.push(...(module.nav ?? []));
    site.consoleNav.push(...(module.consoleNav ?? []));
    services.consoleCards.push(...(module.consoleCards ?? []));
    await module.register(app, services);
  }
  site.nav.sort((a, b) => (a.order ?? 50) - (b.order ?? 50));
  site.consoleNav.sort((a, b) => (a.order ?? 50) - (b.order ?? 50));

  registerErrorHandlers(app, catalogs, settings);
  app.decorate('services', services);
  app.addHook('onClose', async () => {
    await jobs.stop();
    mailTransport.close();
    await rateLimiter.close();
  });
  if (config.runJobs) app.addHook('onReady', async () => jobs.start());
  return app as unknown as App;
}
