import fs from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { isTipLineRoute } from '../../src/core/http/security.ts';
import { MAX_FILE_BYTES, MAX_FILES, multipartLimits } from '../../src/modules/tips/attachments.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';

/**
 * What ships in deploy/, Dockerfile and compose.yaml, checked against the code they serve: no
 * container daemon runs here, so the image is built elsewhere, but every script and file it
 * names must exist, its settings must load, and the proxies must know the tip line's paths.
 */
const root = path.resolve(import.meta.dirname, '../..');
const read = (file: string) => fs.readFileSync(path.join(root, file), 'utf8');

type Service = { build?: string; image?: string; command?: string[]; environment?: Record<string, string>; env_file?: string; read_only?: boolean; volumes?: string[]; healthcheck?: { disable?: boolean } };
const compose = yaml.load(read('compose.yaml')) as { services: Record<string, Service> };
const dockerfile = read('Dockerfile');
const nginx = read('deploy/nginx/heatwatch.conf');
const caddy = read('deploy/caddy/Caddyfile');

/** KEY=value lines of the shipped environment template, commented-out ones included. */
const template = Object.fromEntries(
  read('deploy/heatwatch.env.example')
    .split('\n')
    .map((l) => /^#?\s*([A-Z][A-Z0-9_]+)=(.*)$/.exec(l))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => [m[1]!, m[2]!]),
);

const filledTemplate = { ...template, ONION_URL: `http://${'a'.repeat(56)}.onion` };

/** Every route URL, read back from Fastify's route tree (each level indents four columns). */
function routeUrls(tree: string): string[] {
  const stack: string[] = [];
  const urls: string[] = [];
  for (const line of tree.split('\n')) {
    const match = /^([│├└─ ]*)(\S.*?)(?: \(([^)]+)\))?$/.exec(line);
    if (!match) continue;
    const depth = match[1]!.length / 4;
    stack.length = depth;
    stack.push(match[2]!);
    if (match[3]) urls.push(stack.join(''));
  }
  return urls;
}

let t: TestApp;
let urls: string[];
beforeAll(async () => {
  t = await createTestApp();
  urls = routeUrls(t.app.printRoutes({ commonPrefix: false }));
});
afterAll(async () => t?.close());

describe('the environment template', () => {
  it('names only variables the app reads, and loads as a valid configuration once filled in', () => {
    const schemaKeys = [...read('src/config.ts').matchAll(/^ {2}([A-Z][A-Z0-9_]+): z/gm)].map((m) => m[1]!);
    expect(schemaKeys).toContain('ONION_URL');
    for (const key of Object.keys(template)) expect(schemaKeys).toContain(key);
    const config = loadConfig(filledTemplate);
    expect(config.secure).toBe(true);
    expect(config.trustProxy).toBe('127.0.0.1');
    expect(config.redisUrl).toBeDefined();
  });
});

describe('Dockerfile', () => {
  it('builds in stages with the scripts CI runs, and runs as a non-root user with a health check on /healthz', async () => {
    expect(dockerfile.match(/^FROM /gm)!.length).toBeGreaterThanOrEqual(2);
    for (const [, script] of dockerfile.matchAll(/RUN node (scripts\/[\w.-]+)/g)) expect(fs.existsSync(path.join(root, script!))).toBe(true);
    expect(dockerfile).toContain('RUN node scripts/build.mjs');
    // Every file or folder copied from the build context exists in the repository.
    for (const [, sources] of dockerfile.matchAll(/^COPY (?!--from)(.+) \S+$/gm)) {
      for (const source of sources!.split(/\s+/)) if (source !== '.') expect(fs.existsSync(path.join(root, source))).toBe(true);
    }
    const user = [...dockerfile.matchAll(/^USER (\S+)/gm)].pop()?.[1];
    expect(user).toBeDefined();
    expect(['root', '0']).not.toContain(user);
    const health = /HEALTHCHECK[\s\S]*?CMD (\[.*\])/.exec(dockerfile)![1]!;
    expect(health).toContain('/healthz');
    expect((await t.app.inject({ url: '/healthz' })).statusCode).toBe(200);
    const cmd = JSON.parse(/^CMD (\[.*\])$/m.exec(dockerfile)![1]!) as string[];
    expect(cmd).toEqual(['node', 'dist/main.js']);
    expect(read('scripts/build-options.mjs')).toContain("'src/main.ts'");
  });
});

describe('compose.yaml', () => {
  it('runs two web processes with JOBS=off, one worker, PostgreSQL, Redis and Caddy, from the Dockerfile and read-only', () => {
    const s = compose.services;
    expect(Object.keys(s).sort()).toEqual(['app1', 'app2', 'caddy', 'postgres', 'redis', 'worker']);
    for (const name of ['app1', 'app2', 'worker']) {
      expect(s[name]!.build).toBe('.');
      expect(s[name]!.read_only).toBe(true);
      expect(s[name]!.environment!.REDIS_URL).toMatch(/^redis:\/\/redis:/);
      expect(s[name]!.environment!.DATABASE_URL).toMatch(/@postgres:5432\//);
      // The settings compose gives the app load as a configuration, with the template's for the rest.
      const env = { ...filledTemplate, ...s[name]!.environment, DATABASE_URL: s[name]!.environment!.DATABASE_URL!.replace(/\$\{[^}]+\}/, 'secret') };
      expect(() => loadConfig(env)).not.toThrow();
    }
    expect(s.app1!.environment!.JOBS).toBe('off');
    expect(s.app2!.environment!.JOBS).toBe('off');
    const worker = s.worker!.command!;
    expect(worker).toEqual(['node', 'dist/cli.js', 'worker']);
    expect(read('src/cli.ts')).toMatch(/^ {2}worker: \{/m);
    const trusted = s.app1!.environment!.TRUST_PROXY;
    const caddyService = compose.services.caddy as Service & { networks: Record<string, { ipv4_address: string }> };
    expect(caddyService.networks.heatwatch!.ipv4_address).toBe(trusted);
    const mounted = caddyService.volumes!.find((v) => v.endsWith(':/etc/caddy/Caddyfile:ro'))!;
    expect(fs.existsSync(path.join(root, mounted.split(':')[0]!))).toBe(true);
    expect(caddyService.environment!.HEATWATCH_UPSTREAMS).toBe('app1:3000 app2:3000');
  });
});

/** The tip-line pattern from each proxy's configuration, as the proxy will match it. */
const nginxTipLine = new RegExp(/location ~ "(\^\/[^"]*tip[^"]*)"/.exec(nginx)![1]!);
const caddyTipLine = new RegExp(/@tipline path_regexp tipline (\S+)/.exec(caddy)![1]!);

describe('the proxies and the tip line', () => {
  it('keep every tip-line route of every locale out of their access logs, and nothing else', () => {
    expect(urls).toContain('/map1193/businesses/:id');
    const tipLine = urls.filter((u) => isTipLineRoute(u));
    // /tip, /tip/follow-up, /tip/follow-up/message in each language the site has.
    expect(tipLine.length).toBe(3 * t.app.services.catalogs.locales.length);
    expect(tipLine).toContain('/es/tip/follow-up/message');
    for (const pattern of [nginxTipLine, caddyTipLine]) {
      for (const url of urls) expect({ url, matched: pattern.test(url) }).toEqual({ url, matched: isTipLineRoute(url) });
      // A locale added later (README: no code change) is covered too, and so is a trailing slash.
      for (const url of ['/zh-Hant/tip', '/vi/tip/follow-up', '/tip/']) expect(pattern.test(url)).toBe(true);
      for (const url of ['/tips-and-signs', '/console/tips', '/es/tipping']) expect(pattern.test(url)).toBe(false);
    }
    expect(nginx).toMatch(/location ~ "\^[^"]*tip[^"]*" \{\n\s+access_log off;\n\s+error_log \/dev\/null crit;/);
    expect(caddy).toMatch(/skip_log @tipline/);
  });

  it('accept a tip as large as the app does, and nothing logs a client address', () => {
    const appMax = MAX_FILES * MAX_FILE_BYTES + multipartLimits.fields * multipartLimits.fieldSize;
    const nginxTip = Number(/location ~ "[^"]*tip[^"]*" \{[^}]*client_max_body_size (\d+)m;/.exec(nginx)![1]!) * 1024 * 1024;
    expect(nginxTip).toBeGreaterThanOrEqual(appMax);
    expect(nginxTip).toBeLessThan(appMax + 4 * 1024 * 1024);
    expect(Number(/tipline \{\n\s+max_size (\d+)MiB/.exec(caddy)![1]!) * 1024 * 1024).toBeGreaterThanOrEqual(appMax);
    // The app's limit for ordinary forms: src/app.ts BODY_LIMIT.
    expect(read('src/app.ts')).toContain('const BODY_LIMIT = 1024 * 1024;');
    expect(nginx).toMatch(/^ {4}client_max_body_size 1m;$/m);
    const format = /log_format heatwatch '([^']+)'/.exec(nginx)![1]!;
    for (const field of ['$remote_addr', '$http_x_forwarded_for', '$http_user_agent', '$http_referer', '$request_uri', '$args']) expect(format).not.toContain(field);
    for (const field of ['request>remote_ip', 'request>client_ip', 'request>headers']) expect(caddy).toMatch(new RegExp(`${field.replace('>', '>')} delete`));
  });

  it('run web processes with JOBS=off and the worker through `heatwatch worker` under systemd', () => {
    const webUnit = read('deploy/systemd/heatwatch-web@.service');
    expect(webUnit).toMatch(/^Environment=.*\bJOBS=off\b/m);
    expect(webUnit).toMatch(/^Environment=.*\bPORT=%i\b/m);
    expect(webUnit).toMatch(/^ExecStart=\S+ dist\/main\.js$/m);
    expect(read('deploy/systemd/heatwatch-worker.service')).toMatch(/^ExecStart=\S+ dist\/cli\.js worker$/m);
    for (const unit of ['heatwatch-web@.service', 'heatwatch-worker.service']) {
      const text = read(`deploy/systemd/${unit}`);
      expect(text).toMatch(/^User=heatwatch$/m);
      expect(text).toMatch(/^EnvironmentFile=\/etc\/heatwatch\/heatwatch\.env$/m);
    }
    // The template sets nothing the units set per process.
    for (const key of ['PORT', 'HOST', 'JOBS']) expect(template[key]).toBeUndefined();
  });
});
