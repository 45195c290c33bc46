import type { LambdaFunctionURLEvent } from 'aws-lambda';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createTestTable } from '../../../support/dynamo';
import { call, handlerFor } from '../../../support/harness';
import { fixtureFor, nowSec, startOf } from '../../../support/providers';

const fixture = fixtureFor('nginx-rtmp');
const sample = (name: string) =>
  JSON.parse(
    readFileSync(new URL(`../../../../events/nginx-rtmp/${name}.json`, import.meta.url), 'utf8'),
  ) as LambdaFunctionURLEvent;

describe('nginx-rtmp', () => {
  it("keeps the publisher's own query as params, apart from nginx's fields", async () => {
    const table = await createTestTable();
    const answer = await call(
      handlerFor(fixture, table.store, { LIVEHOOKS_NGINX_RTMP_TOKENS: 'sample-token' }),
      sample('start'),
    );
    expect(answer.status).toBe(200);
    const [record] = (await table.store.readStream('nginx-rtmp/media.example.com/live/room42')).events;
    expect(record).toMatchObject({
      params: { room: '42', user: 'alice' },
      clientIp: '198.51.100.23',
      stream: 'room42',
    });
    expect(record!.sessionId).toMatch(/^start@.+#17$/);
  });

  it('drops publisher fields named __proto__, constructor or prototype (the schema does), keeping the rest', async () => {
    const table = await createTestTable();
    const start = sample('start');
    const body = `${Buffer.from(start.body!, 'base64').toString()}&__proto__=p&constructor=c&prototype=q&toString=t`;
    const event = { ...start, body: Buffer.from(body).toString('base64') };
    const handler = handlerFor(fixture, table.store, { LIVEHOOKS_NGINX_RTMP_TOKENS: 'sample-token' });
    expect((await call(handler, event)).status).toBe(200);
    const [record] = (await table.store.readStream('nginx-rtmp/media.example.com/live/room42')).events;
    expect(Object.getPrototypeOf(record!.params)).toBe(Object.prototype);
    expect(Object.entries(record!.params!)).toEqual([
      ['room', '42'],
      ['user', 'alice'],
      ['toString', 't'],
    ]);
  });

  it('keeps sessions apart when nginx restarts and hands out the same clientid again', async () => {
    const table = await createTestTable();
    const push = async (startSec: number, kind: 'start' | 'stop', atSec: number) => {
      // Same clientid for both pushes: the fixture derives it from the start time modulo 1000.
      const spec = { ...startOf('cam'), kind, sessionStartSec: startSec, timeSec: atSec };
      return call(handlerFor(fixture, table.store, fixture.env, atSec * 1000), fixture.callback(spec));
    };
    await push(nowSec - 2000, 'start', nowSec - 2000);
    await push(nowSec - 2000, 'stop', nowSec - 1990);
    await push(nowSec - 1000, 'start', nowSec - 1000);
    await push(nowSec - 1000, 'stop', nowSec - 995);
    const { sessions } = await table.store.readStream('nginx-rtmp/127.0.0.1:19350/live/cam');
    expect(sessions.map((session) => session.durationMs)).toEqual([10_000, 5_000]);
    expect(new Set(sessions.map((session) => session.sessionId)).size).toBe(2);
  });

  it('refuses a publish outside LIVEHOOKS_NGINX_RTMP_ALLOW_STREAMS with 403, and records nothing', async () => {
    const table = await createTestTable();
    const env = { ...fixture.env, LIVEHOOKS_NGINX_RTMP_ALLOW_STREAMS: 'cam-*, studio' };
    const handler = handlerFor(fixture, table.store, env);
    expect(await call(handler, fixture.callback(startOf('other')))).toMatchObject({
      status: 403,
      body: { reason: 'stream_not_allowed' },
    });
    expect(await table.scanAll()).toEqual([]);
    expect((await call(handler, fixture.callback(startOf('cam-7')))).status).toBe(200);
    expect((await call(handler, fixture.callback(startOf('studio')))).status).toBe(200);
    expect((await call(handler, fixture.callback(startOf('studio-2')))).status).toBe(403);
  });
});
