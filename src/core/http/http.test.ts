import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { AppError } from './errors.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t.close());

describe('security headers', () => {
  it('sends a strict CSP and the privacy headers on every page', async () => {
    const res = await t.app.inject({ url: '/' });
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['strict-transport-security']).toBeUndefined();
  });

  it('has no inline script or style attribute that the CSP would have to allow', async () => {
    const html = (await t.app.inject({ url: '/' })).body;
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(html).not.toMatch(/\sstyle="/);
    expect(html).not.toMatch(/\son[a-z]+="/);
    expect(html).not.toContain('<style');
  });

  it('adds HSTS when served over https', async () => {
    const secure = await createTestApp({ env: { BASE_URL: 'https://heat.example.org' } });
    try {
      const res = await secure.app.inject({ url: '/' });
      expect(res.headers['strict-transport-security']).toMatch(/max-age=\d+/);
      expect(String(res.headers['content-security-policy'])).toContain('upgrade-insecure-requests');
    } finally {
      await secure.close();
    }
  });
});

describe('compression and assets', () => {
  it('compresses pages for clients that accept it', async () => {
    const res = await t.app.inject({ url: '/what-is-trafficking', headers: { 'accept-encoding': 'br, gzip' } });
    expect(res.headers['content-encoding']).toBe('br');
  });

  it('serves hashed assets with a year-long immutable cache', async () => {
    const html = (await t.app.inject({ url: '/' })).body;
    const css = /href="(\/assets\/app-[0-9a-f]{10}\.css)"/.exec(html)?.[1];
    const js = /src="(\/assets\/quick-exit-[0-9a-f]{10}\.js)"/.exec(html)?.[1];
    expect(css).toBeDefined();
    expect(js).toBeDefined();
    for (const url of [css!, js!]) {
      const res = await t.app.inject({ url });
      expect(res.statusCode).toBe(200);
      expect(res.headers['cache-control']).toMatch(/max-age=31536000.*immutable|immutable.*max-age=31536000/);
    }
  });
});

describe('errors', () => {
  let probe: TestApp;
  beforeAll(async () => {
    probe = await createTestApp({
      beforeReady: (app) => {
        app.get('/es/__boom', { config: { locale: 'es' } }, async () => {
          throw new Error('secret detail from the database');
        });
        app.get('/__forbidden', async () => {
          throw new AppError('forbidden');
        });
      },
    });
  });
  afterAll(async () => probe.close());

  it('renders a translated 500 that shows no message or stack', async () => {
    const res = await probe.app.inject({ url: '/es/__boom' });
    expect(res.statusCode).toBe(500);
    expect(res.body).toContain('Algo salió mal de nuestro lado');
    expect(res.body).not.toContain('secret detail');
    expect(res.body).not.toMatch(/at .*\.ts:\d+/);
    // The detail goes to the log for the operator instead.
    expect(probe.logs.join('')).toContain('secret detail from the database');
  });

  it('renders AppErrors with their status', async () => {
    const res = await probe.app.inject({ url: '/__forbidden' });
    expect(res.statusCode).toBe(403);
    expect(res.body).toContain('Not allowed');
  });
});

describe('/healthz', () => {
  it('answers liveness (readiness, with the database, is /readyz: src/core/ops/readiness.test.ts)', async () => {
    const res = await t.app.inject({ url: '/healthz' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok' });
  });
});

describe('/metrics', () => {
  it('serves Prometheus text to a loopback scraper', async () => {
    await t.app.inject({ url: '/' });
    const res = await t.app.inject({ url: '/metrics', remoteAddress: '127.0.0.1' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.body).toMatch(/heatwatch_http_requests_total\{route="\/",method="GET",status="200"\} \d+/);
  });

  it('is hidden from other addresses without the token', async () => {
    const res = await t.app.inject({ url: '/metrics', remoteAddress: '203.0.113.9' });
    expect(res.statusCode).toBe(404);
  });
});

describe('logs', () => {
  it('write no client address or user agent', async () => {
    await t.app.inject({ url: '/contact', remoteAddress: '198.51.100.77', headers: { 'user-agent': 'UniqueAgent/9.9' } });
    const all = t.logs.join('');
    expect(all).toContain('"route":"/contact"');
    expect(all).not.toContain('198.51.100.77');
    expect(all).not.toContain('UniqueAgent');
  });
});

it('keeps test data out of the repository data folder', () => {
  expect(t.config.dataDir.startsWith(t.db.dir)).toBe(true);
  expect(fs.existsSync(path.join(t.db.dir))).toBe(true);
});
