import * as v from 'valibot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StreamEventSchema, type StreamEvent } from '../../shared/record';
import type { StreamState } from '../../shared/store/table';
import { startLocalServer, type LocalServer } from '../support/local-server';
import { keys, providerFixtures, tokens } from '../support/providers';

/** `npm start` with keys or tokens for every provider: checks on. */
let server: LocalServer;
let baseUrl: string;

beforeAll(async () => {
  server = await startLocalServer({
    LIVEHOOKS_ALIBABA_KEYS: keys.newest,
    LIVEHOOKS_TENCENT_KEYS: keys.newest,
    LIVEHOOKS_HUAWEI_KEYS: keys.newest,
    LIVEHOOKS_JDCLOUD_TOKENS: tokens.newest,
    LIVEHOOKS_NGINX_RTMP_TOKENS: tokens.newest,
    LIVEHOOKS_SRS_TOKENS: tokens.newest,
  });
  baseUrl = server.baseUrl;
  expect(server.banner).toMatch(/tencent\s+http:\/\/\S+\/tencent\s+checks on: 1 key/);
}, 60_000);

afterAll(() => server.stop());

const livehooks = (...args: string[]) => server.livehooks(...args);

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
        .map((fixture) => [`${fixture.adapter.name}/${fixture.domain}/live/http-cam`, false])
        .sort(([a], [b]) => String(a).localeCompare(String(b))),
    );
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

  it('exits non-zero with the reason when the URL answers 401', async () => {
    const refused = livehooks('send', 'tencent', `${baseUrl}/tencent`, '--key', keys.unknown);
    await expect(refused).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining('refused: bad_signature') });
  });
});
