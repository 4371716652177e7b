import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

describe('loadConfig', () => {
  it('has working defaults for a fresh machine', () => {
    const config = loadConfig({});
    expect(config.port).toBe(3000);
    expect(config.host).toBe('127.0.0.1');
    expect(config.databaseUrl).toBe('sqlite:data/heatwatch.db');
    expect(config.baseUrl).toBe('http://127.0.0.1:3000');
    expect(config.secure).toBe(false);
    expect(config.trustProxy).toBe(false);
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('treats an https BASE_URL as secure', () => {
    const config = loadConfig({ BASE_URL: 'https://heat.example.org/' });
    expect(config.baseUrl).toBe('https://heat.example.org');
    expect(config.secure).toBe(true);
  });

  it('reports every problem at once', () => {
    try {
      loadConfig({ PORT: 'abc', DATABASE_URL: 'mysql://x', LOG_LEVEL: 'loud' });
      expect.fail('expected a ConfigError');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const problems = (error as ConfigError).problems.join('\n');
      expect(problems).toMatch(/PORT/);
      expect(problems).toMatch(/DATABASE_URL/);
      expect(problems).toMatch(/LOG_LEVEL/);
    }
  });

  it('accepts PostgreSQL URLs and proxy settings', () => {
    const config = loadConfig({ DATABASE_URL: 'postgres://u@db:5432/heat', TRUST_PROXY: '10.0.0.0/8' });
    expect(config.databaseUrl).toBe('postgres://u@db:5432/heat');
    expect(config.trustProxy).toBe('10.0.0.0/8');
    expect(loadConfig({ TRUST_PROXY: 'true' }).trustProxy).toBe(true);
  });

  it('takes ARGON2_CONCURRENCY from 1 to 64, and leaves it to the CPU count when unset', () => {
    expect(loadConfig({}).argon2Concurrency).toBeUndefined();
    expect(loadConfig({ ARGON2_CONCURRENCY: '3' }).argon2Concurrency).toBe(3);
    expect(() => loadConfig({ ARGON2_CONCURRENCY: '0' })).toThrow(/ARGON2_CONCURRENCY/);
    expect(() => loadConfig({ ARGON2_CONCURRENCY: 'many' })).toThrow(/ARGON2_CONCURRENCY/);
  });
});
