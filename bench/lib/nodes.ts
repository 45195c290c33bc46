/**
 * The Node.js binaries the bench runs on: the Lambda runtime's major for every figure, and
 * a developer's own beside it for the local server.
 */
import { execFileSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** `24.22.3` for the `node` binary at `node`. */
export const versionOf = (node: string) =>
  execFileSync(node, ['--version'], { encoding: 'utf8' }).trim().replace(/^v/, '');

/** `24` of `v24.22.3` or `24.22.3`. */
export const majorOf = (version: string) => version.trim().replace(/^v/, '').split('.')[0]!;

/**
 * The first `node` on PATH whose major version `accept` takes: the Lambda runtime's Node for
 * the bench, or a developer's own beside it (CI puts Node 24 first and keeps the system's
 * Node 20).
 */
export function nodeOnPath(accept: (major: string) => boolean): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const node = join(dir, 'node');
    try {
      accessSync(node, constants.X_OK);
      if (accept(majorOf(versionOf(node)))) return node;
    } catch {
      // Not here, or not runnable.
    }
  }
  return undefined;
}
