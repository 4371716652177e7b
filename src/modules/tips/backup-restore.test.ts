import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { type App, buildApp } from '../../app.ts';
import { verifyAuditChain } from '../../core/audit/audit.ts';
import { manualClock } from '../../core/clock.ts';
import { contextFor, SYSTEM } from '../../core/context.ts';
import { readBackup } from '../../core/db/backup.ts';
import { connectDatabase, type DatabaseHandle } from '../../core/db/connect.ts';
import { migrateToLatest } from '../../core/db/migrate.ts';
import type { Database } from '../../database.ts';
import { migrations } from '../../../migrations/index.ts';
import { testConfig, type TestApp } from '../../../test/helpers/app.ts';
import { testDialect } from '../../../test/helpers/database.ts';
import { unlockOfficeKey } from '../accounts/index.ts';
import { auditVerifyCommand } from '../audit/index.ts';
import { restoreCommand, runBackup } from '../backups/index.ts';
import { openPartJson, openTipKey } from './crypto.ts';
import { openByReceipt } from './follow-up.service.ts';
import type { TipAnswers } from './model.ts';
import { loadReceiptKeys } from './receipt-keys.ts';
import { basicTip, createOfficeKey, postTip, receiptFrom } from './testing.ts';

/**
 * A backup taken while tips arrive, restored into a fresh instance: every tip acknowledged
 * before the backup began opens there, by its receipt code and by the office recovery key, and
 * the restored audit chain holds. PostgreSQL needs a database of its own: pg_dump copies a whole
 * database, not the schema a test would otherwise get.
 */
const baseUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const cleanups: (() => Promise<void>)[] = [];

type Fresh = { url: string; handle: DatabaseHandle<Database>; dir: string };

async function freshDatabase(): Promise<Omit<Fresh, 'handle'>> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'heatwatch-backup-'));
  cleanups.push(async () => fs.rmSync(dir, { recursive: true, force: true }));
  if (testDialect() === 'sqlite') return { url: `sqlite:${path.join(dir, 'heatwatch.db')}`, dir };
  const name = `hw_backup_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  cleanups.push(async () => {
    const c = new pg.Client({ connectionString: baseUrl });
    await c.connect();
    await c.query(`drop database if exists ${name} with (force)`);
    await c.end();
  });
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), dir };
}

async function appOn(url: string, dir: string, migrate: boolean): Promise<{ t: TestApp; handle: DatabaseHandle<Database> }> {
  const handle = connectDatabase<Database>(url, { rootDir: dir });
  if (migrate) await migrateToLatest(handle.db);
  const config = testConfig(dir);
  const clock = manualClock(new Date());
  // The app's logs (a setup URL among them) are not what this test reads.
  const logStream = new Writable({ write: (_chunk, _enc, done) => done() });
  const app: App = await buildApp({ config, database: handle, clock, logStream });
  await app.ready();
  const close = async () => {
    await app.close();
    await handle.destroy();
  };
  cleanups.push(close);
  return { t: { app, db: { handle, dir, close }, clock, config, logs: [], close }, handle };
}

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const quiet = { log: () => {}, error: (line: string) => console.error(line) };

describe('a backup taken under load restores into a fresh instance', () => {
  it('opens every tip acknowledged before the backup, by receipt and by recovery key; the chain holds', async () => {
    const source = await freshDatabase();
    const { t, handle } = await appOn(source.url, source.dir, true);
    const office = await createOfficeKey(t);
    let n = 0;
    const submit = async () => {
      const i = ++n;
      // Each tipster from an address of their own: the per-client limits are not what this tests.
      const res = await postTip(t, basicTip({ whatHappened: `tip number ${i}: workers locked in at night` }), [], { ip: `198.51.100.${i}` });
      expect(res.statusCode).toBe(200);
      return { text: `tip number ${i}: workers locked in at night`, receipt: receiptFrom(res.body) };
    };
    const acknowledged = await Promise.all(Array.from({ length: 12 }, submit));
    // The second wave is in flight while the backup runs; those tips may or may not be in it.
    const wave = Array.from({ length: 12 }, submit);
    const file = path.join(source.dir, 'backups', 'heatwatch.backup');
    const manifest = await runBackup(contextFor(t.app.services, SYSTEM), { file: handle.file, url: source.url }, file);
    const late = await Promise.all(wave);

    expect((await readBackup(file)).manifest).toEqual(manifest);
    expect(manifest.dialect).toBe(testDialect());
    expect(manifest.migrations.at(-1)).toBe(Object.keys(migrations).sort().at(-1));
    // The backup is recorded in the live database, after the copy.
    const run = await handle.db.selectFrom('backupRuns').select(['auditSeq', 'auditHash']).executeTakeFirstOrThrow();
    expect({ seq: Number(run.auditSeq), hash: run.auditHash }).toEqual(manifest.auditHead);
    expect(await verifyAuditChain(handle.db, 1000, [manifest.auditHead.hash])).toEqual({ ok: true, rows: manifest.auditHead.seq + 1 });

    const target = await freshDatabase();
    const probe = connectDatabase<Database>(target.url, { rootDir: target.dir });
    const targetInfo = { dialect: probe.dialect, file: probe.file, url: target.url, rootDir: target.dir };
    await probe.destroy();
    expect(await restoreCommand(targetInfo, file, quiet)).toBe(0);
    // A second restore into the now-populated database is refused.
    const refused: string[] = [];
    expect(await restoreCommand(targetInfo, file, { log: () => {}, error: (l) => refused.push(l) })).toBe(1);
    expect(refused[0]).toMatch(/not empty/);

    const restored = await appOn(target.url, target.dir, false);
    const ctx = contextFor(restored.t.app.services, SYSTEM);
    const receipts = await loadReceiptKeys(ctx);
    const keyPair = await unlockOfficeKey(ctx, office.recoveryKey);
    expect(keyPair).toBeDefined();
    const restoredCount = Number((await restored.handle.db.selectFrom('tips').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    expect(restoredCount).toBeGreaterThanOrEqual(acknowledged.length);
    expect(restoredCount).toBeLessThanOrEqual(acknowledged.length + late.length);
    for (const tip of acknowledged) {
      const opened = await openByReceipt(ctx, receipts, tip.receipt);
      expect(opened, tip.text).toBeDefined();
      expect((await openPartJson<TipAnswers>(opened!.tipKey, opened!.row.id, 'answers', opened!.row.answersBox)).whatHappened).toBe(tip.text);
      const grant = await restored.handle.db.selectFrom('tipGrants').select('sealedKey').where('tipId', '=', opened!.row.id).where('holderType', '=', 'office').executeTakeFirstOrThrow();
      const viaRecovery = await openTipKey(grant.sealedKey, keyPair!);
      expect((await openPartJson<TipAnswers>(viaRecovery, opened!.row.id, 'answers', opened!.row.answersBox)).whatHappened).toBe(tip.text);
    }
    const lines: string[] = [];
    expect(await auditVerifyCommand(restored.handle.db, { log: (l) => lines.push(l), error: (l) => lines.push(l) }, [manifest.auditHead.hash])).toBe(0);
    expect(lines[0]).toMatch(/^OK: the audit chain holds \(\d+ rows, through the anchored hash\)$/);
  });

  it('refuses a damaged backup file', async () => {
    const source = await freshDatabase();
    const { t, handle } = await appOn(source.url, source.dir, true);
    const file = path.join(source.dir, 'b.backup');
    await runBackup(contextFor(t.app.services, SYSTEM), { file: handle.file, url: source.url }, file);
    const bytes = fs.readFileSync(file);
    bytes[bytes.length - 10] = bytes[bytes.length - 10]! ^ 0xff;
    fs.writeFileSync(file, bytes);
    await expect(readBackup(file)).rejects.toThrow(/damaged or incomplete/);
    await expect(runBackup(contextFor(t.app.services, SYSTEM), { file: handle.file, url: source.url }, file)).rejects.toThrow(/exists already/);
  });
});
