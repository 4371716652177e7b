import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.ts';
import type { Permission, Role } from './auth/permissions.ts';
import type { SessionManager } from './auth/sessions.ts';
import type { Db } from '../database.ts';
import type { AuditActor, AuditEntry } from './audit/audit.ts';
import type { Clock } from './clock.ts';
import type { Context } from './context.ts';
import type { DialectName } from './db/connect.ts';
import type { ForwardingWatch } from './http/forwarding.ts';
import type { RateLimiter } from './http/rate-limiter.ts';
import type { DatabaseGauge } from './ops/gauges.ts';
import type { SiteOptions } from './http/site.ts';
import type { Catalogs } from './i18n/catalog.ts';
import type { JobQueue } from './jobs/queue.ts';
import type { Mailer } from './mail/outbox.ts';
import type { SettingsStore } from './settings/settings.ts';
import type { NavItem } from './views/context.ts';

/** What the app hands every module: shared services, never another module's internals. */
export type AppServices = {
  config: Config;
  db: Db;
  dialect: DialectName;
  clock: Clock;
  settings: SettingsStore;
  catalogs: Catalogs;
  site: SiteOptions;
  jobs: JobQueue;
  mailer: Mailer;
  rateLimiter: RateLimiter;
  /** Staff sessions: cookies, rotation, the sealed unlocked key. */
  sessions: SessionManager;
  /** Random per-office secret for HMACs: form tokens, throttle keys. */
  secret: Buffer;
  /** Appends to the audit chain inside `trx`, the transaction that makes the change. */
  audit(trx: Db, entry: AuditEntry): Promise<number>;
  /** Set once a request came through a proxy while `TRUST_PROXY` is off; the console home says so. */
  forwarding: ForwardingWatch;
  /** Filled from each module's `consoleCards`, read by the console home page. */
  consoleCards: ConsoleCardProvider[];
  /**
   * Called by the accounts module, inside the transaction that changes an account's roles or
   * deactivates it, so modules can drop what the account may no longer hold (the tips module
   * deletes its sealed tip keys) without accounts knowing about them. Modules push theirs at register.
   */
  accountAccessChanged: AccountAccessHook[];
  /**
   * Called by the accounts module inside the transaction that completes first-run setup, so a
   * module can drop what only a demonstration office should have (MAP1193 its demo businesses).
   */
  officeSetUp: OfficeSetUpHook[];
  /** Gauges `/metrics` reads from the database at each scrape; core's own and modules' (pushed at register). */
  gauges: DatabaseGauge[];
};

/** What the administrator chose at setup, and who they are (the actor of any audit row). */
export type OfficeSetUp = { removeDemo: boolean; actor: AuditActor };

/** Runs in the setup transaction; a throw rolls setup back with it. */
export type OfficeSetUpHook = (trx: Db, setUp: OfficeSetUp) => Promise<void>;

/** An account's access after a change: its roles now and whether it is active, and who changed it. */
export type AccountAccessChange = { accountId: string; roles: readonly Role[]; active: boolean; actor: AuditActor };

/** Runs in the caller's transaction; a throw rolls the account change back with it. */
export type AccountAccessHook = (trx: Db, change: AccountAccessChange) => Promise<void>;

/** A figure on the console home: what needs a person's attention first, with where to act. */
export type ConsoleCard = { labelKey: string; value: number; href: string; tone?: 'urgent' | 'normal' };

export type ConsoleCardProvider = {
  permission: Permission;
  /** Loaded for the signed-in staff member holding `permission`, who is `ctx.actor`. */
  load(ctx: Context): Promise<ConsoleCard[]>;
};

/** One part of the product. `app.ts` lists modules by name; each registers its own routes. */
export type AppModule = {
  name: string;
  /** Public menu entries; `order` places them among other modules' entries. */
  nav?: NavItem[];
  /** Console menu entries, each shown to those holding its permission. */
  consoleNav?: NavItem[];
  consoleCards?: ConsoleCardProvider[];
  register(app: FastifyInstance, services: AppServices): Promise<void> | void;
};
