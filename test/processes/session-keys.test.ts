import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import * as esbuild from 'esbuild';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.ts';
import { manualClock } from '../../src/core/clock.ts';
import { connectDatabase, type DatabaseHandle } from '../../src/core/db/connect.ts';
import { migrateToLatest } from '../../src/core/db/migrate.ts';
import { totpFor } from '../../src/modules/accounts/totp.ts';
import { basicTip, createOfficeKey, postTip } from '../../src/modules/tips/testing.ts';
import type { TestApp } from '../helpers/app.ts';
import { testConfig } from '../helpers/app.ts';
import { createStaff, csrfFrom, type TestStaff } from '../helpers/staff.ts';
// @ts-expect-error: a plain .mjs build script without type declarations
import { serverBuildOptions } from '../../scripts/build-options.mjs';

/**
 * Two real app processes on one PostgreSQL database and Redis, as behind a load balancer: a key
 * unlocked through one must open tips in the other, survive the other's restart, and die with
 * the session. A database copy alone must open nothing, so the key travels in the session row
 * sealed under the cookie, which only the browser holds.
 */
const root = path.resolve(import.meta.dirname, '../..');
const baseUrl = process.env.TEST_DATABASE_URL ?? '';
const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const dbName = `hw_proc_${randomBytes(5).toString('hex')}`;
const databaseUrl = (() => {
  const url = new URL(baseUrl || 'postgres://postgres@127.0.0.1:5432/test');
  url.pathname = `/${dbName}`;
  return url.toString();
})();

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

type Proc = { child: ChildProcess; url: string; port: number };
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'heatwatch-proc-'));

async function start(port?: number): Promise<Proc> {
  const chosen = port ?? (await freePort());
  const child = spawn(process.execPath, [path.join(root, 'dist/main.js')], {
    env: { ...process.env, PORT: String(chosen), HOST: '127.0.0.1', BASE_URL: `http://127.0.0.1:${chosen}`, DATABASE_URL: databaseUrl, REDIS_URL: redisUrl, DATA_DIR: dataDir, JOBS: 'off', SEED_DEMO: 'off', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const url = `http://127.0.0.1:${chosen}`;
  for (let i = 0; i < 200; i++) {
    try {
      if ((await fetch(`${url}/healthz`)).ok) return { child, url, port: chosen };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`app process on ${chosen} did not start`);
}

async function stop(p: Proc): Promise<void> {
  if (p.child.exitCode !== null) return;
  const exited = new Promise((resolve) => p.child.once('exit', resolve));
  p.child.kill('SIGTERM');
  await exited;
}

const cookieOf = (res: Response) => (res.headers.get('set-cookie') ?? '').split(';')[0]!;

/** Password, then a TOTP code at the real time, through process `p`; returns the session cookie. */
async function signIn(p: Proc, staff: TestStaff): Promise<string> {
  const form = await fetch(`${p.url}/console/sign-in`);
  const first = await fetch(`${p.url}/console/sign-in`, {
    method: 'POST',
    redirect: 'manual',
    body: new URLSearchParams({ email: staff.account.email, password: staff.password, _csrf: csrfFrom(await form.text()) }),
  });
  expect(first.status).toBe(303);
  let cookie = cookieOf(first);
  const page = await fetch(`${p.url}/console/sign-in/second-factor`, { headers: { cookie } });
  const code = totpFor(staff.totpSecret, 'x', 'x').generate({ timestamp: Date.now() });
  const second = await fetch(`${p.url}/console/sign-in/second-factor`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie },
    body: new URLSearchParams({ code, _csrf: csrfFrom(await page.text()) }),
  });
  expect(second.status).toBe(303);
  cookie = cookieOf(second);
  return cookie;
}

const open = (p: Proc, cookie: string, url: string) => fetch(`${p.url}${url}`, { headers: { cookie }, redirect: 'manual' });

let handle: DatabaseHandle<any>;
let factory: TestApp;
let reviewer: TestStaff;
let tipId: string;
let a: Proc;
let b: Proc;

describe.skipIf(process.env.HEATWATCH_TEST_DB !== 'postgres')('unlocked keys across two app processes', () => {
  beforeAll(async () => {
    const admin = new pg.Client({ connectionString: baseUrl });
    await admin.connect();
    await admin.query(`create database ${dbName}`);
    await admin.end();
    handle = connectDatabase<any>(databaseUrl, { rootDir: dataDir, poolSize: 3 });
    await migrateToLatest(handle.db);
    // An in-test app over the same database makes the data: an office key, a reviewer, a tip.
    const clock = manualClock(new Date());
    const config = testConfig(dataDir);
    const app = await buildApp({ config, database: handle, clock, logStream: new Writable({ write: (_c, _e, done) => done() }) });
    await app.ready();
    factory = { app, db: { handle, dir: dataDir, close: async () => undefined }, clock, config, logs: [], close: async () => app.close() };
    await createOfficeKey(factory);
    reviewer = await createStaff(factory, ['tip_reviewer']);
    await postTip(factory, basicTip({ whatHappened: 'a tip read across processes' }));
    tipId = (await handle.db.selectFrom('tips').select('id').executeTakeFirstOrThrow()).id;
    await esbuild.build(serverBuildOptions);
    [a, b] = await Promise.all([start(), start()]);
  }, 120_000);

  afterAll(async () => {
    await Promise.all([a && stop(a), b && stop(b)]);
    await factory?.close();
    await handle?.destroy();
    const admin = new pg.Client({ connectionString: baseUrl });
    await admin.connect();
    await admin.query(`drop database if exists ${dbName} with (force)`);
    await admin.end();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('signs in on one process, opens the tip on the other, again after that one restarts, and on neither after sign-out', async () => {
    const cookie = await signIn(a, reviewer);
    const onB = await open(b, cookie, `/console/tips/${tipId}`);
    expect(onB.status).toBe(200);
    expect(await onB.text()).toContain('a tip read across processes');

    await stop(b);
    b = await start(b.port);
    const afterRestart = await open(b, cookie, `/console/tips/${tipId}`);
    expect(afterRestart.status).toBe(200);
    expect(await afterRestart.text()).toContain('a tip read across processes');

    // The stored box is useless without the cookie: what the database holds opens nothing.
    const row = await handle.db.selectFrom('sessions').select(['idHash', 'keyBox']).where('account_id', '=', reviewer.account.id).executeTakeFirstOrThrow();
    expect(row.keyBox).toBeTruthy();
    expect(row.keyBox).not.toContain(Buffer.from(reviewer.keyPair.privateKey).toString('base64'));

    const account = await open(a, cookie, '/console/account');
    const signOut = await fetch(`${a.url}/console/sign-out`, { method: 'POST', redirect: 'manual', headers: { cookie }, body: new URLSearchParams({ _csrf: csrfFrom(await account.text()) }) });
    expect(signOut.status).toBe(303);
    for (const p of [a, b]) {
      const res = await open(p, cookie, `/console/tips/${tipId}`);
      expect(res.status).toBe(303);
      expect(res.headers.get('location')).toMatch(/^\/console\/sign-in/);
    }
    expect(await handle.db.selectFrom('sessions').select('idHash').where('account_id', '=', reviewer.account.id).execute()).toEqual([]);
  });
});
