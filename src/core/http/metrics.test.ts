import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';

/** Who may read /metrics. */

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
