import { defineConfig } from 'vitest/config';

/**
 * Two projects: `unit`, fast tests that mirror the source and start no engine (`npm run
 * test:unit`), and `system`, the real parts (dynalite and the SQS engine, started once for
 * the project; the local server, osls, nginx and ffmpeg, faults, fuzzing, load). `npm test`
 * runs both. The heavy sizes are variables: `FUZZ_RUNS`
 * (requests per provider, default 1,000), `PROPERTY_RUNS` (order scenarios, default 15),
 * `LOAD_STREAMS` (default 60); `.ci/run` sets them to CI's sizes.
 */
export default defineConfig({
  test: {
    setupFiles: ['test/support/secret-free-logs.ts'],
    // Every test sets its own settings: no developer's .env reaches npm start or the CLI it runs.
    env: { LIVEHOOKS_ENV_FILE: '' },
    // Property tests drive a real (embedded) DynamoDB engine: give them room on 2 cores.
    testTimeout: 60_000,
    hookTimeout: 30_000,
    // Rejections are logged on purpose; the log tests read them through a spy.
    silent: 'passed-only',
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts'], pool: 'threads', isolate: false } },
      {
        extends: true,
        test: { name: 'system', include: ['test/system/**/*.test.ts'], globalSetup: ['test/support/global-setup.ts'] },
      },
    ],
  },
});
