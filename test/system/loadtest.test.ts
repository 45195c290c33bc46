import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

const run = promisify(execFile);
const repo = new URL('../..', import.meta.url).pathname;

// The small version of `npm run loadtest`, so CI holds the audit to account on every change
// (`LOAD_STREAMS` streams, 60 by default).
const streams = process.env.LOAD_STREAMS ?? '60';
it('loses nothing, stores nothing twice, leaves no wrong state and tells it all in notifications under retries, shuffling, concurrency, overlapping pushes and a logical stream', async () => {
  // tsx's own bin: npx would first read the whole dependency tree, seconds.
  const { stdout } = await run(
    join(repo, 'node_modules/.bin/tsx'),
    [
      'bench/loadtest.ts',
      '--streams',
      streams,
      '--sessions',
      '4',
      '--concurrency',
      '32',
      '--duplicates',
      '0.2',
      '--json',
    ],
    { cwd: repo, timeout: 240_000 },
  );
  const report = JSON.parse(stdout.trim().split('\n').at(-1)!);
  expect(report).toMatchObject({
    streams: Number(streams),
    lost: 0,
    doubleStored: 0,
    wrongState: 0,
    wrongSessions: 0,
    wrongLogical: 0,
    logicalNotificationsLost: 0,
    notificationsChanged: 0,
    notificationsLost: 0,
    wrongLiveView: 0,
    wrongNotifiedSessions: 0,
    errors: 0,
  });
  // At least once: every delivery that was answered 200 sent its notification.
  expect(report.notificationsReceived).toBeGreaterThanOrEqual(report.callbacks);
  expect(report.sent).toBe(report.callbacks + report.duplicatesSent);
  expect(report.stored).toBe(report.callbacks);
  expect(report.overlappingStreams).toBeGreaterThan(0);
  expect(report.duplicatesAnswered).toBeGreaterThanOrEqual(report.duplicatesSent);
}, 300_000);
