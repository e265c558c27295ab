import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The reliability suite runs on its own (npm run test:reliability, vitest.reliability.config.ts).
    exclude: ['test/reliability/**', '**/node_modules/**'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Database-backed suites share one PostgreSQL server; files run in parallel workers with their own databases.
    pool: 'forks',
  },
});
