import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const script = new URL('../../../tools/check-test-tools.mjs', import.meta.url).pathname;
const folders: string[] = [];
afterAll(() => folders.forEach((folder) => rmSync(folder, { recursive: true, force: true })));

/** A fresh folder holding an executable file of each name. */
function folderWith(...names: string[]): string {
  const folder = mkdtempSync(join(tmpdir(), 'livehooks-tools-'));
  folders.push(folder);
  for (const name of names) {
    writeFileSync(join(folder, name), '#!/bin/sh\n');
    chmodSync(join(folder, name), 0o755);
  }
  return folder;
}

/** Runs the check with only `folder` on PATH and `chromium` as CHROMIUM_PATH. */
const checkWith = (folder: string, chromium: string) =>
  spawnSync(process.execPath, [script], { encoding: 'utf8', env: { PATH: folder, CHROMIUM_PATH: chromium } });

// The RTMP module sits at a fixed path of Debian's package, present or not on this machine:
// its line is checked apart.
const rtmpModule = (line: string) => line.includes('nginx RTMP module');

describe('tools/check-test-tools.mjs (run before npm test)', () => {
  it('names each missing tool in one line with its Debian package, and stops', () => {
    const empty = folderWith();
    const { status, stdout, stderr } = checkWith(empty, join(empty, 'chromium'));
    expect(status).toBe(1);
    expect(stdout).toBe('');
    const lines = stderr.trim().split('\n');
    expect(lines.filter((line) => !rtmpModule(line))).toEqual([
      `npm test: Chromium is missing at ${join(empty, 'chromium')} (the inspector's browser tests): apt-get install chromium, or set CHROMIUM_PATH to a Chromium binary`,
      'npm test: nginx is missing from PATH (the nginx-rtmp end-to-end test): apt-get install nginx-light',
      'npm test: ffmpeg is missing from PATH (the nginx-rtmp end-to-end test): apt-get install ffmpeg',
    ]);
    expect(lines.filter(rtmpModule).every((line) => line.endsWith('apt-get install libnginx-mod-rtmp'))).toBe(true);
  });

  it('finds nginx and ffmpeg on PATH and Chromium at CHROMIUM_PATH', () => {
    const tools = folderWith('nginx', 'ffmpeg', 'chromium');
    const { stderr } = checkWith(tools, join(tools, 'chromium'));
    expect(
      stderr
        .trim()
        .split('\n')
        .filter(Boolean)
        .filter((line) => !rtmpModule(line)),
    ).toEqual([]);
  });

  it('takes a Chromium only where it is executable', () => {
    const tools = folderWith('nginx', 'ffmpeg');
    writeFileSync(join(tools, 'chromium'), '');
    expect(checkWith(tools, join(tools, 'chromium')).stderr).toContain('Chromium is missing');
  });
});
