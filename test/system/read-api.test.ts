/**
 * The read API over HTTP, as npm start serves it under `/api` (the deployed function runs
 * the same handler behind an IAM-authenticated URL: test/system/deploy.test.ts), and
 * `livehooks tail` and `--url` reading it.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SampleSpec } from '../../shared/provider';
import { apiGet } from '../../tools/cli/api-client';
import { recordRunning } from '../../tools/local/settings';
import { sendSampleCallback } from '../../tools/vendor-requests';
import { livehooksCommand } from '../support/cli';
import { startLocalServer, type LocalServer } from '../support/local-server';
import { keys, tokens } from '../support/providers';

let server: LocalServer;
let api: string;
const repo = new URL('../..', import.meta.url).pathname;

beforeAll(async () => {
  server = await startLocalServer({ LIVEHOOKS_TENCENT_KEYS: keys.newest, LIVEHOOKS_SRS_TOKENS: tokens.newest });
  api = `${server.baseUrl}/api`;
  // One session value for the start and the stop.
  const sessionSec = Math.floor(Date.now() / 1000) - 60;
  for (const stream of ['cam-a', 'cam-b', 'cam-c']) {
    expect(await send('srs', { stream, sessionSec }, { token: tokens.newest })).toBe(200);
  }
  expect(await send('srs', { stream: 'cam-a', kind: 'stop', sessionSec }, { token: tokens.newest })).toBe(200);
  expect(await send('tencent', {}, { key: keys.unknown })).toBe(401);
}, 120_000);

afterAll(() => server.stop());

/**
 * Sends `name`'s sample callback to npm start, as `livehooks send` does (in-process: a CLI
 * process costs a core over a second; test/system/local-server.test.ts runs the command);
 * resolves to the answer's status.
 */
async function send(name: string, spec: Partial<SampleSpec>, secret: { key?: string; token?: string }) {
  const nowSec = Math.floor(Date.now() / 1000);
  const { response } = await sendSampleCallback(name, `${server.baseUrl}/${name}`, {
    spec: { kind: 'start', stream: 'demo', sessionSec: nowSec, timeSec: nowSec, ...spec },
    ...secret,
  });
  return response.status;
}

const get = async (path: string) => {
  const response = await fetch(`${api}${path}`);
  return { status: response.status, body: (await response.json()) as any };
};

describe('the read API', () => {
  it('lists the live streams, and all of them', async () => {
    const live = await get('/streams?live=true');
    expect(live.status).toBe(200);
    expect(live.body.items.map((s: { streamKey: string }) => s.streamKey).sort()).toEqual([
      'srs/__defaultVhost__/live/cam-b',
      'srs/__defaultVhost__/live/cam-c',
    ]);
    const all = await get('/streams');
    expect(all.body.items).toHaveLength(3);
  });

  it('gives one stream’s state, events and sessions, and one event with its payload', async () => {
    const { status, body } = await get(`/stream?key=${encodeURIComponent('srs/__defaultVhost__/live/cam-a')}`);
    expect(status).toBe(200);
    expect(body.state).toMatchObject({ live: false });
    expect(body.events.map((e: { kind: string }) => e.kind)).toEqual(['stop', 'start']);
    expect(body.sessions).toHaveLength(1);
    const event = await get(`/event?stream=${encodeURIComponent(body.events[0].streamKey)}&id=${body.events[0].id}`);
    expect(event.body).toMatchObject({ id: body.events[0].id, raw: expect.stringContaining('on_unpublish') });
  });

  it('pages the recent deliveries, newest first, with the next page’s token', async () => {
    const first = await get('/deliveries?limit=3');
    expect(first.body.items).toHaveLength(3);
    expect(first.body.items[0]).toMatchObject({ kind: 'stop', streamKey: 'srs/__defaultVhost__/live/cam-a' });
    const second = await get(`/deliveries?limit=3&next=${first.body.next}`);
    expect(second.body.items).toHaveLength(1);
    const ids = [...first.body.items, ...second.body.items].map((d: { id: string }) => d.id);
    expect(new Set(ids).size).toBe(4);
  });

  it('lists the refusals kept, with their reason and no secret', async () => {
    const { body } = await get('/refusals');
    expect(body.items).toEqual([
      expect.objectContaining({ provider: 'tencent', status: 401, reason: 'bad_signature' }),
    ]);
    expect(JSON.stringify(body)).not.toContain(keys.unknown);
  });

  it('refuses what it does not serve, saying what it does', async () => {
    expect(await get('/deliveries?limit=0')).toMatchObject({ status: 400, body: { reason: 'bad_request' } });
    expect(await get('/deliveries?next=garbage')).toMatchObject({ status: 400, body: { reason: 'bad_cursor' } });
    expect(await get('/stream')).toMatchObject({ status: 400 });
    expect(await get('/stream?key=nope')).toMatchObject({ status: 404 });
    expect(await get('/nothing')).toMatchObject({
      status: 404,
      body: { message: expect.stringContaining('/streams') },
    });
    const post = await fetch(`${api}/streams`, { method: 'POST' });
    expect(post.status).toBe(405);
  });

  it('is what the CLI reads with --url', async () => {
    const { stdout } = await server.livehooks('streams', '--live', '--json', '--url', api);
    expect(JSON.parse(stdout)).toHaveLength(2);
  });
});

describe('livehooks tail', () => {
  it('prints a callback sent while it runs, and a refusal, one line each', async () => {
    // Its first poll takes what is already there as history: the callbacks are sent once it
    // has been answered. tail finds npm start through a data folder; this one names a relay
    // in front of npm start, which counts the polls' requests.
    let answered = 0;
    let firstPollAnswered!: () => void;
    const firstPoll = new Promise<void>((resolve) => (firstPollAnswered = resolve));
    const relay = createServer((request, response) => {
      fetch(`${server.baseUrl}${request.url}`)
        .then(async (upstream) => {
          response.writeHead(upstream.status, { 'content-type': 'application/json' }).end(await upstream.text());
          if (++answered === 2) firstPollAnswered(); // its /deliveries and /refusals
        })
        .catch(() => response.writeHead(502).end());
    });
    await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
    const dataDir = mkdtempSync(join(tmpdir(), 'livehooks-tail-'));
    recordRunning(dataDir, {
      pid: process.pid,
      store: server.storeUrl,
      receivers: `http://127.0.0.1:${(relay.address() as AddressInfo).port}`,
      queue: server.queueUrl,
    });
    const tail = spawn(...livehooksCommand(['tail']), {
      cwd: repo,
      env: { ...process.env, LIVEHOOKS_DATA_DIR: dataDir },
    });
    let output = '';
    tail.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    try {
      await firstPoll;
      expect(await send('srs', { stream: 'tailed' }, { token: tokens.newest })).toBe(200);
      expect(await send('tencent', {}, { key: keys.unknown })).toBe(401);
      for (let i = 0; i < 50 && !/REFUSED/.test(output); i++) await new Promise((resolve) => setTimeout(resolve, 100));
      const lines = output.trim().split('\n');
      expect(lines).toHaveLength(2);
      expect(lines[0]).toMatch(/ srs +start +srs\/__defaultVhost__\/live\/tailed {2}session /);
      expect(lines[1]).toMatch(/ tencent +REFUSED {2}401 bad_signature: sign matches no configured key$/);
    } finally {
      tail.kill();
      relay.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('a deployed stage’s API, as the CLI calls it', () => {
  it('signs each request with SigV4 from the usual AWS credentials', async () => {
    let seen: IncomingHttpHeaders = {};
    const fake = createServer((request, response) => {
      seen = request.headers;
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"items":[]}');
    });
    // Another loopback address: not one the CLI leaves unsigned.
    await new Promise<void>((resolve) => fake.listen(0, '127.0.0.2', resolve));
    const { port } = fake.address() as AddressInfo;
    const saved = { ...process.env };
    Object.assign(process.env, {
      AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'secret',
      AWS_REGION: 'eu-west-1',
    });
    try {
      await apiGet(`http://127.0.0.2:${port}`, '/streams?live=true');
    } finally {
      process.env = saved;
      fake.close();
    }
    expect(seen.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/eu-west-1\/lambda\/aws4_request, SignedHeaders=[a-z0-9;-]*host[a-z0-9;-]*, Signature=[0-9a-f]{64}$/,
    );
    expect(seen['x-amz-date']).toMatch(/^\d{8}T\d{6}Z$/);
  });
});
