import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as esbuild from 'esbuild';
import { Migrator } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrations } from '../../../migrations/index.ts';
import { testDialect } from '../../../test/helpers/database.ts';
import { connectDatabase } from './connect.ts';

/**
 * A new version started twice at once against an older database, as two app instances or the
 * app and `heatwatch migrate` would: real processes of the bundled command, on SQLite and on
 * PostgreSQL. Each pending migration runs exactly once, and both processes end well.
 */
const root = path.resolve(import.meta.dirname, '../../..');
const outdir = path.join(root, `.migrate-race-${process.pid}`);
const baseUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'heatwatch-race-'));
const names = Object.keys(migrations);
/** The version the database was left at: everything after it is pending. */
const OLDER = '20261128T0300-content';
let cli: string;
let url: string;
let dropDatabase: (() => Promise<void>) | undefined;

beforeAll(async () => {
  // @ts-expect-error: a plain .mjs build script without type declarations
  const { serverBuildOptions } = await import('../../../scripts/build-options.mjs');
  await esbuild.build({ ...serverBuildOptions, entryPoints: [path.join(root, 'src/cli.ts')], outdir, sourcemap: false, logLevel: 'error' });
  cli = path.join(outdir, 'cli.js');
  if (testDialect() === 'sqlite') {
    url = `sqlite:${path.join(dir, 'heatwatch.db')}`;
  } else {
    const name = `hw_race_${randomBytes(5).toString('hex')}`;
    const admin = new pg.Client({ connectionString: baseUrl });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
    const u = new URL(baseUrl);
    u.pathname = `/${name}`;
    url = u.toString();
    dropDatabase = async () => {
      const c = new pg.Client({ connectionString: baseUrl });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    };
  }
  const handle = connectDatabase(url, { rootDir: dir });
  const older = await new Migrator({ db: handle.db, provider: { getMigrations: async () => migrations } }).migrateTo(OLDER);
  await handle.destroy();
  if (older.error) throw older.error;
});

afterAll(async () => {
  fs.rmSync(outdir, { recursive: true, force: true });
  fs.rmSync(dir, { recursive: true, force: true });
  await dropDatabase?.();
});

const env = () => ({ PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', DATABASE_URL: url, DATA_DIR: path.join(dir, 'data'), SEED_DEMO: 'off', LOG_LEVEL: 'warn' });

function run(...args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, ...args], { env: env() });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

const appliedBy = (stdout: string) => (/^applied: (.*)$/m.exec(stdout)?.[1] ?? '').split(', ').filter(Boolean);

describe('migrating an older database', () => {
  it('lists the pending migrations with --dry-run, then two processes started together migrate it once', async () => {
    const pending = names.slice(names.indexOf(OLDER) + 1);
    expect(pending.length).toBeGreaterThan(5);
    const dry = await run('migrate', '--dry-run');
    expect(dry.status).toBe(0);
    expect(dry.stdout).toBe(`pending (${pending.length}):\n${pending.map((n) => `  ${n}`).join('\n')}\n`);
    // The dry run changed nothing.
    expect((await run('migrate', '--dry-run')).stdout).toBe(dry.stdout);

    const [a, b] = await Promise.all([run('migrate'), run('migrate')]);
    expect(a.stderr + b.stderr).toBe('');
    expect([a.status, b.status]).toEqual([0, 0]);
    // Between them they applied every pending migration, and none twice.
    const applied = [...appliedBy(a.stdout), ...appliedBy(b.stdout)];
    expect(applied.sort()).toEqual([...pending].sort());

    const handle = connectDatabase(url, { rootDir: dir });
    try {
      const rows = await handle.db.selectFrom('kysely_migration' as never).select('name' as never).execute();
      expect((rows as { name: string }[]).map((r) => r.name).sort()).toEqual([...names].sort());
    } finally {
      await handle.destroy();
    }
    expect((await run('migrate', '--dry-run')).stdout).toBe('the schema is up to date\n');
  }, 180_000);
});
