import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from './config.ts';
import { connectDatabase } from './core/db/connect.ts';
import { migrateToLatest } from './core/db/migrate.ts';
import { recordAudit } from './core/audit/audit.ts';
import { systemClock } from './core/clock.ts';
import { IMPORT_USAGE, runBusinessImport } from './modules/map1193/import.ts';

type Command = { summary: string; run(args: string[]): Promise<number> };

const commands: Record<string, Command> = {
  migrate: {
    summary: 'bring the database schema up to date',
    async run() {
      const config = loadConfig();
      const database = connectDatabase(config.databaseUrl, { rootDir: config.rootDir });
      try {
        const applied = await migrateToLatest(database.db);
        console.log(applied.length ? `applied: ${applied.join(', ')}` : 'the schema is up to date');
        return 0;
      } finally {
        await database.destroy();
      }
    },
  },
  import: {
    summary: `load records from a file: ${IMPORT_USAGE}`,
    async run(args) {
      if (args[0] !== 'businesses') {
        console.error(`usage: ${IMPORT_USAGE}`);
        return 2;
      }
      const config = loadConfig();
      const database = connectDatabase(config.databaseUrl, { rootDir: config.rootDir });
      try {
        await migrateToLatest(database.db);
        return await runBusinessImport(args.slice(1), {
          db: database.db,
          dialect: database.dialect,
          clock: systemClock,
          audit: (trx, entry) => recordAudit(trx, systemClock, entry),
          actor: { id: null, label: 'cli' },
        });
      } finally {
        await database.destroy();
      }
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
