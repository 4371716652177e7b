import { defineConfig } from 'vitest/config';

// Suites over the same code: `unit` (unit and HTTP tests on SQLite), `pg` (the same tests on
// PostgreSQL, from TEST_DATABASE_URL), `e2e` (real Chromium against a listening server) and
// `pg-e2e` (the browser tests whose point is what the database does, on PostgreSQL).
export default defineConfig({
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  test: {
    globalSetup: ['test/helpers/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['src/**/*.test.{ts,tsx}', 'test/unit/**/*.test.ts', 'test/audit/**/*.test.ts'], env: { HEATWATCH_TEST_DB: 'sqlite' } },
      },
      {
        extends: true,
        test: {
          name: 'pg',
          include: ['src/**/*.test.{ts,tsx}', 'test/audit/**/*.test.ts'],
          env: { HEATWATCH_TEST_DB: 'postgres' },
          globalSetup: ['test/helpers/global-setup-pg.ts'],
        },
      },
      {
        extends: true,
        test: { name: 'e2e', include: ['test/e2e/**/*.test.ts'], env: { HEATWATCH_TEST_DB: 'sqlite' }, testTimeout: 60_000 },
      },
      {
        extends: true,
        test: {
          name: 'pg-e2e',
          // Exactly-once delivery of queued reports rests on the database's unique key.
          include: ['test/e2e/map1193-offline.test.ts'],
          env: { HEATWATCH_TEST_DB: 'postgres' },
          globalSetup: ['test/helpers/global-setup-pg.ts'],
          testTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'processes',
          // Real app processes side by side on one PostgreSQL database and Redis.
          include: ['test/processes/**/*.test.ts'],
          env: { HEATWATCH_TEST_DB: 'postgres' },
          globalSetup: ['test/helpers/global-setup-pg.ts'],
          testTimeout: 60_000,
        },
      },
    ],
  },
});
