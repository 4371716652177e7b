import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';

/** Who may read /metrics, and the warning a proxy without TRUST_PROXY gets. */

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t.close());

describe('/metrics without a token', () => {
  it('opens to a loopback peer with no forwarding header', async () => {
    for (const remoteAddress of ['127.0.0.1', '127.0.0.2', '::1', '::ffff:127.0.0.1']) {
      expect((await t.app.inject({ url: '/metrics', remoteAddress })).statusCode, remoteAddress).toBe(200);
    }
  });

  it.each([
    ['x-forwarded-for', '203.0.113.9'],
    ['forwarded', 'for=203.0.113.9'],
    ['x-real-ip', '203.0.113.9'],
    ['x-forwarded-host', 'heatwatch.example.org'],
    ['x-forwarded-proto', 'https'],
  ])('stays hidden from a loopback peer whose request carries %s: a proxy on this host forwarded it', async (name, value) => {
    expect((await t.app.inject({ url: '/metrics', remoteAddress: '127.0.0.1', headers: { [name]: value } })).statusCode).toBe(404);
  });

  it('stays hidden from an address that only looks local', async () => {
    expect((await t.app.inject({ url: '/metrics', remoteAddress: '::ffff:10.0.0.1' })).statusCode).toBe(404);
    expect((await t.app.inject({ url: '/metrics', remoteAddress: '128.0.0.1' })).statusCode).toBe(404);
  });
});

describe('a proxy in front without TRUST_PROXY', () => {
  it('gets one warning in the log, naming the setting and no address', async () => {
    const proxied = await createTestApp();
    try {
      const warnings = () => proxied.logs.filter((line) => line.includes('TRUST_PROXY is off'));
      await proxied.app.inject({ url: '/', remoteAddress: '10.0.0.5' });
      expect(warnings()).toEqual([]);
      await proxied.app.inject({ url: '/', remoteAddress: '10.0.0.5', headers: { 'x-forwarded-for': '198.51.100.99' } });
      await proxied.app.inject({ url: '/', remoteAddress: '10.0.0.5', headers: { 'x-forwarded-for': '198.51.100.98' } });
      expect(warnings()).toHaveLength(1);
      expect(JSON.parse(warnings()[0]!).level).toBe(40);
      expect(warnings()[0]).not.toContain('198.51.100');
    } finally {
      await proxied.close();
    }
  });

  it('gets none when TRUST_PROXY is set', async () => {
    const trusting = await createTestApp({ env: { TRUST_PROXY: '10.0.0.5' } });
    try {
      await trusting.app.inject({ url: '/', remoteAddress: '10.0.0.5', headers: { 'x-forwarded-for': '198.51.100.99' } });
      expect(trusting.logs.filter((line) => line.includes('TRUST_PROXY is off'))).toEqual([]);
    } finally {
      await trusting.close();
    }
  });
});
