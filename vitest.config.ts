import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    setupFiles: ['test/support/secret-free-logs.ts'],
    // Property tests drive a real (embedded) DynamoDB engine: give them room on 2 cores.
    testTimeout: 60_000,
    hookTimeout: 30_000,
    // Rejections are logged on purpose; the log tests read them through a spy.
    silent: 'passed-only',
  },
});
