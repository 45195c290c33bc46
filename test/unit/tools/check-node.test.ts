import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const script = new URL('../../../tools/check-node.mjs', import.meta.url).pathname;

/** Runs the check on a Node that reports `version` as its own. */
const checkAs = (version: string) =>
  spawnSync(
    process.execPath,
    ['--import', `data:text/javascript,Object.defineProperty(process.versions,"node",{value:"${version}"})`, script],
    { encoding: 'utf8' },
  );

describe('tools/check-node.mjs (run before npm test, npm start and livehooks)', () => {
  it('stops a Node older than engines with one line naming the Node needed', () => {
    const { status, stdout, stderr } = checkAs('20.19.0');
    expect(status).toBe(1);
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n')).toEqual([
      "livehooks needs Node 22 or newer (24 recommended: the Lambda runtime's); this is Node 20.19.0. See the README's Prerequisites.",
    ]);
  });

  it('lets Node 22 and later through without a word', () => {
    for (const version of ['22.0.0', '24.22.3']) {
      expect(checkAs(version)).toMatchObject({ status: 0, stdout: '', stderr: '' });
    }
  });
});
