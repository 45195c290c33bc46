/**
 * OvenMediaEngine AdmissionWebhooks: the answer OME admits a publish by (`allowed`), a
 * refused name that leaves nothing behind (its closing included), playback allowed and not
 * recorded, the unpadded base64url signature compared exactly, the publish URL read in one
 * pass, and the URL's token never stored.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ome, publishUrlOf } from '../../../../shared/providers/ome';
import { hmacSha1Base64Url } from '../../../../shared/signature';
import vectors from '../../../fixtures/signatures.json';
import { createTestTable } from '../../../support/dynamo';
import { call, handlerFor } from '../../../support/harness';
import { fixtureFor, nowSec, startOf } from '../../../support/providers';

const fixture = fixtureFor('ome');

describe.each(vectors.ome)('ome known answer', ({ key, body, signature }) => {
  const verify = (header: string) => () =>
    ome.verify!(JSON.parse(body), {
      request: { headers: { 'x-ome-signature': header }, body } as never,
      config: { keys: ['other', key] } as never,
      nowMs: 0,
    });

  it('matches, unpadded, and only exactly', () => {
    expect(hmacSha1Base64Url(key, body)).toBe(signature);
    expect(verify(signature)).not.toThrow();
    expect(verify(`${signature}=`)).toThrow('matches no configured secret key');
    expect(verify(signature.toLowerCase())).toThrow('matches no configured secret key');
  });
});

describe('ome admission', () => {
  const allowOnly = { ...fixture.env, LIVEHOOKS_OME_ALLOW_STREAMS: 'studio-*' };

  it('admits a publish with `allowed: true`', async () => {
    const table = await createTestTable();
    const answer = await call(handlerFor(fixture, table.store, allowOnly), fixture.callback(startOf('studio-1')));
    expect(answer).toMatchObject({ status: 200, body: { allowed: true, code: 0, duplicate: false } });
  });

  it('refuses a name outside ALLOW_STREAMS as OME needs (200, allowed false, a reason), and its closing leaves nothing', async () => {
    const table = await createTestTable();
    const handler = handlerFor(fixture, table.store, allowOnly);
    const push = { ...startOf('backstage'), sessionStartSec: nowSec - 20 };
    expect(await call(handler, fixture.callback(push))).toEqual({
      status: 200,
      body: {
        allowed: false,
        code: 403,
        reason: 'stream_not_allowed',
        message: 'the stream name matches nothing in LIVEHOOKS_OME_ALLOW_STREAMS',
      },
    });
    // OME closes an RTMP publish it refused with a `closing` request.
    const closing = await call(handler, fixture.callback({ ...push, kind: 'stop', timeSec: nowSec - 19 }));
    expect(closing).toEqual({ status: 200, body: { allowed: true, code: 0, ignored: true } });
    expect(await table.scanAll()).toEqual([]);
  });

  it('answers an unsigned request 401 with `allowed: false`: OME refuses the publish', async () => {
    const table = await createTestTable();
    const event = fixture.callback(startOf('studio-1'));
    delete event.headers['x-ome-signature'];
    expect(await call(handlerFor(fixture, table.store), event)).toMatchObject({
      status: 401,
      body: { allowed: false, reason: 'missing_signature' },
    });
  });

  it('allows playback and records nothing of it', async () => {
    const table = await createTestTable();
    const [playback] = fixture.ignored();
    expect(await call(handlerFor(fixture, table.store, allowOnly), playback!)).toEqual({
      status: 200,
      body: { allowed: true, code: 0, ignored: true },
    });
    expect(await table.scanAll()).toEqual([]);
  });

  it('pairs a closing with the opening from the same client address and port, and never stores the URL’s token', async () => {
    const table = await createTestTable();
    const handler = handlerFor(fixture, table.store);
    const push = { kind: 'start', stream: 'studio-2', sessionStartSec: nowSec - 60, timeSec: nowSec - 60 } as const;
    await call(handler, fixture.callback(push));
    await call(handler, fixture.callback({ ...push, kind: 'stop', timeSec: nowSec - 2 }));
    const items = await table.scanAll();
    const events = items.filter((item) => String(item.sk).startsWith('event#'));
    expect(events).toHaveLength(2);
    expect(new Set(events.map((item) => item.sessionId)).size).toBe(1);
    expect(events[0]).toMatchObject({ streamKey: 'ome/ome.example.com/app/studio-2', params: { room: '42' } });
    expect(JSON.stringify(items)).not.toContain('8f2b1c');
  });
});

describe('publishUrlOf', () => {
  it.each([
    ['rtmp://ome.example.com:1935/app/stream?key=abc', { host: 'ome.example.com', app: 'app', stream: 'stream' }],
    ['srt://OME.example.com/live/cam-1', { host: 'ome.example.com', app: 'live', stream: 'cam-1', query: '' }],
    [
      'ws://user@[::1]:3333/app/s?direction=send#x',
      { host: '[::1]', app: 'app', stream: 's', query: 'direction=send' },
    ],
    ['rtmp://h/app/a/b', { app: 'app', stream: 'a/b' }],
    ['rtmp://h/app/a%2Fb', { stream: 'a%2Fb' }],
  ])('%s', (url, parts) => {
    expect(publishUrlOf(url)).toMatchObject(parts);
  });

  it.each(['rtmp://h/app', 'rtmp://h/app/', 'rtmp://h//s', 'rtmp://h', 'app/stream', '://h/a/s'])(
    'refuses %s',
    (url) => {
      expect(publishUrlOf(url)).toBeUndefined();
    },
  );

  it('keeps the app and stream exactly as sent: two paths are never one stream', () => {
    const segment = fc.string({ unit: fc.constantFrom('a', '/', '%', '2', 'F', '?', '#'), minLength: 1, maxLength: 6 });
    fc.assert(
      fc.property(segment, segment, (app, stream) => {
        fc.pre(!/[/?#]/.test(app) && !/[?#]/.test(stream) && !stream.startsWith('/') && !stream.endsWith('/'));
        expect(publishUrlOf(`rtmp://h/${app}/${stream}`)).toEqual({ host: 'h', app, stream, query: '' });
      }),
    );
  });
});
