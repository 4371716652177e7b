import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import * as esbuild from 'esbuild';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { recordAudit } from './core/audit/audit.ts';
import { manualClock } from './core/clock.ts';
import { createTestDatabase, type TestDatabase, testDialect } from '../test/helpers/database.ts';

// The real command line, bundled the way `npm run build` bundles it, run as a process against a
// SQLite file. The commands' logic is tested beside it in the modules; this proves the wiring:
// arguments, exit codes, output streams and signals. (A folder at the repository root, because
// the bundle finds locales/ and public/ one level up, as dist/cli.js does.)
describe.runIf(testDialect() === 'sqlite')('the heatwatch command', () => {
  const root = path.resolve(import.meta.dirname, '..');
  const outdir = path.join(root, `.cli-test-${process.pid}`);
  const clock = manualClock('2026-02-01T09:00:00.000Z');
  let cli: string;
  let database: TestDatabase;

  beforeAll(async () => {
    // @ts-expect-error: a plain .mjs build script without type declarations
    const { serverBuildOptions } = await import('../scripts/build-options.mjs');
    await esbuild.build({ ...serverBuildOptions, entryPoints: [path.join(root, 'src/cli.ts')], outdir, sourcemap: false, logLevel: 'error' });
    cli = path.join(outdir, 'cli.js');
  });
  afterAll(() => {
    fs.rmSync(outdir, { recursive: true, force: true });
  });
  // The audit chain and the outbox are the database's as a whole: one database per test.
  beforeEach(async () => {
    database = await createTestDatabase();
  });
  afterEach(async () => {
    await database?.close();
  });

  // A clean environment: Vitest's own variables (BASE_URL among them) would be read as config.
  const env = () => ({
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    DATABASE_URL: `sqlite:${database.handle.file}`,
    DATA_DIR: path.join(database.dir, 'data'),
    BASE_URL: 'https://heat.example.org',
    SEED_DEMO: 'off',
    LOG_LEVEL: 'info',
  });
  const run = (...args: string[]) => spawnSync(process.execPath, [cli, ...args], { env: env(), encoding: 'utf8', timeout: 30_000 });

  it('audit verify: 0 with OK, then 1 naming the tampered row; 2 for a wrong subcommand', async () => {
    for (const action of ['test.one', 'test.two']) {
      await database.handle.db.transaction().execute((trx) => recordAudit(trx, clock, { actor: { id: null, label: 'system' }, action }));
    }
    const ok = run('audit', 'verify');
    expect(ok.stdout).toBe('OK: the audit chain holds (2 rows)\n');
    expect(ok.status).toBe(0);
    await database.handle.db.updateTable('auditLog').set({ action: 'test.other' }).where('seq', '=', 1).execute();
    const broken = run('audit', 'verify');
    expect(broken.stderr).toBe('BROKEN at row 1: its contents were changed (0 rows before it hold)\n');
    expect(broken.status).toBe(1);
    await database.handle.db.updateTable('auditLog').set({ action: 'test.one' }).where('seq', '=', 1).execute();
    expect(run('audit').status).toBe(2);
  });

  it('admin create prints a one-time link; bad input answers 1 or 2', () => {
    const first = run('admin', 'create', '--email', 'root@example.org', '--name', 'Rita Root', '--locale', 'es');
    expect(first.status).toBe(0);
    expect(first.stdout).toMatch(/^https:\/\/heat\.example\.org\/console\/invitations\/[A-Za-z0-9_-]{20,}$/m);
    // Until the invitation is used there is no account, so running it again sends a fresh link.
    const again = run('admin', 'create', '--email', 'root@example.org', '--name', 'Rita Root');
    expect(again.status).toBe(0);
    expect(again.stdout).not.toBe(first.stdout);
    expect(run('admin', 'create', '--email', 'not-an-address', '--name', 'X').stderr).toContain('--email');
    expect(run('admin', 'create', '--email', 'x@example.org').status).toBe(2);
    expect(run('admin', 'reset-2fa', '--email', 'nobody@example.org').status).toBe(1);
    // Every change the operator made is in the chain (two invitations, and the second replacing
    // the first), and the chain holds.
    expect(run('audit', 'verify').stdout).toMatch(/^OK: the audit chain holds \(3 rows\)/);
  });

  it('worker runs until SIGTERM, then stops cleanly with 0', async () => {
    for (const email of ['root@example.org', 'second@example.org']) expect(run('admin', 'create', '--email', email, '--name', 'Rita Root').status).toBe(0);
    const child = spawn(process.execPath, [cli, 'worker'], { env: env(), stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    for (let i = 0; i < 200 && !out.includes('worker is running jobs'); i++) await new Promise((r) => setTimeout(r, 50));
    expect(out).toContain('HEAT Watch worker is running jobs');
    // The two invitations queued by `admin create` are delivered to the outbox folder.
    const outbox = path.join(database.dir, 'data', 'outbox');
    const delivered = () => (fs.existsSync(outbox) ? fs.readdirSync(outbox).length : 0);
    for (let i = 0; i < 100 && delivered() < 2; i++) await new Promise((r) => setTimeout(r, 50));
    expect(delivered()).toBe(2);
    // It keeps running with nothing to do (nothing but its own timer holds a SQLite process open).
    await new Promise((r) => setTimeout(r, 300));
    expect(child.exitCode).toBeNull();
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(out).toContain('worker stopping');
    expect(out).not.toContain('setupUrl');
  });

  it('backup FILE prints its manifest; restore FILE fills only an empty database; audit verify --anchor checks the head', async () => {
    for (const action of ['test.one', 'test.two']) {
      await database.handle.db.transaction().execute((trx) => recordAudit(trx, clock, { actor: { id: null, label: 'system' }, action }));
    }
    const file = path.join(database.dir, 'nightly.backup');
    const backup = run('backup', file);
    expect(backup.status).toBe(0);
    const manifest = JSON.parse(backup.stdout.slice(0, backup.stdout.lastIndexOf('}') + 1)) as { auditHead: { seq: number; hash: string }; migrations: string[] };
    expect(manifest.auditHead.seq).toBe(2);
    expect(fs.readFileSync(file, 'latin1').split('\n')[0]).toBe('HEATWATCH-BACKUP 1');
    expect(run('backup', file).stderr).toMatch(/exists already/);
    expect(run('backup').status).toBe(2);
    // The live chain passes through the backup's head, and the backup's own row follows it.
    expect(run('audit', 'verify', '--anchor', manifest.auditHead.hash).stdout).toBe('OK: the audit chain holds (3 rows, through the anchored hash)\n');
    expect(run('audit', 'verify', '--anchor', 'not-a-hash').status).toBe(2);
    const restoredDir = path.join(database.dir, 'restored');
    const restoreEnv = { ...env(), DATABASE_URL: `sqlite:${path.join(restoredDir, 'heatwatch.db')}`, DATA_DIR: path.join(restoredDir, 'data') };
    const restore = spawnSync(process.execPath, [cli, 'restore', file], { env: restoreEnv, encoding: 'utf8', timeout: 30_000 });
    expect(restore.stderr).toBe('');
    expect(restore.status).toBe(0);
    const verify = spawnSync(process.execPath, [cli, 'audit', 'verify', '--anchor', manifest.auditHead.hash], { env: restoreEnv, encoding: 'utf8', timeout: 30_000 });
    expect(verify.stdout).toBe('OK: the audit chain holds (2 rows, through the anchored hash)\n');
    const again = spawnSync(process.execPath, [cli, 'restore', file], { env: restoreEnv, encoding: 'utf8', timeout: 30_000 });
    expect(again.status).toBe(1);
    expect(again.stderr).toMatch(/not empty/);
  }, 120_000);
});
