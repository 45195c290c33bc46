/**
 * The README's commands, run as a newcomer runs them, in a fresh copy of the repository:
 * the setup commands, "Try it", `sign` on a payload and on an events/ file, the CLI's
 * help, and `serverless invoke local` against the running `npm start`, whose store is on a
 * port set in `.env`. The commands are read out of the README and the pages it hands local
 * work on to, docs/local.md and docs/cli.md (their marked blocks), and what they print is
 * compared with those pages' screens, so the two cannot drift apart.
 *
 * Two of those commands cost most of the file's CPU: the setup's install, `npm ci` (and
 * removing what it installed), and npx's own start, about 1.7 CPU-seconds for each
 * `npx livehooks` (npx reads the whole dependency tree to run a package's own bin). By
 * default the copy gets the repository's node_modules linked and `npx livehooks` runs as
 * the bin it resolves to; `README_AS_WRITTEN=1` (CI) runs every command as written.
 */
import type { Context, LambdaFunctionURLEvent } from 'aws-lambda';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { envPrefix } from '../../shared/config';
import { createHandler } from '../../shared/handler';
import { httpProviderOf } from '../../tools/providers';
import { createTestTable } from '../support/dynamo';
import { readmeBlocks, readmeCommands, screenShape } from '../support/readme';

const run = promisify(execFile);
const repo = new URL('../..', import.meta.url).pathname;
/** Top-level entries that are not the project: dependencies, build output, local data, VCS. */
const notCopied = new Set(['node_modules', '.git', '.esbuild', '.serverless', '.livehooks', 'coverage', '.env']);
/** package.json's bin, relative to the copy: what `npx livehooks` runs there. */
const bin = (JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { bin: { livehooks: string } }).bin
  .livehooks;

/** `README_AS_WRITTEN`: `1` (CI) runs `npm ci` and `npx livehooks` as written; unset, see above. */
const asWritten = process.env.README_AS_WRITTEN ?? '';
if (asWritten !== '' && asWritten !== '1') {
  throw new Error(
    `README_AS_WRITTEN must be "1" (every command as written) or unset (node_modules linked, the bin for npx livehooks), got "${asWritten}"`,
  );
}

let clone: string;
let storePort: number;
let server: ChildProcess;
let banner = '';

/** The environment a user's shell has: the clone's .env is read, as the README says. */
const { LIVEHOOKS_ENV_FILE: _, ...userEnv } = process.env;

/**
 * Runs one README command line in the clone, through the shell as a user types it (by
 * default with `npx livehooks` as package.json's bin, which is what npx runs).
 */
const sh = (command: string, env: Record<string, string> = {}) =>
  run('sh', ['-c', asWritten ? command : command.replaceAll('npx livehooks ', `node ${bin} `)], {
    cwd: clone,
    env: { ...userEnv, ...env },
    timeout: 120_000,
  });

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

beforeAll(async () => {
  clone = mkdtempSync(join(tmpdir(), 'livehooks-readme-'));
  cpSync(repo, clone, { recursive: true, filter: (source) => !notCopied.has(relative(repo, source).split(sep)[0]!) });
  const [setup, tests] = readmeCommands('setup');
  expect(setup).toBe('npm ci && npm start');
  expect(tests).toBe('npm test'); // this very suite: not run again here
  const [install, start] = setup!.split(' && ');
  if (asWritten) await sh(install!);
  // The link, not what it points to, goes with the copy: rmSync does not follow links.
  else symlinkSync(join(repo, 'node_modules'), join(clone, 'node_modules'), 'dir');
  // Ports other than the defaults, in .env: npm start, the CLI and invoke local must all find
  // them, and the test passes beside a developer's own npm start on the defaults. Chosen
  // after the install, just before the start, so that nothing else takes them meanwhile.
  storePort = await freePort();
  const ports = { PORT: await freePort(), LIVEHOOKS_STORE_PORT: storePort, LIVEHOOKS_QUEUE_PORT: await freePort() };
  // And the logical stream "Try it" declares there before npm start.
  writeFileSync(
    join(clone, '.env'),
    [...Object.entries(ports).map(([name, port]) => `${name}=${port}`), ...readmeCommands('env'), ''].join('\n'),
  );

  server = spawn('sh', ['-c', start!], { cwd: clone, env: userEnv, detached: true });
  await new Promise<void>((resolve, reject) => {
    server.stdout!.on('data', (chunk: Buffer) => {
      banner += chunk.toString();
      if (banner.includes('Ctrl-C')) resolve();
    });
    server.stderr!.on('data', (chunk: Buffer) => (banner += chunk.toString()));
    server.once('exit', (code) => reject(new Error(`npm start exited with ${code}: ${banner}`)));
  });
}, 180_000);

afterAll(() => {
  if (server?.pid) process.kill(-server.pid, 'SIGTERM');
  if (clone) rmSync(clone, { recursive: true, force: true });
}, 120_000); // with README_AS_WRITTEN=1 the clone holds a whole node_modules: slow to remove

describe("the README's commands", () => {
  it('npm start prints the screen docs/local.md shows, with the store on the port from .env', () => {
    const screen = readmeBlocks('screen').get('npm start')!;
    const printed = banner.slice(banner.indexOf('livehooks local receiver'));
    expect(screenShape(printed)).toBe(screenShape(screen));
    expect(printed).toContain(`store       http://127.0.0.1:${storePort}`);
  });

  it('"Try it" records a session, and prints what the README shows', async () => {
    let printed = '';
    for (const command of readmeCommands('try it')) printed += (await sh(command)).stdout;
    expect(screenShape(printed)).toBe(screenShape(readmeBlocks('screen').get('try it')!));
  });

  it('livehooks --help prints what docs/cli.md shows', async () => {
    const { stdout } = await sh('npx livehooks --help');
    expect(stdout.trim()).toBe(readmeBlocks('screen').get('livehooks --help')!.trim());
  });

  it('sample prints what docs/cli.md shows', async () => {
    const [command] = readmeCommands('sample');
    expect(screenShape((await sh(command!)).stdout)).toBe(screenShape(readmeBlocks('screen').get('sample')!));
  });

  it('sign turns a sample payload and an events/ file into what docs/cli.md shows and handlers accept', async () => {
    let printed = '';
    for (const command of readmeCommands('sign')) printed += (await sh(command)).stdout;
    expect(screenShape(printed)).toBe(screenShape(readmeBlocks('screen').get('sign')!));
    const { store } = await createTestTable();
    for (const [name, file, key] of [
      ['tencent', 'tencent-start.json', 'abc123'],
      ['alibaba', 'alibaba-start.json', 'yourkey'],
    ] as const) {
      const event = JSON.parse(readFileSync(join(clone, file), 'utf8')) as LambdaFunctionURLEvent;
      const handler = createHandler(httpProviderOf(name).adapter, { env: { [`${envPrefix(name)}KEYS`]: key }, store });
      expect(await handler(event, {} as Context), file).toMatchObject({ statusCode: 200 });
    }
  });

  it('invoke local stores into the running npm start, found through .env', async () => {
    let printed = '';
    for (const command of readmeCommands('invoke local')) printed += (await sh(command)).stdout;
    expect(printed).toMatch(/"statusCode": 200/);
    const { stdout } = await sh('npx livehooks events --stream tencent/push.example.com/live/room42 --json');
    expect(JSON.parse(stdout)).toEqual([
      expect.objectContaining({ provider: 'tencent', kind: 'start', stream: 'room42' }),
    ]);
  }, 120_000);
});
