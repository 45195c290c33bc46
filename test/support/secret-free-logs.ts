/**
 * Runs before every test file: watches everything the file logs (console and the process
 * streams) for any key or token the suites configure, and fails the file if one appears.
 * docs/behaviour.md §2: keys and tokens never appear in any log line.
 *
 * The watch is installed once per worker (files share a worker's modules in the unit
 * project) and its findings are cleared before each file and checked after it.
 */
import { afterAll, beforeAll, expect } from 'vitest';
import { configuredSecrets } from './providers';

const installed = Symbol.for('livehooks.secretFreeLogs');
type Watched = typeof globalThis & { [installed]?: string[] };

function install(): string[] {
  const leaks: string[] = [];
  const inspect = (text: string) => {
    for (const secret of configuredSecrets)
      if (text.includes(secret)) leaks.push(`${secret} in: ${text.slice(0, 200)}`);
  };
  for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
    const original = console[method].bind(console);
    console[method] = (...args: unknown[]) => {
      inspect(args.map((arg) => (typeof arg === 'string' ? arg : (JSON.stringify(arg) ?? String(arg)))).join(' '));
      original(...args);
    };
  }
  for (const stream of [process.stdout, process.stderr]) {
    const original = stream.write.bind(stream) as (...args: unknown[]) => boolean;
    stream.write = (chunk: unknown, ...rest: unknown[]) => {
      inspect(String(chunk));
      return original(chunk, ...rest);
    };
  }
  return leaks;
}

const leaks = ((globalThis as Watched)[installed] ??= install());

beforeAll(() => {
  leaks.length = 0;
});

afterAll(() => {
  expect(leaks, 'a configured key or token reached a log line').toEqual([]);
});
