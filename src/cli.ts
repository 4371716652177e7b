import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from './config.ts';
import { connectDatabase } from './core/db/connect.ts';
import { migrateToLatest, pendingMigrations } from './core/db/migrate.ts';
import { contextFor } from './core/context.ts';
import { IMPORT_USAGE, runBusinessImport } from './modules/map1193/index.ts';
import { buildApp } from './app.ts';
import type { Config } from './config.ts';
import type { DatabaseHandle } from './core/db/connect.ts';
import type { Database } from './database.ts';
import type { AppServices } from './core/module.ts';
import { CLI_ACTOR, inviteAdministratorFromCli, OperatorError, resetSecondFactorFromCli } from './modules/accounts/index.ts';
import { auditVerifyCommand } from './modules/audit/index.ts';
import { backupCommand, restoreCommand } from './modules/backups/index.ts';
import { startWorker } from './worker.ts';

type Command = { summary: string; run(args: string[]): Promise<number> };

/** Opens the configured database for one command and closes it afterwards. */
async function withDatabase<T>(run: (config: Config, database: DatabaseHandle<Database>) => Promise<T>, options: { migrate: boolean }): Promise<T> {
  const config = loadConfig();
  const database = connectDatabase<Database>(config.databaseUrl, { rootDir: config.rootDir });
  try {
    if (options.migrate) await migrateToLatest(database.db);
    return await run(config, database);
  } finally {
    await database.destroy();
  }
}

/**
 * The app's services (mailer, audit, settings) without HTTP: commands act exactly as the console
 * does. `overrides` adjusts the config for one command.
 */
async function withServices(run: (s: AppServices) => Promise<number>, overrides: Partial<Config> = {}): Promise<number> {
  return withDatabase(async (config, database) => {
    const app = await buildApp({ config: { ...config, logLevel: 'warn', ...overrides }, database });
    try {
      return await run(app.services);
    } catch (error) {
      if (error instanceof OperatorError) {
        console.error(error.message);
        return 1;
      }
      throw error;
    } finally {
      await app.close();
    }
  }, { migrate: true });
}

const ADMIN_USAGE = 'heatwatch admin create --email E --name N [--locale en] | heatwatch admin reset-2fa --email E';

const commands: Record<string, Command> = {
  migrate: {
    summary: 'bring the database schema up to date (--dry-run: list the pending migrations, change nothing)',
    async run(args) {
      const { values } = parseArgs({ args, strict: false, options: { 'dry-run': { type: 'boolean' } } });
      const config = loadConfig();
      const database = connectDatabase<Database>(config.databaseUrl, { rootDir: config.rootDir });
      try {
        if (values['dry-run'] === true) {
          const pending = await pendingMigrations(database.db);
          console.log(pending.length ? `pending (${pending.length}):\n${pending.map((name) => `  ${name}`).join('\n')}` : 'the schema is up to date');
          return 0;
        }
        const applied = await migrateToLatest(database.db);
        console.log(applied.length ? `applied: ${applied.join(', ')}` : 'the schema is up to date');
        return 0;
      } finally {
        await database.destroy();
      }
    },
  },
  backup: {
    summary: 'backup FILE: a consistent copy of the database while the server runs, with its manifest',
    async run(args) {
      const file = args[0];
      if (!file || args.length !== 1) {
        console.error('usage: heatwatch backup FILE');
        return 2;
      }
      return withDatabase(
        async (config, database) => {
          const app = await buildApp({ config: { ...config, logLevel: 'warn', seedDemo: false }, database });
          try {
            return await backupCommand(contextFor(app.services, CLI_ACTOR), { file: database.file, url: config.databaseUrl }, file);
          } finally {
            await app.close();
          }
        },
        { migrate: false },
      );
    },
  },
  restore: {
    summary: 'restore FILE: a backup into the empty database DATABASE_URL names (refuses one with tables)',
    async run(args) {
      const file = args[0];
      if (!file || args.length !== 1) {
        console.error('usage: heatwatch restore FILE');
        return 2;
      }
      const config = loadConfig();
      const probe = connectDatabase<Database>(config.databaseUrl, { rootDir: config.rootDir });
      const target = { dialect: probe.dialect, file: probe.file, url: config.databaseUrl, rootDir: config.rootDir };
      await probe.destroy();
      return restoreCommand(target, file);
    },
  },
  import: {
    summary: `load records from a file: ${IMPORT_USAGE}`,
    async run(args) {
      if (args[0] !== 'businesses') {
        console.error(`usage: ${IMPORT_USAGE}`);
        return 2;
      }
      // No demo businesses: an import into an empty database must hold only what the file holds.
      return withServices((s) => runBusinessImport(args.slice(1), contextFor(s, CLI_ACTOR)), { seedDemo: false });
    },
  },
  audit: {
    summary: 'audit verify [--anchor HASH]...: check the audit log hash chain, and that it passes through each anchored head hash (exit 1 when not)',
    async run(args) {
      const { values, positionals } = parseArgs({ args, allowPositionals: true, strict: false, options: { anchor: { type: 'string', multiple: true } } });
      const anchors = (values.anchor ?? []).filter((a): a is string => typeof a === 'string');
      if (positionals[0] !== 'verify' || positionals.length !== 1 || anchors.some((a) => !/^[0-9a-fA-F]{64}$/.test(a))) {
        console.error('usage: heatwatch audit verify [--anchor HASH]... (HASH: 64 hex digits, from the daily anchor e-mail or a backup manifest)');
        return 2;
      }
      return withDatabase((_config, database) => auditVerifyCommand(database.db, console, anchors), { migrate: false });
    },
  },
  worker: {
    summary: 'run background jobs (e-mail, digests, retention) without HTTP; pair with JOBS=off on the web process',
    async run() {
      return withDatabase(async (config, database) => {
        const worker = await startWorker({ config, database });
        const signal = await new Promise<string>((resolve) => {
          process.once('SIGTERM', () => resolve('SIGTERM'));
          process.once('SIGINT', () => resolve('SIGINT'));
        });
        worker.app.log.info({ signal }, 'worker stopping after the current job');
        await worker.stop();
        return 0;
      }, { migrate: true });
    },
  },
  admin: {
    summary: ADMIN_USAGE,
    async run(args) {
      const { values, positionals } = parseArgs({
        args,
        allowPositionals: true,
        strict: false,
        options: { email: { type: 'string' }, name: { type: 'string' }, locale: { type: 'string', default: 'en' } },
      });
      const email = typeof values.email === 'string' ? values.email : undefined;
      const name = typeof values.name === 'string' ? values.name : undefined;
      const locale = typeof values.locale === 'string' ? values.locale : 'en';
      if (positionals[0] === 'create' && email && name) {
        return withServices(async (s) => {
          const { link, expiresHours } = await inviteAdministratorFromCli(contextFor(s, CLI_ACTOR), { email, name, locale });
          console.log(`Administrator invitation for ${email} (also queued as e-mail). This link works once, for ${expiresHours} hours:`);
          console.log(link);
          return 0;
        });
      }
      if (positionals[0] === 'reset-2fa' && email) {
        return withServices(async (s) => {
          await resetSecondFactorFromCli(contextFor(s, CLI_ACTOR), email);
          console.log(`Second factors removed for ${email}; their sessions ended. They enrol a new one at the next sign-in.`);
          return 0;
        });
      }
      console.error(`usage: ${ADMIN_USAGE}`);
      return 2;
    },
  },
};

function usage(): string {
  const width = Math.max(...Object.keys(commands).map((c) => c.length));
  return ['usage: heatwatch <command> [options]', '', ...Object.entries(commands).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`)].join('\n');
}

/** `heatwatch <command>`: operator tasks that need shell access and no browser. */
export async function runCli(argv: string[]): Promise<number> {
  const { positionals } = parseArgs({ args: argv, allowPositionals: true, strict: false });
  const name = positionals[0];
  const command = name ? commands[name] : undefined;
  if (!command) {
    console.error(usage());
    return name ? 2 : 0;
  }
  return command.run(argv.slice(1));
}

runCli(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof ConfigError ? error.message : error);
    process.exit(1);
  },
);
