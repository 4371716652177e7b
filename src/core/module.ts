import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { Config } from '../config.ts';
import type { Clock } from './clock.ts';
import type { DialectName } from './db/connect.ts';
import type { SiteOptions } from './http/site.ts';
import type { Catalogs } from './i18n/catalog.ts';
import type { SettingsStore } from './settings/settings.ts';
import type { NavItem } from './views/context.ts';

/** What the app hands every module: shared services, never another module's internals. */
export type AppServices = {
  config: Config;
  db: Kysely<any>;
  dialect: DialectName;
  clock: Clock;
  settings: SettingsStore;
  catalogs: Catalogs;
  site: SiteOptions;
};

/** One part of the product. `app.ts` lists modules by name; each registers its own routes. */
export type AppModule = {
  name: string;
  /** Public menu entries, in order, placed by `navOrder` among other modules' entries. */
  nav?: NavItem[];
  register(app: FastifyInstance, services: AppServices): Promise<void> | void;
};
