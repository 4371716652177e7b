import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import * as esbuild from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordAudit } from '../../core/audit/audit.ts';
import { manualClock } from '../../core/clock.ts';
import { createTestDatabase, type TestDatabase, testDialect } from '../../../test/helpers/database.ts';
import { auditVerifyCommand } from './commands.ts';

let database: TestDatabase;
const clock = manualClock('2026-02-01T09:00:00.000Z');

async function appendRows(n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    clock.advance(1000);
    await database.handle.db.transaction().execute((trx) => recordAudit(trx, clock, { actor: { id: 'a1', label: 'ana@example.org' }, action: 'test.row', targetType: 'thing', targetId: String(i), detail: { i } }));
  }
}

async function verify(): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await auditVerifyCommand(database.handle.db, { log: (l) => out.push(l), error: (l) => err.push(l) });
  return { code, out, err };
}

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => database.close());

describe('heatwatch audit verify', () => {
  it('prints OK with the row count for an intact chain (and for an empty one)', async () => {
    expect(await verify()).toEqual({ code: 0, out: ['OK: the audit chain holds (0 rows)'], err: [] });
    await appendRows(10);
    expect(await verify()).toEqual({ code: 0, out: ['OK: the audit chain holds (10 rows)'], err: [] });
  });

  it('reports exactly the row whose detail was changed, and exits 1', async () => {
    const db = database.handle.db;
    const original = await db.selectFrom('auditLog').select('detail').where('seq', '=', 4).executeTakeFirstOrThrow();
    await db.updateTable('auditLog').set({ detail: '{"i":999}' }).where('seq', '=', 4).execute();
    expect(await verify()).toEqual({ code: 1, out: [], err: ['BROKEN at row 4: its contents were changed (3 rows before it hold)'] });
    await db.updateTable('auditLog').set({ detail: original.detail }).where('seq', '=', 4).execute();
    expect((await verify()).code).toBe(0);
  });

  it('reports a deleted last row by its number', async () => {
    await database.handle.db.deleteFrom('auditLog').where('seq', '=', 10).execute();
    expect(await verify()).toEqual({ code: 1, out: [], err: ['BROKEN at row 10: rows after 9 were removed (9 rows before it hold)'] });
  });

  it('reports a row deleted from the middle', async () => {
    await database.handle.db.deleteFrom('auditLog').where('seq', '=', 6).execute();
    expect(await verify()).toEqual({ code: 1, out: [], err: ['BROKEN at row 6: row 6 is missing (5 rows before it hold)'] });
  });
});

// The real command line, built the way `npm run build` builds it, against a SQLite file.
describe.runIf(testDialect() === 'sqlite')('the heatwatch binary', () => {
  const root = path.resolve(import.meta.dirname, '../../..');
  const outdir = path.join(root, 'node_modules', '.cache', `heatwatch-cli-test-${process.pid}`);
  let cli: string;
  let smoke: TestDatabase;

  beforeAll(async () => {
    // @ts-expect-error: a plain .mjs build script without type declarations
    const { serverBuildOptions } = await import('../../../scripts/build-options.mjs');
    await esbuild.build({ ...serverBuildOptions, entryPoints: [path.join(root, 'src/cli.ts')], outdir, sourcemap: false, logLevel: 'error' });
    cli = path.join(outdir, 'cli.js');
    smoke = await createTestDatabase();
  });
  afterAll(async () => {
    await smoke?.close();
    fs.rmSync(outdir, { recursive: true, force: true });
  });

  // A clean environment: Vitest's own variables (BASE_URL among them) would be read as config.
  const run = (...args: string[]) =>
    spawnSync(process.execPath, [cli, ...args], { env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', DATABASE_URL: `sqlite:${smoke.handle.file}`, LOG_LEVEL: 'silent' }, encoding: 'utf8', timeout: 20_000 });

  it('answers 0 with OK, then 1 naming the tampered row', async () => {
    await smoke.handle.db.transaction().execute((trx) => recordAudit(trx, clock, { actor: { id: null, label: 'system' }, action: 'test.one' }));
    await smoke.handle.db.transaction().execute((trx) => recordAudit(trx, clock, { actor: { id: null, label: 'system' }, action: 'test.two' }));
    const ok = run('audit', 'verify');
    expect(ok.stdout).toBe('OK: the audit chain holds (2 rows)\n');
    expect(ok.status).toBe(0);
    await smoke.handle.db.updateTable('auditLog').set({ action: 'test.other' }).where('seq', '=', 1).execute();
    const broken = run('audit', 'verify');
    expect(broken.stderr).toBe('BROKEN at row 1: its contents were changed (0 rows before it hold)\n');
    expect(broken.status).toBe(1);
    expect(run('audit').status).toBe(2);
  });
});
