import { describe, expect, it } from 'vitest';
import { createTestApp } from '../../../test/helpers/app.ts';

/** The log warning a proxy without TRUST_PROXY gets; the console notice is tested with the console home. */

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
