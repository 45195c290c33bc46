import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * The slowest files at default sizes, slowest first (as measured one at a time on 2 cores):
 * they start first, so that the workers finish together rather than one running the longest
 * file alone at the end. Every other file follows in vitest's own order.
 */
const slowestFiles = [
  'test/system/deploy.test.ts',
  'test/system/faults.test.ts',
  'test/system/e2e-nginx.test.ts',
  'test/system/local-server.test.ts',
  'test/system/inspector.test.ts',
  'test/system/local-origin.test.ts',
  'test/system/connect-tencent.test.ts',
  'test/system/notifications.test.ts',
  'test/system/storm.test.ts',
  'test/system/fuzz.test.ts',
  'test/system/order.property.test.ts',
  'test/system/readme.test.ts',
  'test/system/invoke-local.test.ts',
];
const renamed = slowestFiles.filter((path) => !existsSync(new URL(path, import.meta.url)));
if (renamed.length > 0) throw new Error(`vitest.config.ts lists files that are not there: ${renamed.join(', ')}`);

class SlowestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (file: TestSpecification) => {
      const index = slowestFiles.findIndex((path) => file.moduleId.endsWith(`/${path}`));
      return index === -1 ? slowestFiles.length : index;
    };
    return (await super.sort(files)).sort((a, b) => rank(a) - rank(b));
  }
}

/**
 * Two projects: `unit`, fast tests that mirror the source and start no engine (`npm run
 * test:unit`), and `system`, the real parts (dynalite and the SQS engine, started once for
 * the project; the local server, osls, nginx and ffmpeg, faults, fuzzing, load). `npm test`
 * runs both. The heavy sizes are variables, which `.ci/run` sets to CI's sizes:
 * `FUZZ_RUNS` (requests per provider, default 250), `PROPERTY_RUNS` (order scenarios,
 * default 5), `LOAD_STREAMS` (default 60), `INVOKE_LOCAL` (`all`: every sample event
 * through `serverless invoke local`; default the start of one Function URL provider and one
 * EventBridge one), `STORM_SCALE` (the storm's sample, default 1/250; CI 1/100) and
 * `README_AS_WRITTEN` (`1`: the README test's copy runs `npm ci` and `npx livehooks` as
 * written; default it links node_modules and runs the CLI's bin); and `TEST_WORKERS`
 * (default two, or a core but one) to one.
 */
export default defineConfig({
  test: {
    setupFiles: ['test/support/secret-free-logs.ts'],
    // Every test sets its own settings: no developer's .env reaches npm start or the CLI it runs.
    env: { LIVEHOOKS_ENV_FILE: '' },
    // Property tests drive a real (embedded) DynamoDB engine: give them room on 2 cores.
    testTimeout: 60_000,
    hookTimeout: 30_000,
    // vitest's default is a worker per core but one; on 2 cores that is one, and the system
    // files mostly wait on child processes (osls, npm start, nginx, Chromium): two workers.
    // `TEST_WORKERS` sets it: .ci/run asks for one at CI's CPU-bound sizes.
    maxWorkers: Number(process.env.TEST_WORKERS) || Math.max(2, availableParallelism() - 1),
    sequence: { sequencer: SlowestFirst },
    // Rejections are logged on purpose; the log tests read them through a spy.
    silent: 'passed-only',
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts'], pool: 'threads', isolate: false } },
      {
        extends: true,
        test: {
          name: 'system',
          include: ['test/system/**/*.test.ts'],
          globalSetup: ['test/support/global-setup.ts'],
          // Files share a worker's modules, as in `unit`: each sets its own settings and
          // restores its spies. Loading the modules once per worker rather than per file
          // took `npm test` from 234 to 196 s on 2 cores.
          isolate: false,
        },
      },
    ],
  },
});
