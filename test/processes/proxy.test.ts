import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http2 from 'node:http2';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.ts';
import { manualClock } from '../../src/core/clock.ts';
import { connectDatabase, type DatabaseHandle } from '../../src/core/db/connect.ts';
import { migrateToLatest } from '../../src/core/db/migrate.ts';
import { totpFor } from '../../src/modules/accounts/totp.ts';
import { basicTip, createOfficeKey, multipart, type Part, receiptFrom } from '../../src/modules/tips/testing.ts';
import { testConfig } from '../helpers/app.ts';
import type { TestApp } from '../helpers/app.ts';
import { createStaff, csrfFrom, type TestStaff } from '../helpers/staff.ts';
import { type Answer, cookieOf, freePort, httpsRequest, type HttpsTarget, type Proc, root, startWeb, startWorker, stop } from './harness.ts';

/**
 * The production shape, as docs/operations.md sets it up: Debian's nginx with the shipped
 * deploy/nginx/heatwatch.conf (only ports, paths and upstreams replaced) and a self-signed
 * certificate, in front of two web processes and one `heatwatch worker`, on one PostgreSQL
 * database and Redis. Loopback addresses stand for the machines: 127.0.0.2 is a load balancer
 * the configuration trusts, which names each client in X-Forwarded-For.
 */
const baseUrl = process.env.TEST_DATABASE_URL ?? '';
const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const SITE = 'heatwatch.example.org';
const BALANCER = '127.0.0.2';
/** Client addresses that must appear nowhere: documentation ranges no other test uses. */
const TIPSTER = '198.51.100.23';
const OTHER_CLIENT = '198.51.100.47';
const nginxBinary = ['/usr/sbin/nginx', '/usr/bin/nginx'].find((p) => fs.existsSync(p));
const dbName = `hw_proxy_${randomBytes(5).toString('hex')}`;
const databaseUrl = (() => {
  const url = new URL(baseUrl || 'postgres://postgres@127.0.0.1:5432/test');
  url.pathname = `/${dbName}`;
  return url.toString();
})();

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'heatwatch-proxy-'));
// nginx's workers run as `nobody` under a root master: they must reach their temp and cache folders.
fs.chmodSync(dir, 0o755);

/** The shipped site configuration with this machine's ports, paths and upstreams, nothing else. */
function templatedSite(shipped: string, ports: { http: number; https: number; web: number[] }, paths: { dir: string; cert: string; key: string }): string {
  const replace = (text: string, from: string | RegExp, to: string) => {
    const out = text.replace(from, to);
    if (out === text) throw new Error(`deploy/nginx/heatwatch.conf no longer contains ${String(from)}`);
    return out;
  };
  let conf = shipped;
  conf = replace(conf, / {4}server 127\.0\.0\.1:3001;\n {4}server 127\.0\.0\.1:3002;\n/, ports.web.map((p) => `    server 127.0.0.1:${p};\n`).join(''));
  conf = replace(conf, 'listen 80;', `listen 127.0.0.1:${ports.http};`);
  conf = replace(conf, 'listen [::]:80;\n', '');
  conf = replace(conf, 'listen 443 ssl http2;', `listen 127.0.0.1:${ports.https} ssl http2;`);
  conf = replace(conf, 'listen [::]:443 ssl http2;\n', '');
  conf = replace(conf, `/etc/letsencrypt/live/${SITE}/fullchain.pem`, paths.cert);
  conf = replace(conf, `/etc/letsencrypt/live/${SITE}/privkey.pem`, paths.key);
  conf = replace(conf, /\/var\/log\/nginx\//g, `${paths.dir}/`);
  conf = replace(conf, '/var/cache/nginx/heatwatch', `${paths.dir}/cache`);
  // The load balancer of this test, in the two lines the file ships commented out for one.
  conf = replace(conf, '# set_real_ip_from 192.0.2.10;', `set_real_ip_from ${BALANCER};`);
  conf = replace(conf, '# real_ip_header X-Forwarded-For;', 'real_ip_header X-Forwarded-For;');
  return conf;
}

let handle: DatabaseHandle<any>;
let factory: TestApp;
let reviewer: TestStaff;
let tipId: string;
let web: Proc[] = [];
let worker: Proc | undefined;
let nginx: ChildProcess | undefined;
let target: HttpsTarget;
let httpPort: number;
let nginxOutput = '';

const env = () => ({
  DATABASE_URL: databaseUrl,
  REDIS_URL: redisUrl,
  BASE_URL: `https://${SITE}`,
  TRUST_PROXY: '127.0.0.1',
  DATA_DIR: path.join(dir, 'data'),
  SEED_DEMO: 'off',
  LOG_LEVEL: 'info',
});

/** Through the proxy, as the client `client` behind the trusted load balancer. */
const via = (client: string, pathname: string, options: { method?: string; headers?: Record<string, string>; body?: Buffer | string } = {}) =>
  httpsRequest(target, pathname, { ...options, from: BALANCER, headers: { 'x-forwarded-for': client, ...options.headers } });

function postForm(client: string, pathname: string, fields: Record<string, string>, cookie?: string): Promise<Answer> {
  return via(client, pathname, { method: 'POST', body: new URLSearchParams(fields).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded', ...(cookie ? { cookie } : {}) } });
}

function postParts(client: string, pathname: string, parts: Part[]): Promise<Answer> {
  const body = multipart(parts);
  return via(client, pathname, { method: 'POST', body: body.payload, headers: body.headers });
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, tries = 300): Promise<T> {
  for (let i = 0; i < tries; i++) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Every row of every table of the test database, as text. */
async function databaseText(): Promise<string> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const tables = await client.query<{ table_name: string }>(`select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`);
    const dumps = await Promise.all(tables.rows.map(async ({ table_name }) => JSON.stringify((await client.query(`select * from "${table_name}"`)).rows)));
    return dumps.join('\n');
  } finally {
    await client.end();
  }
}

const unavailable = process.env.HEATWATCH_TEST_DB !== 'postgres' || (!nginxBinary && process.env.CI !== 'true');

describe.skipIf(unavailable)('behind nginx: two web processes and a worker on PostgreSQL and Redis', () => {
  beforeAll(async () => {
    if (!nginxBinary) throw new Error('nginx is not installed (.ci/run installs it: apt-get install nginx)');
    const admin = new pg.Client({ connectionString: baseUrl });
    await admin.connect();
    await admin.query(`create database ${dbName}`);
    await admin.end();
    handle = connectDatabase<any>(databaseUrl, { rootDir: dir, poolSize: 3 });
    await migrateToLatest(handle.db);
    const clock = manualClock(new Date());
    const config = testConfig(dir, { DATA_DIR: path.join(dir, 'data') });
    const app = await buildApp({ config, database: handle, clock, logStream: new Writable({ write: (_c, _e, done) => done() }) });
    await app.ready();
    factory = { app, db: { handle, dir, close: async () => undefined }, clock, config, logs: [], close: async () => app.close() };
    await createOfficeKey(factory);
    reviewer = await createStaff(factory, ['tip_reviewer']);

    // The same build the Dockerfile runs (scripts/build.mjs): assets with hashed names and dist/.
    const built = spawnSync(process.execPath, [path.join(root, 'scripts/build.mjs')], { cwd: root, encoding: 'utf8' });
    if (built.status !== 0) throw new Error(`build failed: ${built.stderr}`);

    const cert = path.join(dir, 'tls.crt');
    const key = path.join(dir, 'tls.key');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', `/CN=${SITE}`, '-addext', `subjectAltName=DNS:${SITE}`, '-keyout', key, '-out', cert], { stdio: 'ignore' });

    web = await Promise.all([startWeb(env()), startWeb(env())]);
    worker = startWorker(env());

    httpPort = await freePort();
    target = { port: await freePort(), ca: fs.readFileSync(cert, 'utf8'), host: SITE };
    const site = templatedSite(fs.readFileSync(path.join(root, 'deploy/nginx/heatwatch.conf'), 'utf8'), { http: httpPort, https: target.port, web: web.map((w) => w.port) }, { dir, cert, key });
    fs.writeFileSync(path.join(dir, 'heatwatch.conf'), site);
    // The frame Debian's /etc/nginx/nginx.conf gives a site, with this test's own pid and logs.
    const temp = (name: string) => `${name}_temp_path ${dir}/${name}_temp;`;
    fs.writeFileSync(
      path.join(dir, 'nginx.conf'),
      `worker_processes 1;\npid ${dir}/nginx.pid;\nerror_log ${dir}/nginx-error.log;\nevents { worker_connections 512; }\nhttp {\n  include /etc/nginx/mime.types;\n  default_type application/octet-stream;\n  access_log ${dir}/nginx-default-access.log;\n  ${['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map(temp).join('\n  ')}\n  include ${dir}/heatwatch.conf;\n}\n`,
    );
    nginx = spawn(nginxBinary, ['-p', dir, '-c', path.join(dir, 'nginx.conf'), '-g', 'daemon off;'], { stdio: ['ignore', 'pipe', 'pipe'] });
    nginx.stdout!.on('data', (c: Buffer) => (nginxOutput += c.toString()));
    nginx.stderr!.on('data', (c: Buffer) => (nginxOutput += c.toString()));
    await waitFor('nginx', async () => {
      if (nginx!.exitCode !== null) throw new Error(`nginx exited: ${nginxOutput}`);
      try {
        return (await httpsRequest(target, '/healthz')).status === 200 ? true : undefined;
      } catch {
        return undefined;
      }
    });
  }, 180_000);

  afterAll(async () => {
    if (nginx && nginx.exitCode === null) {
      const exited = new Promise((resolve) => nginx!.once('exit', resolve));
      nginx.kill('SIGQUIT');
      await exited;
    }
    await Promise.all([...web.map(stop), stop(worker)]);
    await factory?.close();
    await handle?.destroy();
    const admin = new pg.Client({ connectionString: baseUrl });
    await admin.connect();
    await admin.query(`drop database if exists ${dbName} with (force)`);
    await admin.end();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('serves the site over HTTPS and HTTP/2 with HSTS, redirects HTTP, and caches hashed assets for a year', async () => {
    const session = http2.connect(`https://127.0.0.1:${target.port}`, { ca: target.ca, servername: SITE });
    try {
      const home = await new Promise<{ headers: http2.IncomingHttpHeaders; body: string }>((resolve, reject) => {
        const stream = session.request({ ':path': '/', ':authority': SITE });
        let body = '';
        let headers: http2.IncomingHttpHeaders = {};
        stream.on('response', (h) => (headers = h));
        stream.on('data', (c: Buffer) => (body += c.toString()));
        stream.on('end', () => resolve({ headers, body }));
        stream.on('error', reject);
      });
      expect(home.headers[':status']).toBe(200);
      expect(home.headers['strict-transport-security']).toMatch(/max-age=\d{8}/);
      expect(home.body).toContain('<html');
      const asset = /href="(\/assets\/app-[0-9a-f]+\.css)"/.exec(home.body)![1]!;
      const css = await via(OTHER_CLIENT, asset);
      expect(css.status).toBe(200);
      expect(css.headers['cache-control']).toMatch(/max-age=31536000.*immutable|immutable.*max-age=31536000/);
    } finally {
      session.close();
    }
    const plain = await new Promise<{ status: number; location: string | undefined }>((resolve, reject) => {
      fetch(`http://127.0.0.1:${httpPort}/tip`, { redirect: 'manual' }).then((r) => resolve({ status: r.status, location: r.headers.get('location') ?? undefined }), reject);
    });
    expect(plain.status).toBe(301);
    expect(plain.location).toMatch(/^https:\/\/127\.0\.0\.1(:\d+)?\/tip$|^https:\/\/[^/]+\/tip$/);
  });

  it('signs a reviewer in through the proxy with a Secure __Host- cookie, and that session opens a tip on both processes', async () => {
    expect((await postParts(TIPSTER, '/tip', await tipParts('a tip read on both processes'))).status).toBe(200);
    tipId = (await handle.db.selectFrom('tips').select('id').executeTakeFirstOrThrow()).id;

    const form = await via(OTHER_CLIENT, '/console/sign-in');
    const first = await postForm(OTHER_CLIENT, '/console/sign-in', { email: reviewer.account.email, password: reviewer.password, _csrf: csrfFrom(form.body) });
    expect(first.status).toBe(303);
    const setCookie = String(first.headers['set-cookie']);
    expect(setCookie).toMatch(/^__Host-hw_session=/);
    expect(setCookie).toMatch(/; Secure/i);
    expect(setCookie).toMatch(/; HttpOnly/i);
    expect(setCookie).toMatch(/; Path=\//i);
    expect(setCookie).not.toMatch(/Domain=/i);
    let cookie = cookieOf(first.headers['set-cookie']);
    const page = await via(OTHER_CLIENT, '/console/sign-in/second-factor', { headers: { cookie } });
    const code = totpFor(reviewer.totpSecret, 'x', 'x').generate({ timestamp: Date.now() });
    const second = await postForm(OTHER_CLIENT, '/console/sign-in/second-factor', { code, _csrf: csrfFrom(page.body) }, cookie);
    expect(second.status).toBe(303);
    cookie = cookieOf(second.headers['set-cookie']);
    // Each process directly: whichever served the sign-in, the other opens the tip too.
    for (const p of web) {
      const res = await fetch(`${p.url}/console/tips/${tipId}`, { headers: { cookie }, redirect: 'manual' });
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('a tip read on both processes');
    }
  });

  it('takes a tip and a follow-up through the proxy, and the worker delivers the mail the web processes queue', async () => {
    const sent = await postParts(TIPSTER, '/es/tip', await tipParts('a tip through nginx', '/es/tip'));
    expect(sent.status).toBe(200);
    const receipt = receiptFrom(sent.body);
    const page = await via(TIPSTER, '/es/tip/follow-up');
    const opened = await postForm(TIPSTER, '/es/tip/follow-up', { receipt, _csrf: csrfFrom(page.body) });
    expect(opened.status).toBe(200);
    const added = await postParts(TIPSTER, '/es/tip/follow-up/message', [['_csrf', csrfFrom(opened.body)], ['receipt', receipt], ['message', 'more, through nginx']]);
    expect(added.status).toBe(200);
    expect(added.body).toContain('more, through nginx');

    // JOBS=off on both web processes: only the worker can send this.
    const id = await factory.app.services.mailer.queue(factory.app.services.db, 'staff@example.org', { template: 'test', subject: 'through the worker', text: 'sent by heatwatch worker', html: '<p>sent by heatwatch worker</p>' });
    await waitFor('the worker to deliver the mail', async () => {
      const row = await handle.db.selectFrom('outbox').select('state').where('id', '=', id).executeTakeFirst();
      return row?.state === 'sent' ? true : undefined;
    });
    expect(worker!.child.exitCode).toBeNull();
  });

  it('limits each real client on its own, and a burst spread over both processes as one (Redis)', async () => {
    const lookups = (client: string, n: number, token: string) =>
      Promise.all(Array.from({ length: n }, () => postForm(client, '/map1193/report-status', { code: 'WRONG-CODE', _csrf: token })));
    const before = await Promise.all(web.map(routeCount));
    const token = csrfFrom((await via(TIPSTER, '/map1193/report-status')).body);
    // Thirty at once from one client: exactly the ten an hour allowed, wherever each one landed.
    const burst = await lookups(TIPSTER, 30, token);
    expect(burst.filter((r) => r.status === 429)).toHaveLength(20);
    expect(burst.filter((r) => r.status === 422)).toHaveLength(10);
    const after = await Promise.all(web.map(routeCount));
    const served = after.map((n, i) => n - before[i]!);
    expect(served.reduce((a, b) => a + b, 0)).toBe(30);
    // nginx spread the burst over both processes, so only the shared counter could hold it at ten.
    for (const n of served) expect(n).toBeGreaterThan(0);
    // Another client behind the same load balancer and proxy still has its own ten.
    const other = await lookups(OTHER_CLIENT, 3, token);
    expect(other.map((r) => r.status)).toEqual([422, 422, 422]);
  });

  it('leaves no client address in nginx’s logs, the processes’ logs, the database or Redis', async () => {
    // Give nginx and the processes' batched log writes a moment to reach their files and pipes.
    await new Promise((r) => setTimeout(r, 300));
    const nginxLogs = fs.readdirSync(dir).filter((f) => f.endsWith('.log')).map((f) => fs.readFileSync(path.join(dir, f), 'utf8'));
    const access = fs.readFileSync(path.join(dir, 'heatwatch-access.log'), 'utf8');
    // The log is written (the sign-in, assets and lookups are in it), but no tip-line request is.
    expect(access).toContain('/console/sign-in');
    expect(access).toMatch(/\/map1193\/report-status 429/);
    expect(access).not.toMatch(/\/(es\/)?tip/);
    const appLogs = [...web, worker!].map((p) => p.output());
    expect(appLogs[0]).toMatch(/"msg":"request"/);
    const redis = new Redis(redisUrl);
    const keys = await redis.keys('heatwatch:*');
    await redis.quit();
    const everything = [...nginxLogs, ...appLogs, nginxOutput, await databaseText(), keys.join('\n')];
    for (const address of [TIPSTER, OTHER_CLIENT]) {
      for (const text of everything) expect(text).not.toContain(address);
    }
  });
});

/** Per-process count of report-status posts, from its own /metrics (scraped on loopback). */
async function routeCount(p: Proc): Promise<number> {
  const text = await (await fetch(`${p.url}/metrics`)).text();
  return text
    .split('\n')
    .filter((l) => l.startsWith('heatwatch_http_requests_total{route="/map1193/report-status",method="POST"'))
    .reduce((sum, l) => sum + Number(l.split(' ').pop()), 0);
}

/** A fresh tip form's fields through the proxy, ready to post. */
async function tipParts(whatHappened: string, pathname = '/tip'): Promise<Part[]> {
  const form = await via(TIPSTER, pathname);
  const submissionId = /name="submissionId" value="([^"]+)"/.exec(form.body)![1]!;
  const parts: Part[] = [['_csrf', csrfFrom(form.body)], ['submissionId', submissionId]];
  for (const [name, value] of Object.entries(basicTip({ whatHappened }))) parts.push([name, String(value)]);
  return parts;
}
