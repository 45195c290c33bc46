/**
 * Peak memory per function: one fresh process per function answers one callback (a cold
 * start) and then 1,000 more (warm, each a new push) against the engine, as Lambda would
 * invoke it, and reports the kernel's peak resident set, which is what Lambda bills against
 * `memorySize` and reports as "Max Memory Used".
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { lambdaEnv } from './cold-start';
import type { Bundle } from './lib/bundles';
import { providerEnv, providerNames, signedCallback, type ProviderName } from './lib/callbacks';
import type { Engine } from './lib/engine';

const child = new URL('./memory/invoke.cjs', import.meta.url).pathname;
const run = promisify(execFile);

/**
 * The V8 heap limits Lambda's Node.js runtime starts a function of `memoryMb` with: its
 * bootstrap script (`/var/runtime/bootstrap`, as read in the public.ecr.aws/lambda/nodejs
 * images of nodejs14.x and nodejs18.x; taken to be unchanged in nodejs24.x) gives a tenth of
 * the memory to the young generation (half of it per semi-space) and the rest to the old one.
 */
export function lambdaHeapFlags(memoryMb: number): string[] {
  const newSpace = Math.floor(memoryMb / 10);
  return [`--max-semi-space-size=${Math.floor(newSpace / 2)}`, `--max-old-space-size=${memoryMb - newSpace}`];
}

/** One function's peak resident set and heap after its callbacks, in MB. */
export interface MemoryResult {
  peakRssMb: number;
  heapMb: number;
}

/** Measures every function, one process each, `warm` callbacks after the first. */
export async function measureMemory(
  engine: Engine,
  bundles: Record<ProviderName, Bundle>,
  warm: number,
  nodeFlags: readonly string[] = [],
): Promise<Record<ProviderName, MemoryResult>> {
  const dir = mkdtempSync(join(tmpdir(), 'livehooks-memory-'));
  const results: Record<ProviderName, MemoryResult> = {};
  try {
    for (const name of providerNames) {
      const nowSec = Math.floor(Date.now() / 1000);
      const events = Array.from(
        { length: warm + 1 },
        (_, index) => signedCallback(name, `memory-${name}-${nowSec}-${index}`, nowSec).event,
      );
      const file = join(dir, `${name}.json`);
      writeFileSync(file, JSON.stringify(events));
      const { stdout } = await run(process.execPath, [...nodeFlags, child], {
        env: { ...lambdaEnv(engine), ...providerEnv(name), BENCH_BUNDLE: bundles[name]!.path, BENCH_EVENTS: file },
        maxBuffer: 64 * 1024 * 1024,
      });
      const report = JSON.parse(/^BENCH (.*)$/m.exec(stdout)![1]!) as { maxRssKb: number; heapUsedKb: number };
      results[name] = { peakRssMb: report.maxRssKb / 1024, heapMb: report.heapUsedKb / 1024 };
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return results;
}
