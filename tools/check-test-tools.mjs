#!/usr/bin/env node
// Runs before `npm test` (after check-node.mjs): the system tests drive a real Chromium,
// nginx with the RTMP module and ffmpeg. Plain JavaScript, so that a machine without one of
// them stops here with one line per missing piece naming its Debian package, rather than
// with failing tests further on.
import { accessSync, constants, existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';

const executable = (path) => {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};
const onPath = (command) =>
  (process.env.PATH ?? '').split(delimiter).some((folder) => folder !== '' && executable(join(folder, command)));

// Where test/system/inspector.test.ts and e2e-nginx.test.ts look for them.
const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const rtmpModule = '/usr/lib/nginx/modules/ngx_rtmp_module.so';

const missing = [
  !executable(chromium) &&
    `Chromium is missing at ${chromium} (the inspector's browser tests): apt-get install chromium, or set CHROMIUM_PATH to a Chromium binary`,
  !onPath('nginx') && 'nginx is missing from PATH (the nginx-rtmp end-to-end test): apt-get install nginx-light',
  !existsSync(rtmpModule) &&
    `the nginx RTMP module is missing at ${rtmpModule} (the nginx-rtmp end-to-end test): apt-get install libnginx-mod-rtmp`,
  !onPath('ffmpeg') && 'ffmpeg is missing from PATH (the nginx-rtmp end-to-end test): apt-get install ffmpeg',
].filter(Boolean);

if (missing.length > 0) {
  for (const line of missing) console.error(`npm test: ${line}`);
  process.exit(1);
}
