import { defineConfig } from 'vitest/config';

/**
 * The reliability suite (`npm run test:reliability`, test/reliability/): fuzzing through the real endpoints and
 * fault injection (database cut, SQLite lock, concurrent redeliveries). Minutes long, so not part of `npm test`;
 * run before each release. Files run one after the other: their figures are throughput and must not compete.
 */
export default defineConfig({
  test: {
    include: ['test/reliability/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 900_000,
    hookTimeout: 120_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
