import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository, where every command runs. */
export const repo = fileURLToPath(new URL('../..', import.meta.url));

const { bin } = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { bin: { livehooks: string } };

/**
 * The `livehooks` command with its arguments, for execFile or spawn: package.json's bin on
 * this Node, which is what `npx livehooks` runs. npx itself first reads the whole dependency
 * tree, seconds a run; test/system/readme.test.ts runs `npx livehooks` as the README writes it.
 */
export function livehooksCommand(args: readonly string[]): [string, string[]] {
  return [process.execPath, [join(repo, bin.livehooks), ...args]];
}
