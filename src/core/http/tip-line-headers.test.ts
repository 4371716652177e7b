import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ env: { TILE_URL: 'https://tiles.example.net/{z}/{x}/{y}.png', BASE_URL: 'https://heat.example.org' } });
});
afterAll(async () => t.close());

const TIP_PAGES = ['/tip', '/es/tip', '/tip/follow-up'];

describe('tip-line headers', () => {
  it('names the map-tile host on the map but not on any tip-line page', async () => {
    const map = await t.app.inject({ url: '/map1193' });
    expect(String(map.headers['content-security-policy'])).toContain('https://tiles.example.net');
    for (const url of TIP_PAGES) {
      const res = await t.app.inject({ url });
      expect(res.statusCode, url).toBe(200);
      expect(String(res.headers['content-security-policy']), url).not.toContain('tiles.example.net');
      expect(String(res.headers['content-security-policy']), url).toContain("default-src 'none'");
    }
  });

  it('denies geolocation, camera and microphone on the tip line', async () => {
    for (const url of TIP_PAGES) {
      const policy = String((await t.app.inject({ url })).headers['permissions-policy']);
      expect(policy, url).toContain('geolocation=()');
      expect(policy, url).toContain('camera=()');
      expect(policy, url).toContain('microphone=()');
    }
    const tipPost = await t.app.inject({ method: 'POST', url: '/tip', payload: 'x=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(String(tipPost.headers['permissions-policy'])).toContain('geolocation=()');
  });
});

describe('/.well-known/security.txt', () => {
  it('serves RFC 9116 fields from the office settings', async () => {
    await t.app.services.settings.update({ contactEmail: 'security@county.example.gov', languages: ['en', 'es'] });
    const res = await t.app.inject({ url: '/.well-known/security.txt' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    const lines = res.body.trim().split('\n');
    expect(lines).toContain('Contact: mailto:security@county.example.gov');
    expect(lines).toContain('Preferred-Languages: en, es');
    expect(lines).toContain('Canonical: https://heat.example.org/.well-known/security.txt');
    const expires = lines.find((line) => line.startsWith('Expires: '))?.slice('Expires: '.length);
    expect(expires).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const days = (Date.parse(expires!) - t.clock.now().getTime()) / 86_400_000;
    // RFC 9116 advises less than a year ahead; a date in the past makes the file stale.
    expect(days).toBeGreaterThan(300);
    expect(days).toBeLessThanOrEqual(365);
  });
});

describe('request ids', () => {
  it('are random, so their gaps count no visits in between', async () => {
    const before = t.logs.length;
    for (let i = 0; i < 12; i++) await t.app.inject({ url: '/contact' });
    const ids = t.logs
      .slice(before)
      .map((line) => JSON.parse(line) as { reqId?: string; route?: string })
      .filter((line) => line.route === '/contact')
      .map((line) => line.reqId!);
    expect(ids).toHaveLength(12);
    expect(new Set(ids).size).toBe(12);
    for (const id of ids) {
      expect(id).toMatch(/^[A-Za-z0-9_-]{12}$/);
      expect(id).not.toMatch(/^req-/);
    }
  });
});
