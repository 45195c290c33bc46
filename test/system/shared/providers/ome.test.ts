/**
 * OvenMediaEngine AdmissionWebhooks: the answer OME admits a publish by (`allowed`), a
 * refused name that leaves nothing behind (its closing included), playback allowed and not
 * recorded, the unpadded base64url signature compared exactly, the publish URL read in one
 * pass, and the URL's token never stored.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createHandler } from '../../../../shared/handler';
import { ome, publishUrlOf } from '../../../../shared/providers/ome';
import { hmacSha1Base64Url } from '../../../../shared/signature';
import vectors from '../../../fixtures/signatures.json';
import { createTestTable } from '../../../support/dynamo';
import { call, handlerFor } from '../../../support/harness';
import { omePublishes, urlStringOf } from '../../../support/ome-url';
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
    [
      'RTMP',
      'rtmp://ome.example.com:1935/app/stream?key=abc',
      { host: 'ome.example.com', app: 'app', stream: 'stream' },
    ],
    ['SRT', 'srt://OME.example.com/live/cam-1', { host: 'ome.example.com', app: 'live', stream: 'cam-1', query: '' }],
    [
      'WebRTC',
      'ws://u:p@[::1]:3333/app/s?direction=send',
      { host: '[::1]', app: 'app', stream: 's', query: 'direction=send' },
    ],
    // RTMP keeps `#` in the publish name; SRT and WebRTC read path component 2 only.
    ['RTMP', 'rtmp://h:1935/app/studio#evil', { app: 'app', stream: 'studio#evil' }],
    ['SRT', 'srt://h/app/evil/x-hd', { app: 'app', stream: 'evil' }],
    ['WebRTC', 'https://h:3334/app/evil/x-hd?direction=whip', { app: 'app', stream: 'evil' }],
    ['RTMP', 'rtmp://h/app/a%2Fb', { stream: 'a%2Fb' }],
    ['RTMP', 'rtmp://h/app/s?next=rtmp://x', undefined],
  ])('%s %s', (protocol, url, parts) => {
    if (parts) expect(publishUrlOf(url, protocol)).toMatchObject(parts);
    else expect(publishUrlOf(url, protocol)).toBeUndefined();
  });

  it.each([
    ['RTMP', 'rtmp://h/app'],
    ['RTMP', 'rtmp://h/app/'],
    ['RTMP', 'rtmp://h//s'],
    ['RTMP', 'rtmp://h'],
    ['RTMP', 'app/stream'],
    ['RTMP', '://h/a/s'],
    // The name `a/b`, or `a` over a tcUrl with one more component: OME reads either.
    ['RTMP', 'rtmp://h/app/a/b'],
    ['SRT', 'srt://h/app//s'],
    // OME's greedy userinfo: `id` `h`, `password` `1935/app/s`, host `x`.
    ['RTMP', 'rtmp://h:1935/app/s@x'],
    ['RTMP', 'rtmp://u@h/app/s'],
    ['RTMP', 'rtmp://h#x/app/s'],
    ['RTMP', 'rtmp://h/app/s\nrtmp://g/app/t'],
    ['MPEGTS', 'udp://h/app/s'],
  ])('refuses %s %s', (protocol, url) => {
    expect(publishUrlOf(url, protocol)).toBeUndefined();
  });

  it('reads exactly what OME publishes, or refuses (a port of OME 37b3fc3 as the oracle)', () => {
    let read = 0;
    fc.assert(
      fc.property(omePublishes, ({ protocol, published }) => {
        if (!published) return;
        const parts = publishUrlOf(urlStringOf(published), protocol);
        if (!parts) return;
        read++;
        expect(parts).toEqual({
          host: published.host.toLowerCase(),
          app: published.app,
          stream: published.stream,
          query: published.query,
        });
      }),
      { numRuns: 5_000 },
    );
    // The property is not vacuous: plenty of URLs are read, not refused.
    expect(read).toBeGreaterThan(250);
  });
});

describe('ome admission: the name OME publishes is the name checked and keyed', () => {
  const allow = { ...fixture.env, LIVEHOOKS_OME_ALLOW_STREAMS: 'studio,*-hd' };
  const admission = (status: 'opening' | 'closing', protocol: string, url: string, port = 40000) =>
    fixture.callback(startOf('studio'), {
      change: (fields) => {
        Object.assign(fields.client as object, { port });
        Object.assign(fields.request as object, { status, protocol, url, time: new Date(nowSec * 1000).toISOString() });
      },
    });

  it.each([
    ['RTMP', 'rtmp://ome.example.com:1935/app/studio#evil'],
    ['RTMP', 'rtmp://ome.example.com:1935/app/x-hd#evil'],
    ['SRT', 'srt://ome.example.com/app/evil/x-hd'],
    ['WebRTC', 'wss://ome.example.com:3334/app/evil/x-hd'],
  ])('refuses %s %s under ALLOW_STREAMS studio,*-hd', async (protocol, url) => {
    const table = await createTestTable();
    const answer = await call(handlerFor(fixture, table.store, allow), admission('opening', protocol, url));
    expect(answer.body).toMatchObject({ allowed: false });
    expect(await table.scanAll()).toEqual([]);
  });

  it('a second publisher opening and closing `studio#x` leaves the live `studio` live', async () => {
    const table = await createTestTable();
    const handler = handlerFor(fixture, table.store);
    const url = 'rtmp://ome.example.com:1935/app/studio';
    expect((await call(handler, admission('opening', 'RTMP', url))).body).toMatchObject({ allowed: true });
    expect((await call(handler, admission('opening', 'RTMP', `${url}#x`, 40001))).body).toMatchObject({
      allowed: true,
    });
    expect((await call(handler, admission('closing', 'RTMP', `${url}#x`, 40001))).status).toBe(200);
    const states = (await table.scanAll()).filter((item) => item.sk === 'state');
    expect(states.find((item) => item.pk === 'stream#ome/ome.example.com/app/studio')).toMatchObject({ live: true });
  });
});

describe('ome admission: the answer agrees with the table', () => {
  const spec = { kind: 'start', stream: 'studio-1', sessionStartSec: nowSec - 60, timeSec: nowSec - 60 } as const;
  const stateOf = async (table: Awaited<ReturnType<typeof createTestTable>>, stream: string) =>
    (await table.scanAll()).find(
      (item) => item.pk === `stream#ome/ome.example.com/app/${stream}` && item.sk === 'state',
    );

  it('records the closing of a push recorded before ALLOW_STREAMS narrowed', async () => {
    const table = await createTestTable();
    await call(handlerFor(fixture, table.store), fixture.callback(spec));
    const narrowed = handlerFor(fixture, table.store, { ...fixture.env, LIVEHOOKS_OME_ALLOW_STREAMS: 'other-*' });
    const closing = await call(narrowed, fixture.callback({ ...spec, kind: 'stop', timeSec: nowSec - 5 }));
    expect(closing.body).toMatchObject({ allowed: true, duplicate: false });
    expect(await stateOf(table, 'studio-1')).toMatchObject({ live: false });
  });

  it('still records nothing for the closing of a refused publish, even when another client is live under the name', async () => {
    const table = await createTestTable();
    await call(handlerFor(fixture, table.store), fixture.callback(spec));
    const narrowed = handlerFor(fixture, table.store, { ...fixture.env, LIVEHOOKS_OME_ALLOW_STREAMS: 'other-*' });
    // Another client's publish (another port: another push start time) is refused, then closed.
    const other = { ...spec, sessionStartSec: nowSec - 30, timeSec: nowSec - 30 };
    expect((await call(narrowed, fixture.callback(other))).body).toMatchObject({ allowed: false });
    const before = await table.contents();
    const closing = await call(narrowed, fixture.callback({ ...other, kind: 'stop', timeSec: nowSec - 5 }));
    expect(closing.body).toMatchObject({ allowed: true, ignored: true });
    expect(await table.contents()).toEqual(before);
    expect(await stateOf(table, 'studio-1')).toMatchObject({ live: true });
  });

  it('admits an opening stored whose notification failed (OME never retries), and refuses it when nothing stored it', async () => {
    const failing = { publish: async () => Promise.reject(new Error('queue down')) };
    const table = await createTestTable();
    const stored = createHandler(fixture.adapter, {
      env: fixture.env,
      store: table.store,
      publisher: failing,
      now: () => nowSec * 1000,
    });
    expect(await call(stored, fixture.callback(spec))).toMatchObject({
      status: 200,
      body: { allowed: true, reason: 'publish_unavailable' },
    });
    expect(await stateOf(table, 'studio-1')).toMatchObject({ live: true });
    const queueOnly = createHandler(fixture.adapter, {
      env: { ...fixture.env, LIVEHOOKS_STORE: 'off' },
      publisher: failing,
      now: () => nowSec * 1000,
    });
    expect(await call(queueOnly, fixture.callback(spec))).toMatchObject({
      status: 503,
      body: { allowed: false, reason: 'publish_unavailable' },
    });
  });
});
