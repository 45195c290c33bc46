/**
 * End to end with software nobody here wrote: ffmpeg publishes a generated test pattern
 * over RTMP to nginx with the RTMP module, nginx calls `npm start`'s nginx-rtmp receiver,
 * and the livehooks CLI reads back what was recorded. The waits poll `npm start`'s read API
 * over HTTP, the API the CLI's `--url` reads: a CLI process costs a core over a second, a
 * request milliseconds. `.ci/run` installs the Debian packages nginx-light,
 * libnginx-mod-rtmp and ffmpeg.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createConnection, createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StreamEvent } from '../../shared/record';
import type { Delivery, Page, StreamView } from '../../shared/store/reader';
import type { StreamState } from '../../shared/store/table';
import { startLocalServer, type LocalServer } from '../support/local-server';

const rtmpModule = '/usr/lib/nginx/modules/ngx_rtmp_module.so';
const has = (command: string) => spawnSync('sh', ['-c', `command -v ${command}`]).status === 0;
const missing = [
  !has('nginx') && 'nginx',
  !existsSync(rtmpModule) && 'the nginx RTMP module',
  !has('ffmpeg') && 'ffmpeg',
].filter(Boolean);
// On a laptop without them, say so once and skip; in CI (which installs them) never skip.
const skip = missing.length > 0 && !process.env.CI;
if (skip)
  console.warn(
    `e2e-nginx: skipped, ${missing.join(', ')} not installed (apt-get install nginx-light libnginx-mod-rtmp ffmpeg)`,
  );

const token = 'e2e-nginx-token';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe.skipIf(skip)("docs/deploy.md's nginx configuration", () => {
  it("is accepted by `nginx -t` as two drop-in files of Debian's stock nginx.conf", () => {
    // Debian's configuration, copied with its absolute paths moved to a scratch folder,
    // and the two files placed where docs/deploy.md says, as they are.
    const etc = mkdtempSync(join(tmpdir(), 'livehooks-etc-nginx-'));
    cpSync('/etc/nginx', etc, { recursive: true, dereference: true });
    symlinkSync('/usr/lib/nginx/modules', join(etc, 'modules'));
    const moved = (path: string) =>
      writeFileSync(
        path,
        readFileSync(path, 'utf8')
          .replaceAll('/etc/nginx', etc)
          .replaceAll('/run/nginx.pid', join(etc, 'nginx.pid'))
          .replaceAll('/var/log/nginx', etc),
      );
    moved(join(etc, 'nginx.conf'));
    for (const file of readdirSync(join(etc, 'modules-enabled'))) moved(join(etc, 'modules-enabled', file));
    cpSync(new URL('../../docs/nginx/livehooks-http.conf', import.meta.url), join(etc, 'conf.d/livehooks.conf'));
    cpSync(
      new URL('../../docs/nginx/livehooks-rtmp.conf', import.meta.url),
      join(etc, 'modules-enabled/90-livehooks-rtmp.conf'),
    );
    const check = spawnSync('nginx', ['-t', '-p', etc, '-c', join(etc, 'nginx.conf')], { encoding: 'utf8' });
    rmSync(etc, { recursive: true, force: true });
    expect(check.stderr).toContain('test is successful');
    expect(check.status).toBe(0);
  });
});

describe.skipIf(skip)('nginx-rtmp and ffmpeg, for real', () => {
  let livehooks: LocalServer;
  let nginx: ChildProcess;
  let dir: string;
  let rtmpPort: number;

  beforeAll(async () => {
    expect(missing, 'CI must install nginx-light, libnginx-mod-rtmp and ffmpeg').toEqual([]);
    rtmpPort = await freePort();
    const hopPort = await freePort();
    const statPort = await freePort();
    // Nothing listens here: a callback sent to it is lost.
    const lostPort = await freePort();
    // npm start reconciles with nginx's stat page every second, after a grace of two.
    livehooks = await startLocalServer({
      LIVEHOOKS_NGINX_RTMP_TOKENS: token,
      LIVEHOOKS_NGINX_RTMP_ALLOW_STREAMS: 'cam-*',
      LIVEHOOKS_NGINX_RTMP_API_ENDPOINT: `http://127.0.0.1:${statPort}/stat`,
      LIVEHOOKS_NGINX_RTMP_API_DOMAIN: `127.0.0.1:${rtmpPort}`,
      LIVEHOOKS_RECONCILE_INTERVAL: '1',
      LIVEHOOKS_RECONCILE_GRACE: '2',
    });
    dir = mkdtempSync(join(tmpdir(), 'livehooks-nginx-'));
    // docs/deploy.md's two drop-in files (docs/nginx/), with this run's ports, token and, in
    // place of a Function URL, npm start's receiver; the plain-HTTP hop is kept.
    const dropIn = (name: string) => readFileSync(new URL(`../../docs/nginx/${name}`, import.meta.url), 'utf8');
    const http = dropIn('livehooks-http.conf')
      .replace('listen 127.0.0.1:8035;', `listen 127.0.0.1:${hopPort};`)
      .replace('https://<url-id>.lambda-url.<region>.on.aws/', `${livehooks.baseUrl}/nginx-rtmp`);
    const hop = `http://127.0.0.1:${hopPort}/livehooks`;
    const rtmp = dropIn('livehooks-rtmp.conf')
      .replace('listen 1935;', `listen 127.0.0.1:${rtmpPort};`)
      .replaceAll('http://127.0.0.1:8035/livehooks?token=<token>', `${hop}?token=${token}`)
      // One more application, whose callback URL carries a wrong token.
      .replace(
        '\n    application live {',
        `\n    application forged {\n      live on;\n      on_publish ${hop}?token=not-${token};\n    }\n\n    application live {`,
      )
      // Two more whose callbacks are lost: the stop of one, the start of the other.
      .replace(
        '\n    application live {',
        `\n    application nostop {\n      live on;\n      on_publish ${hop}?token=${token};\n      on_publish_done http://127.0.0.1:${lostPort}/lost;\n    }\n` +
          `\n    application nostart {\n      live on;\n      on_publish_done ${hop}?token=${token};\n    }\n\n    application live {`,
      );
    for (const [file, text] of [
      ['livehooks-http.conf', http],
      ['livehooks-rtmp.conf', rtmp],
    ] as const) {
      expect(text, `${file} kept every placeholder in its place`).not.toMatch(/<url-id>|<token>|:8035|listen 1935/);
      writeFileSync(join(dir, file), text);
    }
    writeFileSync(
      join(dir, 'nginx.conf'),
      `load_module ${rtmpModule};
daemon off;
worker_processes 1;
error_log ${dir}/error.log info;
pid ${dir}/nginx.pid;
events { worker_connections 64; }
http {
  access_log off;
  include ${dir}/livehooks-http.conf;
  server {
    listen 127.0.0.1:${statPort};
    location /stat { rtmp_stat all; }
  }
}
include ${dir}/livehooks-rtmp.conf;
`,
    );
    nginx = spawn('nginx', ['-p', dir, '-c', join(dir, 'nginx.conf')], { stdio: 'inherit' });
    await waitFor(
      'nginx to listen',
      () =>
        new Promise<true | undefined>((resolve) => {
          const socket = createConnection(rtmpPort, '127.0.0.1', () => (socket.end(), resolve(true)));
          socket.on('error', () => resolve(undefined));
        }),
    );
  }, 60_000);

  afterAll(async () => {
    if (nginx && nginx.exitCode === null) {
      const exited = new Promise((resolve) => nginx.once('exit', resolve));
      nginx.kill('SIGTERM');
      await exited;
    }
    livehooks?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** Publishes `seconds` of a generated test pattern; resolves to ffmpeg's exit code. */
  function push(path: string, seconds: number): Promise<number> {
    const ffmpeg = spawn(
      'ffmpeg',
      [
        '-hide_banner',
        '-loglevel',
        'error',
        '-re',
        '-f',
        'lavfi',
        '-i',
        'testsrc=size=160x120:rate=10',
        '-t',
        String(seconds),
        '-c:v',
        'flv',
        '-f',
        'flv',
        `rtmp://127.0.0.1:${rtmpPort}/${path}`,
      ],
      { stdio: 'ignore' },
    );
    return new Promise((resolve) => ffmpeg.once('exit', (code) => resolve(code ?? 1)));
  }

  const keyOf = (stream: string, app = 'live') => `nginx-rtmp/127.0.0.1:${rtmpPort}/${app}/${stream}`;
  /** What the CLI prints with `--json`. */
  const cli = async <T>(...args: string[]) => JSON.parse((await livehooks.livehooks(...args, '--json')).stdout) as T;
  /** What npm start's read API answers; undefined for a 404 (nothing recorded there yet). */
  async function api<T>(path: string): Promise<T | undefined> {
    const response = await fetch(`${livehooks.baseUrl}/api${path}`);
    if (response.status === 404) return undefined;
    if (!response.ok) throw new Error(`GET /api${path} answered ${response.status}: ${await response.text()}`);
    return (await response.json()) as T;
  }
  /** A stream's state, events (newest first) and sessions, in one read. */
  const view = async (key: string) =>
    (await api<StreamView>(`/stream?key=${encodeURIComponent(key)}`)) ?? { events: [], sessions: [] };
  /** The stream's sessions once all of them have stopped. */
  const finished = (stream: string, count: number) =>
    waitFor(`${count} finished session(s) of ${stream}`, async () => {
      const { sessions } = await view(keyOf(stream));
      return sessions.length === count && sessions.every((session) => session.stoppedAt) ? sessions : undefined;
    });

  it('records one push as one start, one stop and one session, live while it lasts', async () => {
    const pushed = push('live/cam-one?room=42&user=alice', 5);
    const live = await waitFor('the stream to be live', async () => {
      const streams = await api<Page<StreamState>>('/streams?live=true');
      return streams?.items.find((stream) => stream.streamKey === keyOf('cam-one'));
    });
    expect(live).toMatchObject({ live: true, provider: 'nginx-rtmp', stream: 'cam-one' });
    expect(await pushed).toBe(0);

    const [session] = await finished('cam-one', 1);
    expect(session!.durationMs).toBeGreaterThan(3_500);
    expect(session!.durationMs).toBeLessThan(7_000);
    // Read back through the CLI, as a user would.
    const recorded = await cli<StreamEvent[]>('events', '--stream', keyOf('cam-one'));
    expect(recorded.map((event) => event.kind).sort()).toEqual(['start', 'stop']);
    expect(new Set(recorded.map((event) => event.sessionId))).toEqual(new Set([session!.sessionId]));
    expect(recorded.find((event) => event.kind === 'start')).toMatchObject({
      params: { room: '42', user: 'alice' },
      clientIp: '127.0.0.1',
    });
    const streams = await cli<StreamState[]>('streams');
    expect(streams.find((stream) => stream.streamKey === keyOf('cam-one'))).toMatchObject({ live: false });
  }, 60_000);

  it('refuses a push whose callback URL has a wrong token, and one outside the allow-list; records neither', async () => {
    const [forged, outside] = await Promise.all([push('forged/cam-forged', 2), push('live/studio', 2)]);
    expect(forged).not.toBe(0);
    expect(outside).not.toBe(0);
    const recorded = (await api<Page<Delivery>>('/deliveries?limit=200'))!.items;
    const streamOf = (delivery: Delivery) => delivery.streamKey.split('/').at(-1)!;
    expect(recorded.filter((delivery) => ['cam-forged', 'studio'].includes(streamOf(delivery)))).toEqual([]);
  }, 60_000);

  it('keeps two simultaneous streams apart, and gives a stream pushed twice two sessions', async () => {
    expect(await Promise.all([push('live/cam-a', 3), push('live/cam-b', 3)])).toEqual([0, 0]);
    expect(await finished('cam-a', 1)).toHaveLength(1);
    expect(await finished('cam-b', 1)).toHaveLength(1);

    expect(await push('live/cam-twice', 2)).toBe(0);
    expect(await push('live/cam-twice', 2)).toBe(0);
    const twice = await finished('cam-twice', 2);
    expect(new Set(twice.map((session) => session.sessionId)).size).toBe(2);
    for (const session of twice) expect(session.durationMs).toBeGreaterThan(1_000);
  }, 60_000);

  /** The stream's state and events once `done` says they are as awaited. */
  const settled = (
    what: string,
    key: string,
    done: (state: StreamState | undefined, events: StreamEvent[]) => boolean,
  ) =>
    waitFor(
      what,
      async () => {
        const { state, events: recorded } = await view(key);
        return done(state, recorded) ? { state, recorded } : undefined;
      },
      30_000,
    );

  it('stops a push whose on_publish_done was lost, after the grace period, with origin reconcile', async () => {
    expect(await push('nostop/cam-lost', 2)).toBe(0);
    const key = keyOf('cam-lost', 'nostop');
    const { recorded } = await settled(
      'the lost stop to be repaired',
      key,
      (state, recorded) => state?.live === false && recorded.some((event) => event.kind === 'stop'),
    );
    expect(recorded.map((event) => [event.kind, event.origin])).toEqual([
      ['stop', 'reconcile'],
      ['start', undefined],
    ]);
  }, 60_000);

  it('starts a push whose on_publish never came, and its real on_publish_done stops it', async () => {
    // Long enough for the repair (a reconcile interval and the grace, 3 s) to be read back while
    // it lasts, with room for a loaded machine: the real stop before the read would fail the test.
    const pushed = push('nostart/cam-unheard', 10);
    const key = keyOf('cam-unheard', 'nostart');
    // Live, by a repaired start (the real stop may already be on its way when the events are read).
    await settled(
      'the lost start to be repaired',
      key,
      (state, events) =>
        state?.live === true && events.some((event) => event.kind === 'start' && event.origin === 'reconcile'),
    );
    expect(await pushed).toBe(0);
    const { recorded } = await settled(
      'the real stop',
      key,
      (state, events) => state?.live === false && events.length === 2,
    );
    expect(recorded.map((event) => [event.kind, event.origin])).toEqual([
      ['stop', undefined],
      ['start', 'reconcile'],
    ]);
    // Repaired and real, one push: the real stop is paired with the repaired start.
    expect(recorded[0]!.sessionId).toBe(recorded[1]!.sessionId);
  }, 90_000);
});
