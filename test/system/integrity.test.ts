/**
 * What an attacker holding one genuine callback, controlling stream names or reading the
 * table can do, tried through the real handlers and the real (embedded) store. Every test
 * here is a regression test of a defect that a single request could exploit; the fuzz
 * suite (test/integrity.fuzz.test.ts) generalises each class.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createTestTable, type TestTable } from '../support/dynamo';
import { call, handlerFor, withFields } from '../support/harness';
import { maxFieldCount, maxJsonDepth } from '../../shared/pipeline';
import { fixtureFor, huaweiCallbackSignedAs, nowSec, providerFixtures, startOf, tokens } from '../support/providers';

let table: TestTable;
beforeEach(async () => {
  table = await createTestTable();
});
afterEach(() => vi.restoreAllMocks());

const events = async () => (await table.scanAll()).filter((item) => String(item.sk).startsWith('event#'));

/** Expects a refusal and a table that is as it was before the call. */
async function expectRefused(answer: Promise<{ status: number; body: { reason?: string } }>, reason: string) {
  const before = await table.contents();
  const { status, body } = await answer;
  expect({ status: status >= 400 && status < 500, reason: body.reason }).toEqual({ status: true, reason });
  expect(await table.contents()).toEqual(before);
}

describe('a Huawei signature covers its whole identity, however its text is split', () => {
  const huawei = fixtureFor('huawei');
  const authTimestamp = nowSec - 20;
  const callback = huaweiCallbackSignedAs;
  const genuine = {
    event: 'PUBLISH',
    domain: 'push.example.com',
    app: 'live',
    stream: 'room10',
    publish_timestamp: String(nowSec - 30),
    auth_timestamp: authTimestamp,
  };

  it('refuses a leading zero moved from the stream name onto auth_timestamp (room10 -> room1)', async () => {
    const handler = handlerFor(huawei, table.store);
    expect((await call(handler, callback(genuine))).status).toBe(200);
    const shifted = { ...genuine, stream: 'room1', auth_timestamp: `0${authTimestamp}` };
    await expectRefused(call(handler, callback(shifted, genuine)), 'bad_timestamp');
  });

  it('refuses characters shifted between domain and app', async () => {
    const handler = handlerFor(huawei, table.store);
    expect((await call(handler, callback(genuine))).status).toBe(200);
    const shifted = { ...genuine, domain: 'push.example.co', app: 'mlive' };
    await expectRefused(call(handler, callback(shifted, genuine)), 'replayed');
  });

  it('refuses _DONE moved from a stop event into the domain (a stop replayed as a start)', async () => {
    const handler = handlerFor(huawei, table.store);
    const stop = { ...genuine, event: 'PUBLISH_DONE' };
    expect((await call(handler, callback(stop))).status).toBe(200);
    const shifted = { ...genuine, event: 'PUBLISH', domain: '_DONEpush.example.com' };
    await expectRefused(call(handler, callback(shifted, stop)), 'replayed');
    expect(await events()).toHaveLength(1);
  });

  it('still takes the vendor retry of the genuine callback, as a duplicate', async () => {
    const handler = handlerFor(huawei, table.store);
    expect((await call(handler, callback(genuine))).body.duplicate).toBe(false);
    expect(await call(handler, callback(genuine))).toMatchObject({ status: 200, body: { duplicate: true } });
  });

  it('keeps no signature in the table: the replay guard is keyed by its digest', async () => {
    const event = callback(genuine);
    await call(handlerFor(huawei, table.store), event);
    const signature = JSON.parse(event.body!).auth_sign as string;
    expect(JSON.stringify(await table.scanAll())).not.toContain(signature);
  });
});

describe('signed time fields are canonical digits', () => {
  const cases = [
    ['a leading zero', (t: number) => `0${t}`],
    ['a plus sign', (t: number) => `+${t}`],
    ['a leading space', (t: number) => ` ${t}`],
    ['a trailing space', (t: number) => `${t} `],
  ] as const;
  for (const provider of ['alibaba', 'tencent', 'huawei']) {
    const fixture = fixtureFor(provider);
    it.each(cases)(`${provider} ${fixture.time!.field} with %s is refused`, async (_, spoil) => {
      const t = provider === 'tencent' ? nowSec + 600 : nowSec - 10;
      const answer = call(handlerFor(fixture, table.store), fixture.callback(startOf('cam'), { signedTime: spoil(t) }));
      await expectRefused(answer, 'bad_timestamp');
    });
  }

  it.each([
    ['alibaba', 'time'],
    ['tencent', 'event_time'],
    ['huawei', 'publish_timestamp'],
  ])('%s %s (an event time) with a leading zero is refused', async (provider, field) => {
    const fixture = fixtureFor(provider);
    const event = withFields(fixture.callback(startOf('cam')), (fields) => (fields[field] = `0${nowSec - 30}`));
    await expectRefused(call(handlerFor(fixture, table.store), event), 'bad_field');
  });
});

describe('stream keys are injective', () => {
  const tencent = fixtureFor('tencent');
  const pushedTo = (domain: string, app: string, kind: 'start' | 'stop' = 'start', stream = 'cam') =>
    withFields(tencent.callback({ ...startOf(stream), kind }), (fields) => {
      fields.app = domain;
      fields.appname = app;
      fields.sequence = `${domain}|${app}`;
    });

  it('keeps app "a" + appname "b/c" and app "a/b" + appname "c" apart, start and stop', async () => {
    const handler = handlerFor(tencent, table.store);
    const first = await call(handler, pushedTo('a', 'b/c'));
    const second = await call(handler, pushedTo('a/b', 'c'));
    expect([first.body.duplicate, second.body.duplicate]).toEqual([false, false]);
    expect(new Set((await events()).map((item) => item.streamKey)).size).toBe(2);

    await call(handler, pushedTo('a', 'b/c', 'stop'));
    const streams = await table.store.listStreams();
    expect(streams.map((state) => [state.domain, state.app, state.live])).toEqual(
      expect.arrayContaining([
        ['a', 'b/c', false],
        ['a/b', 'c', true],
      ]),
    );
  });

  it('leaves ordinary names as they were and escapes / and % inside a part', async () => {
    const handler = handlerFor(tencent, table.store);
    await call(handler, pushedTo('push.example.com', 'live'));
    await call(handler, pushedTo('push.example.com', 'li/ve', 'start', 'c%2Fam'));
    expect((await events()).map((item) => item.streamKey).sort()).toEqual([
      'tencent/push.example.com/li%2Fve/c%252Fam',
      'tencent/push.example.com/live/cam',
    ]);
  });
});

describe('vendor event times have an upper bound', () => {
  const lastSecondOf9999 = 253_402_300_799;
  const cases = [
    ['alibaba', 'time', 60, 1],
    ['tencent', 'event_time', 660, 1],
    ['huawei', 'publish_timestamp', 660, 1],
    ['jdcloud', 'eventTime', 60, 1000],
  ] as const;

  it.each(cases)('%s %s in year 9999 is refused and fixes no state', async (provider, field, _, unit) => {
    const fixture = fixtureFor(provider);
    const handler = handlerFor(fixture, table.store);
    const far = withFields(fixture.callback(startOf('cam')), (fields) => (fields[field] = lastSecondOf9999 * unit));
    await expectRefused(call(handler, far), 'event_time_ahead');
  });

  it.each(cases)('%s %s: the window future (%i s) is the edge', async (provider, field, future, unit) => {
    const fixture = fixtureFor(provider);
    const handler = handlerFor(fixture, table.store);
    const at = (sec: number) =>
      withFields(fixture.callback(startOf(`cam${sec}`)), (fields) => (fields[field] = sec * unit));
    expect((await call(handler, at(nowSec + future))).status).toBe(200);
    await expectRefused(call(handler, at(nowSec + future + 1)), 'event_time_ahead');
  });
});

describe('record ids are injective', () => {
  const tencent = fixtureFor('tencent');

  it('keeps apart two pushes whose parts joined by newlines are the same text', async () => {
    const handler = handlerFor(tencent, table.store);
    const push = (stream: string, sequence: string) =>
      withFields(tencent.callback(startOf(stream)), (fields) => (fields.sequence = sequence));
    const first = await call(handler, push('s\nstart\nsession:y', 'z'));
    const second = await call(handler, push('s', 'y\nstart\nsession:z'));
    expect(first.status).toBe(200);
    expect(second.status).toBe(200);
    expect(first.body.id).not.toBe(second.body.id);
  });

  it.each([
    ['tencent', 'sequence'],
    ['srs', 'client_id'],
  ])('%s %s as a number JSON cannot carry exactly is refused', async (provider, field) => {
    const fixture = fixtureFor(provider);
    const event = withFields(fixture.callback(startOf('cam')), (fields) => (fields[field] = 1));
    // 2^53 + 1: JSON.parse makes it 2^53, the same push as 9007199254740992.
    event.body = event.body!.replace(/"?(sequence|client_id)"?:("[^"]*"|\d+)/, `"${field}":9007199254740993`);
    await expectRefused(call(handlerFor(fixture, table.store), event), 'bad_field');
  });

  it('refuses a JSON name holding a lone surrogate', async () => {
    const event = tencent.callback(startOf('cam'));
    event.body = event.body!.replace('"stream_id":"cam"', '"stream_id":"cam\\ud800"');
    await expectRefused(call(handlerFor(tencent, table.store), event), 'malformed_body');
  });

  it('refuses a form name whose escapes are not UTF-8 (a surrogate, a stray byte)', async () => {
    const nginx = fixtureFor('nginx-rtmp');
    for (const name of ['cam%ED%A0%80', 'cam%FF']) {
      const event = withFields(nginx.callback(startOf('cam')), () => {});
      const body = Buffer.from(event.body!, 'base64').toString().replace('name=cam', `name=${name}`);
      event.body = Buffer.from(body).toString('base64');
      await expectRefused(call(handlerFor(nginx, table.store), event), 'malformed_body');
    }
  });
});

describe('admission patterns', () => {
  const srs = fixtureFor('srs');
  const env = { ...srs.env, LIVEHOOKS_SRS_ALLOW_STREAMS: 'cam-*-*-*-hd,studio' };
  const named = (stream: string) => withFields(srs.callback(startOf('x')), (fields) => (fields.stream = stream));

  it('checks the length of a name before matching it', async () => {
    const answer = call(handlerFor(srs, table.store, env), named(`cam-${'-'.repeat(4000)}x`));
    await expectRefused(answer, 'bad_field');
  });

  it('matches * as any run of characters, and nothing else specially', async () => {
    const handler = handlerFor(srs, table.store, env);
    for (const name of ['cam-1-2-3-hd', 'cam----hd', 'cam-a.b-c-d-hd', 'studio']) {
      expect((await call(handler, named(name))).status, name).toBe(200);
    }
    for (const name of ['cam-1-2-hd', 'cam-1-2-3-hdx', 'studio2', 'Studio', 'cam-1-2-3-h']) {
      expect((await call(handler, named(name))).body.reason, name).toBe('stream_not_allowed');
    }
  });
});

describe('refusals never echo the payload', () => {
  it('names the documented field, not an attacker key under it, and stays short', async () => {
    const jdcloud = fixtureFor('jdcloud');
    const warn = vi.spyOn(console, 'warn');
    const key = `k${'x'.repeat(2000)}`;
    const event = withFields(jdcloud.callback(startOf('cam')), (fields) => (fields.pushParams = { [key]: {} }));
    const result = await handlerFor(jdcloud, table.store)(event, {} as never);
    expect(JSON.parse(result.body!)).toMatchObject({
      reason: 'bad_field',
      message: expect.stringMatching(/^pushParams:/),
    });
    expect(result.body!.length).toBeLessThan(200);
    const logged = warn.mock.calls.map((args) => String(args[0])).join('\n');
    expect(logged).toContain('bad_field');
    expect(logged).not.toContain('xxxxxxxx');
  });
});

describe('the table holds no signature or push credential', () => {
  const stored = async () => JSON.stringify(await table.scanAll());

  it('Tencent: sign and the publisher txSecret are redacted in raw and params', async () => {
    const tencent = fixtureFor('tencent');
    const event = tencent.callback(startOf('cam'));
    const { sign, stream_param } = JSON.parse(event.body!);
    await call(handlerFor(tencent, table.store), event);
    const txSecret = new URLSearchParams(stream_param).get('txSecret')!;
    const [record] = await events();
    expect(await stored()).not.toContain(sign);
    expect(await stored()).not.toContain(txSecret);
    expect(record!.params).toMatchObject({ txSecret: '[redacted]', txTime: '5C2E1B7F' });
    expect(JSON.parse(String(record!.raw))).toMatchObject({ sign: '[redacted]', appid: 1250000001 });
  });

  it('Huawei: auth_sign is redacted in raw', async () => {
    const huawei = fixtureFor('huawei');
    const event = huawei.callback(startOf('cam'));
    await call(handlerFor(huawei, table.store), event);
    expect(await stored()).not.toContain(JSON.parse(event.body!).auth_sign);
    expect(JSON.parse(String((await events())[0]!.raw))).toMatchObject({ auth_sign: '[redacted]' });
  });

  it('Alibaba: auth_key in usrargs is redacted in raw and params, the rest of raw kept byte for byte', async () => {
    const alibaba = fixtureFor('alibaba');
    const event = alibaba.callback(startOf('cam'));
    const secret = '1795427970-0-0-0a1b2c3d4e5f60718293a4b5c6d7e8f9';
    event.rawQueryString = event.rawQueryString.replace(
      'usrargs=',
      `usrargs=${encodeURIComponent(`auth_key=${secret}&`)}`,
    );
    await call(handlerFor(alibaba, table.store), event);
    const [record] = await events();
    expect(await stored()).not.toContain('0a1b2c3d4e5f60718293a4b5c6d7e8f9');
    expect(record!.params).toMatchObject({ auth_key: '[redacted]', room: '42' });
    expect(record!.raw).toBe(
      event.rawQueryString.replace(encodeURIComponent(secret), encodeURIComponent('[redacted]')),
    );
  });

  it('nginx-rtmp and SRS: a publisher token or sign is redacted; the URL token never arrives', async () => {
    for (const provider of ['nginx-rtmp', 'srs']) {
      const fixture = fixtureFor(provider);
      const event = withFields(fixture.callback(startOf('cam')), (fields) => {
        if (provider === 'srs') fields.param = '?token=pub-secret-1&sign=pub-secret-2&room=42';
        else Object.assign(fields, { token: 'pub-secret-1', sign: 'pub-secret-2' });
      });
      expect((await call(handlerFor(fixture, table.store), event)).status).toBe(200);
    }
    expect(await stored()).not.toMatch(/pub-secret|tok-newest/);
    for (const record of await events()) expect(record.params).toMatchObject({ token: '[redacted]', room: '42' });
  });

  it('takes the list of credential names from LIVEHOOKS_REDACT_PARAMS', async () => {
    const jdcloud = fixtureFor('jdcloud');
    const env = { ...jdcloud.env, LIVEHOOKS_REDACT_PARAMS: 'room' };
    await call(handlerFor(jdcloud, table.store, env), jdcloud.callback(startOf('cam')));
    const [record] = await events();
    expect(record!.params).toEqual({ room: '[redacted]', lang: 'en' });
    expect(JSON.parse(String(record!.raw)).pushParams).toEqual({ room: '[redacted]', lang: 'en' });
  });

  it('OME url, nginx-rtmp tcurl, SRS tcUrl: `=` before `?`, the first parameter and user info are redacted', async () => {
    const url = 'rtmp://u:pw-secret-0@ome.example.com:1935/app/cam-c3RyZWFtMQ==?token=pub-secret-1&room=42';
    const ome = fixtureFor('ome');
    const omeCall = ome.callback(startOf('cam'), {
      change: (fields) => void ((fields.request as { url: string }).url = url),
    });
    expect((await call(handlerFor(ome, table.store), omeCall)).status).toBe(200);
    for (const [provider, field] of [
      ['nginx-rtmp', 'tcurl'],
      ['srs', 'tcUrl'],
    ] as const) {
      const fixture = fixtureFor(provider);
      const event = withFields(fixture.callback(startOf('cam')), (fields) => void (fields[field] = url));
      expect((await call(handlerFor(fixture, table.store), event)).status).toBe(200);
    }
    expect(await events()).toHaveLength(3);
    expect(await stored()).not.toMatch(/pw-secret|pub-secret/);
  });

  it('nginx-rtmp: a bare name (`?SECRET` forwarded as `&SECRET`) reaches neither raw, params nor a kept refusal', async () => {
    const fixture = fixtureFor('nginx-rtmp');
    const withBareName = (event: ReturnType<typeof fixture.callback>) => ({
      ...event,
      body: Buffer.from(`${Buffer.from(event.body!, 'base64').toString()}&Bare0Secret0Name`).toString('base64'),
    });
    expect((await call(handlerFor(fixture, table.store), withBareName(fixture.callback(startOf('cam'))))).status).toBe(
      200,
    );
    const refused = withBareName(fixture.callback(startOf('cam'), { token: tokens.unknown }));
    expect((await call(handlerFor(fixture, table.store), refused)).status).toBe(401);
    expect(await table.refusals()).toHaveLength(1);
    expect(JSON.stringify([await table.scanAll(), await table.refusals()])).not.toContain('Bare0Secret0Name');
  });

  it('keeps the URL token out as before', async () => {
    const jdcloud = fixtureFor('jdcloud');
    await call(handlerFor(jdcloud, table.store), jdcloud.callback(startOf('cam'), { token: tokens.older }));
    expect(await stored()).not.toContain(tokens.older);
  });
});

describe('no body reaches a recursion: JSON nests at most maxJsonDepth deep', () => {
  const jsonFixtures = providerFixtures.filter((fixture) => fixture.adapter.format === 'json');
  const nested = (depth: number, inner = '"\\uD800"') => `{"a":${'['.repeat(depth)}${inner}${']'.repeat(depth)}}`;

  it.each(jsonFixtures.map((fixture) => [fixture.adapter.name, fixture] as const))(
    '%s: a 64 KiB body nested 32,000 deep with a lone surrogate is a 400 malformed_body, before any signature',
    async (_name, fixture) => {
      const body = nested(32_000);
      expect(Buffer.byteLength(body)).toBeLessThanOrEqual(64 * 1024);
      const event = { ...fixture.callback(startOf('cam')), body, isBase64Encoded: false };
      await expectRefused(call(handlerFor(fixture, table.store), event), 'malformed_body');
    },
  );

  it('takes a body exactly maxJsonDepth deep past the check, and refuses one level more', async () => {
    const fixture = fixtureFor('tencent');
    const event = (depth: number) => ({ ...fixture.callback(startOf('cam')), body: nested(depth - 1, '1') });
    expect((await call(handlerFor(fixture, table.store), event(maxJsonDepth))).body.reason).not.toBe('malformed_body');
    await expectRefused(call(handlerFor(fixture, table.store), event(maxJsonDepth + 1)), 'malformed_body');
  });
});

describe('no request costs more than its size allows: field counts are bounded before any parse', () => {
  it('refuses a query of more than maxFieldCount pairs before its token is looked for', async () => {
    const fixture = fixtureFor('nginx-rtmp');
    const event = fixture.callback(startOf('cam'), { token: tokens.unknown });
    const pairs = Array.from({ length: maxFieldCount }, (_, index) => `a${index}=1`).join('&');
    await expectRefused(
      call(handlerFor(fixture, table.store), { ...event, rawQueryString: `${event.rawQueryString}&${pairs}` }),
      'payload_too_large',
    );
  });

  it('refuses a form body or a JSON body of more than maxFieldCount fields, genuine otherwise', async () => {
    const nginx = fixtureFor('nginx-rtmp');
    const form = withFields(nginx.callback(startOf('cam')), (fields) => {
      for (let index = 0; index < maxFieldCount; index++) fields[`a${index}`] = '1';
    });
    await expectRefused(call(handlerFor(nginx, table.store), form), 'payload_too_large');
    const srs = fixtureFor('srs');
    const json = withFields(srs.callback(startOf('cam')), (fields) => {
      fields.extra = Array.from({ length: maxFieldCount }, () => 0);
    });
    await expectRefused(call(handlerFor(srs, table.store), json), 'payload_too_large');
  });
});
