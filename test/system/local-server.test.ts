import { execFile, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import * as v from 'valibot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StreamEventSchema, type StreamEvent } from '../../shared/record';
import type { StreamState } from '../../shared/store/table';
import { livehooksCommand } from '../support/cli';
import { startLocalServer, type LocalServer } from '../support/local-server';
import { checkedNotification } from '../support/notifications';
import { keys, providerFixtures, tokens } from '../support/providers';
import { providerNames, providerOf } from '../../tools/providers';

/** `npm start` with keys or tokens for every provider: checks on. */
let server: LocalServer;
let baseUrl: string;

beforeAll(async () => {
  server = await startLocalServer(Object.assign({}, ...providerFixtures.map((fixture) => fixture.env)));
  baseUrl = server.baseUrl;
  expect(server.banner).toMatch(/tencent\s+http:\/\/\S+\/tencent\s+checks on: 2 key\(s\)/);
}, 60_000);

afterAll(() => server.stop());

const livehooks = (...args: string[]) => server.livehooks(...args);
const run = promisify(execFile);
const repo = new URL('../..', import.meta.url).pathname;
const scratch = (name?: string) => {
  const dir = mkdtempSync(join(tmpdir(), 'livehooks-data-'));
  return name ? join(dir, name) : dir;
};

/**
 * A command that must fail: its exit status and the one line it printed to stderr. Fails
 * when it succeeds, prints more than one line, or prints a stack trace. (On Node 20 the
 * AWS SDK adds its own warning: the project needs Node 22 or later.)
 */
async function failure(command: Promise<unknown>): Promise<{ code: number; line: string }> {
  const outcome = await command.then(
    () => undefined,
    (error: { code: number; stderr: string }) => error,
  );
  if (!outcome) throw new Error('the command succeeded');
  // npm's own warnings (about options it was given) are npm's, not ours.
  const lines = outcome.stderr.split('\n').filter((line) => line.trim() !== '' && !line.startsWith('npm warn'));
  expect(
    lines.filter((line) => /^\s+at /.test(line)),
    'a stack trace',
  ).toEqual([]);
  expect(lines, 'one line').toHaveLength(1);
  return { code: outcome.code, line: lines[0]! };
}

/** A loopback port something listens on, and how to let it go (`closed`: a port nothing listens on). */
async function occupiedPort(closed = false): Promise<[number, () => Promise<void>]> {
  const holder = createServer();
  await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
  const { port } = holder.address() as AddressInfo;
  const release = () => new Promise<void>((resolve) => holder.close(() => resolve()));
  if (closed) await release();
  return [port, release];
}

describe('npm start', () => {
  it('records every provider’s signed start and stop sent over HTTP, as the CLI then shows', async () => {
    const nowSec = Math.floor(Date.now() / 1000);
    for (const fixture of providerFixtures) {
      for (const kind of ['start', 'stop'] as const) {
        const spec = {
          kind,
          stream: 'http-cam',
          sessionStartSec: nowSec - 20,
          timeSec: kind === 'start' ? nowSec - 20 : nowSec - 2,
        };
        const event = fixture.callback(spec, { token: tokens.newest });
        const url = `${baseUrl}${event.rawPath}${event.rawQueryString ? `?${event.rawQueryString}` : ''}`;
        const response = await fetch(url, {
          method: event.requestContext.http.method,
          headers: event.headers as Record<string, string>,
          body: event.body === undefined ? null : Buffer.from(event.body, event.isBase64Encoded ? 'base64' : 'utf8'),
        });
        expect({ provider: fixture.adapter.name, kind, status: response.status }).toEqual({
          provider: fixture.adapter.name,
          kind,
          status: 200,
        });
      }
    }

    const events = JSON.parse((await livehooks('events', '--json')).stdout) as StreamEvent[];
    expect(events).toHaveLength(2 * providerFixtures.length);
    for (const event of events) expect(() => v.parse(StreamEventSchema, event)).not.toThrow();
    expect(new Set(events.map((event) => event.provider))).toEqual(
      new Set(providerFixtures.map((fixture) => fixture.adapter.name)),
    );

    const streams = JSON.parse((await livehooks('streams', '--json')).stdout) as StreamState[];
    expect(streams.map((stream) => [stream.streamKey, stream.live])).toEqual(
      providerFixtures
        .map((fixture) => [fixture.streamKey('http-cam'), false])
        .sort(([a], [b]) => String(a).localeCompare(String(b))),
    );

    // And announced each one on its local queue, which the CLI takes from.
    const lines = (await livehooks('notifications', '--json')).stdout.trim().split('\n');
    const notifications = lines.map(checkedNotification);
    expect(notifications.map((notification) => notification.id).sort()).toEqual(events.map((event) => event.id).sort());
    expect((await livehooks('notifications')).stdout).toBe(`no notifications waiting in ${server.queueUrl}\n`);
  });

  it('shows notifications as they come with notifications --follow', async () => {
    const follower = spawn(...livehooksCommand(['notifications', '--follow']), {
      cwd: repo,
      env: { ...process.env, LIVEHOOKS_DATA_DIR: server.dataDir },
      detached: true,
    });
    try {
      let seen = '';
      const arrived = new Promise<string>((resolve) =>
        follower.stdout.on('data', (chunk: Buffer) => {
          seen += chunk.toString();
          if (seen.includes('\n')) resolve(seen);
        }),
      );
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      await livehooks('send', 'srs', `${baseUrl}/srs`, '--token', tokens.newest, '--stream', 'followed');
      expect(await arrived).toMatch(
        /^\S+Z {2}stream\.started {2,}srs\/__defaultVhost__\/live\/followed {2}live since \S+Z, session \S+\n$/,
      );
    } finally {
      if (follower.pid) process.kill(-follower.pid, 'SIGTERM');
    }
  });

  it('answers routes it does not have with 404, and unhandled methods per provider', async () => {
    expect((await fetch(`${baseUrl}/nowhere`)).status).toBe(404);
    expect((await fetch(`${baseUrl}/tencent`)).status).toBe(405);
  });
});

describe('livehooks send', () => {
  it('produces a record when signed with a configured key', async () => {
    const sent = await livehooks('send', 'huawei', `${baseUrl}/huawei`, '--key', keys.newest, '--stream', 'sent-cam');
    expect(sent.stdout).toMatch(/^HTTP 200 /);
    const live = JSON.parse((await livehooks('streams', '--live', '--json')).stdout) as StreamState[];
    expect(live.map((stream) => stream.streamKey)).toContain('huawei/push.example.com/live/sent-cam');
    const sessions = JSON.parse(
      (await livehooks('sessions', '--stream', 'huawei/push.example.com/live/sent-cam', '--json')).stdout,
    );
    expect(sessions).toHaveLength(1);
  });

  it.each(['livekit', 'agora', 'ome', 'twitch', 'kick'])(
    'signs %s as the vendor does, and the receiver takes it',
    async (name) => {
      const key = providerOf(name).samples.keyEntry?.(keys.newest) ?? keys.newest;
      const sent = await livehooks('send', name, `${baseUrl}/${name}`, '--key', key, '--stream', 'sent-cam');
      expect(sent.stdout).toMatch(/^HTTP 200 /);
    },
  );

  it('exits 1 with the reason, in one line, when the URL answers 401', async () => {
    const refused = await failure(livehooks('send', 'tencent', `${baseUrl}/tencent`, '--key', keys.unknown));
    expect(refused).toEqual({
      code: 1,
      line: 'livehooks: refused: 401 bad_signature: sign matches no configured key',
    });
  });

  it('says to pass --key when the receiver checks signatures and none was given', async () => {
    expect(await failure(livehooks('send', 'tencent', `${baseUrl}/tencent`))).toEqual({
      code: 1,
      line: 'livehooks: refused: 401 missing_signature: sign is missing; the receiver checks signatures: pass --key with its key',
    });
  });

  it('finds the running npm start through its data folder alone, whatever its ports', async () => {
    const { LIVEHOOKS_STORE_URL: _, ...env } = process.env;
    const { stdout } = await run(...livehooksCommand(['streams', '--json']), {
      cwd: repo,
      env: { ...env, LIVEHOOKS_DATA_DIR: server.dataDir },
      timeout: 30_000,
    });
    expect(Array.isArray(JSON.parse(stdout))).toBe(true);
  });

  it('sends to the running npm start when no URL is given, and says what to do when none runs', async () => {
    const sent = await livehooks('send', 'srs', '--token', tokens.newest, '--stream', 'no-url');
    expect(sent.stdout.split('\n')[1]).toBe('stream key: srs/__defaultVhost__/live/no-url');
    const { LIVEHOOKS_STORE_URL: _, ...env } = process.env;
    const alone = run(...livehooksCommand(['send', 'srs']), {
      cwd: repo,
      env: { ...env, LIVEHOOKS_DATA_DIR: scratch() },
      timeout: 30_000,
    });
    expect(await failure(alone)).toEqual({
      code: 1,
      line: 'livehooks: no npm start is running for this folder: run `npm start` first, or give the URL: livehooks send srs <url>',
    });
  });

  it('plays an IVS event to the stand-in for its rule, which refuses another account’s as AWS would', async () => {
    const sent = await livehooks('send', 'ivs', `${baseUrl}/ivs`, '--stream', 'chanX');
    expect(sent.stdout).toMatch(/^HTTP 200 \{"code":0,"id":"[0-9a-f]{32}","duplicate":false\}\n/);
    expect(sent.stdout.split('\n')[1]).toBe('stream key: ivs/123456789012/us-east-1/chanX');
    const { stdout } = await livehooks('sign', 'ivs', 'events/ivs/start.json');
    const event = { ...JSON.parse(stdout), account: '210987654321' };
    const response = await fetch(`${baseUrl}/ivs`, { method: 'POST', body: JSON.stringify(event) });
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ code: 403, reason: 'foreign_event' });
  });

  it('prints the stream key that sessions --stream takes', async () => {
    const sent = await livehooks('send', 'srs', `${baseUrl}/srs`, '--token', tokens.newest, '--stream', 'keyed');
    expect(sent.stdout.split('\n')[1]).toBe('stream key: srs/__defaultVhost__/live/keyed');
  });

  it('exits 2 on wrong usage, naming what is wrong', async () => {
    expect(await failure(livehooks('send', 'nosuch', baseUrl))).toEqual({
      code: 2,
      line: `livehooks: unknown provider "nosuch": one of ${providerNames.join(', ')}`,
    });
    const tencentFields = await failure(livehooks('sign', 'tencent', 'events/srs/start.json'));
    expect(tencentFields.code).toBe(2);
    expect(tencentFields.line).toMatch(
      /^livehooks: events\/srs\/start.json is not a tencent start or stop \(event_type is missing\): expected the fields of a tencent callback/,
    );
  });
});

describe('every failure of npm start is one line saying what to do', () => {
  const start = (env: Record<string, string>, args: string[] = []) =>
    run('npm', ['start', ...args], {
      cwd: repo,
      env: {
        ...process.env,
        PORT: '0',
        LIVEHOOKS_STORE_PORT: '0',
        LIVEHOOKS_QUEUE_PORT: '0',
        LIVEHOOKS_DATA_DIR: scratch(),
        ...env,
      },
      timeout: 60_000,
    });

  it('a receivers port in use', async () => {
    const [port, release] = await occupiedPort();
    try {
      expect(await failure(start({ PORT: String(port) }))).toEqual({
        code: 1,
        line: `livehooks: port ${port} of the receivers is in use; set PORT to another port (0 picks a free one)`,
      });
    } finally {
      await release();
    }
  });

  it('--port is the receivers port, and npm start refuses it before `--` rather than ignore it', async () => {
    const [port, release] = await occupiedPort();
    try {
      expect(await failure(start({}, ['--', '--port', String(port)]))).toEqual({
        code: 1,
        line: `livehooks: port ${port} of the receivers is in use; give --port another port (0 picks a free one)`,
      });
    } finally {
      await release();
    }
    expect(await failure(start({}, ['--port', '4000']))).toEqual({
      code: 2,
      line: 'livehooks: npm kept --port for itself (it came before `--`): run npm start -- --port 4000',
    });
    expect(await failure(start({}, ['--', '--prot', '4000']))).toEqual({
      code: 2,
      line: 'livehooks: unknown option --prot: npm start takes --port, --store-port, --queue-port, --data-dir',
    });
  });

  it.each([
    ['store', 'LIVEHOOKS_STORE_PORT'],
    ['queue', 'LIVEHOOKS_QUEUE_PORT'],
  ])('a %s port in use', async (what, variable) => {
    const [port, release] = await occupiedPort();
    try {
      expect((await failure(start({ [variable]: String(port) }))).line).toBe(
        `livehooks: port ${port} of the local ${what} is in use; set ${variable} to another port (0 picks a free one)`,
      );
    } finally {
      await release();
    }
  });

  it('a second npm start on the same data folder', async () => {
    const { line } = await failure(start({ LIVEHOOKS_DATA_DIR: server.dataDir }));
    expect(line).toMatch(
      /^livehooks: an npm start \(pid \d+, receivers at http:\/\/127\.0\.0\.1:\d+\) is already using .+; stop it, or set LIVEHOOKS_DATA_DIR to another folder$/,
    );
  });

  it('a malformed setting, named', async () => {
    expect((await failure(start({ LIVEHOOKS_SRS_WINDOW_FUTURE: '1m' }))).line).toBe(
      'livehooks: LIVEHOOKS_SRS_WINDOW_FUTURE must be a whole number of seconds, got "1m"',
    );
    expect((await failure(start({ PORT: 'http' }))).line).toBe(
      'livehooks: PORT must be a port number (0 picks a free one), got "http"',
    );
  });

  it('the load test given its options before --', async () => {
    const loadtest = run('npm', ['run', 'loadtest', '--streams', '5'], { cwd: repo, timeout: 60_000 });
    expect(await failure(loadtest)).toEqual({
      code: 2,
      line: 'loadtest: unexpected "5": npm keeps the options before `--` for itself; run npm run loadtest -- --streams 5',
    });
  });

  it('the CLI with no store to read', async () => {
    const cli = run(...livehooksCommand(['streams']), {
      cwd: repo,
      env: {
        ...process.env,
        LIVEHOOKS_STORE_PORT: String((await occupiedPort(true))[0]),
        LIVEHOOKS_DATA_DIR: scratch('absent'),
      },
      timeout: 30_000,
    });
    const { code, line } = await failure(cli);
    expect(code).toBe(1);
    expect(line).toMatch(
      /^livehooks: no local store at http:\/\/127\.0\.0\.1:\d+ and no data in .+: run `npm start` first \(with the same \.env\), or pass --table$/,
    );
  });
});

it('the CLI with no queue to read: one line saying to run npm start', async () => {
  const port = (await occupiedPort(true))[0];
  const cli = run(...livehooksCommand(['notifications']), {
    cwd: repo,
    env: { ...process.env, LIVEHOOKS_QUEUE_PORT: String(port), LIVEHOOKS_DATA_DIR: scratch('absent') },
    timeout: 30_000,
  });
  expect(await failure(cli)).toEqual({
    code: 1,
    line: `livehooks: no local queue answers at http://127.0.0.1:${port}/123456789012/livehooks-notifications.fifo: run \`npm start\` first (the queue lives in its memory)`,
  });
});
