import type { LambdaFunctionURLEvent } from 'aws-lambda';
import { createHash, createHmac } from 'node:crypto';
import type { ProviderAdapter } from '../../shared/provider';
import { alibaba } from '../../shared/providers/alibaba';
import { huawei } from '../../shared/providers/huawei';
import { jdcloud } from '../../shared/providers/jdcloud';
import { nginxRtmp } from '../../shared/providers/nginx-rtmp';
import { srs } from '../../shared/providers/srs';
import { tencent } from '../../shared/providers/tencent';
import { functionUrlEvent } from './function-url';

// Signatures here are computed with node:crypto directly, not with shared/signature, so
// that a mistake in the product's helpers cannot hide itself; the vectors file checks both.
const md5 = (text: string) => createHash('md5').update(text).digest('hex');
const hmac = (key: string, text: string) => createHmac('sha256', key).update(text).digest('hex');

/** The current time every test injects, in seconds. */
export const nowSec = 1_795_428_000;
export const nowMs = nowSec * 1000;

/** Two keys, newest first, and one nobody configured. */
export const keys = {
  newest: 'k1-0123456789abcdef0123456789abcdef',
  older: 'k2-fedcba9876543210fedcba9876543210',
  unknown: 'k3-not-configured-0000000000000000',
};
export const tokens = { newest: 'tok-newest-6c1f0e', older: 'tok-older-99a2b4', unknown: 'tok-unknown-000000' };

/** Every secret the suites configure: the fixtures' and the vendors' documented samples'. */
export const configuredSecrets = [
  ...Object.values(keys),
  ...Object.values(tokens),
  'yourkey',
  'abc123',
  '0123456789abcdef0123456789abcdef',
  'sample-token',
  'e2e-nginx-token',
];

/** One start or stop of one push, in the vendor's terms. */
export interface CallbackSpec {
  kind: 'start' | 'stop';
  stream: string;
  /** When the push started (Unix seconds): Huawei's `publish_timestamp`, and Tencent's `sequence` is made from it. */
  sessionStartSec: number;
  /** When this event happened (Unix seconds). */
  timeSec: number;
}

/** How a test signs: with which key, and what the signed time field says (`null`: absent). */
export interface SignOptions {
  key?: string;
  /** The raw value of the vendor's time field; by default what the vendor would send for `timeSec`. */
  signedTime?: string | null;
  token?: string;
}

/** Everything a generic test needs to drive one provider like its vendor would. */
export interface ProviderFixture {
  adapter: ProviderAdapter<any>;
  /** Settings of a properly configured deployment. */
  env: Record<string, string>;
  /** The vendor's signed start or stop. */
  callback(spec: CallbackSpec, options?: SignOptions): LambdaFunctionURLEvent;
  /** A signed callback of a type that is neither a start nor a stop. */
  ignored(options?: SignOptions): LambdaFunctionURLEvent[];
  /** The name of the signed time field and its window, for signing vendors. */
  time?: { field: string; past: number; future: number };
  /** Where the signature travels, for signing vendors. */
  signature?: { header: string } | { field: string };
  /** A required field the signature does not cover, and an unsigned field with a value of the wrong type. */
  schema: { required: string; wrong: { field: string; value: unknown } };
  /** The domain its records carry (origins name the server they were pushed to). */
  domain: string;
  /** The vendor sends the event's own time; without one, `occurredAt` is the receive time. */
  sendsEventTime: boolean;
}

/** A time field as a vendor sends it: canonical digits as a JSON number, anything else as the string it is. */
const asSent = (time: string) => (String(Number(time)) === time ? Number(time) : time);

const json = (path: string, body: unknown, token?: string) =>
  functionUrlEvent({
    method: 'POST',
    path,
    rawQuery: token ? `token=${token}` : '',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

const form = (path: string, body: string, token?: string) =>
  functionUrlEvent({
    method: 'POST',
    path,
    rawQuery: token ? `token=${token}` : '',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    // Function URLs base64-encode form bodies.
    body: Buffer.from(body).toString('base64'),
    isBase64Encoded: true,
  });

const tencentFixture: ProviderFixture = {
  domain: 'push.example.com',
  sendsEventTime: true,
  adapter: tencent,
  env: { LIVEHOOKS_TENCENT_KEYS: `${keys.newest},${keys.older}` },
  time: { field: 't', past: 60, future: 660 },
  signature: { field: 'sign' },
  schema: { required: 'stream_id', wrong: { field: 'stream_id', value: 42 } },
  callback(spec, { key = keys.newest, signedTime, token } = {}) {
    const t = signedTime === undefined ? String(spec.timeSec + 600) : signedTime;
    return json(
      '/tencent',
      {
        event_type: spec.kind === 'start' ? 1 : 0,
        ...(t === null ? {} : { t: asSent(t) }),
        sign: md5(key + (t ?? '')),
        appid: 1250000001,
        app: 'push.example.com',
        appname: 'live',
        stream_id: spec.stream,
        channel_id: spec.stream,
        event_time: spec.timeSec,
        sequence: `seq-${spec.stream}-${spec.sessionStartSec}`,
        node: '100.121.160.92',
        user_ip: '198.51.100.20',
        stream_param: 'txSecret=40f38f69f6fa5a4e7cb6e2ef2e0b7b0b&txTime=5C2E1B7F',
        ...(spec.kind === 'stop'
          ? {
              push_duration: String((spec.timeSec - spec.sessionStartSec) * 1000),
              errcode: 1,
              errmsg: 'recv rtmp deleteStream',
            }
          : {}),
        set_id: 2,
        width: 1280,
        height: 720,
        idc_id: 38,
      },
      token,
    );
  },
  ignored({ key = keys.newest } = {}) {
    const t = nowSec + 600;
    return [
      json('/tencent', {
        event_type: 100,
        t,
        sign: md5(key + t),
        appid: 1250000001,
        app: 'push.example.com',
        appname: 'live',
        stream_id: 'rec',
        channel_id: 'rec',
        file_id: '5285890784',
        video_url: 'http://example.com/rec.mp4',
      }),
    ];
  },
};

const huaweiFixture: ProviderFixture = {
  domain: 'push.example.com',
  sendsEventTime: true,
  adapter: huawei,
  env: { LIVEHOOKS_HUAWEI_KEYS: `${keys.newest},${keys.older}` },
  time: { field: 'auth_timestamp', past: 300, future: 660 },
  signature: { field: 'auth_sign' },
  schema: { required: 'publish_timestamp', wrong: { field: 'publish_timestamp', value: 'yesterday' } },
  callback(spec, { key = keys.newest, signedTime, token } = {}) {
    const authTimestamp = signedTime === undefined ? String(spec.timeSec) : signedTime;
    const event = spec.kind === 'start' ? 'PUBLISH' : 'PUBLISH_DONE';
    const domain = 'push.example.com';
    return json(
      '/huawei',
      {
        domain,
        app: 'live',
        stream: spec.stream,
        user_args: 'room=42&lang=en',
        client_ip: '198.51.100.20',
        node_ip: '100.64.0.9',
        publish_timestamp: String(spec.sessionStartSec),
        event,
        ...(authTimestamp === null
          ? {}
          : { auth_timestamp: asSent(authTimestamp) }),
        auth_sign: hmac(key, event + domain + 'live' + spec.stream + (authTimestamp ?? '')),
      },
      token,
    );
  },
  ignored({ key = keys.newest } = {}) {
    const event = 'TRANSCODE_READY';
    return [
      json('/huawei', {
        domain: 'push.example.com',
        app: 'live',
        stream: 's',
        event,
        auth_timestamp: nowSec,
        auth_sign: hmac(key, `${event}push.example.comlives${nowSec}`),
      }),
    ];
  },
};

const alibabaFixture: ProviderFixture = {
  domain: 'push.example.com',
  sendsEventTime: true,
  adapter: alibaba,
  env: { LIVEHOOKS_ALIBABA_KEYS: `${keys.newest},${keys.older}` },
  time: { field: 'ALI-LIVE-TIMESTAMP', past: 300, future: 60 },
  signature: { header: 'ali-live-signature' },
  schema: { required: 'id', wrong: { field: 'time', value: 'yesterday' } },
  callback(spec, { key = keys.newest, signedTime, token } = {}) {
    const domain = 'push.example.com';
    const timestamp = signedTime === undefined ? String(spec.timeSec) : signedTime;
    const query = new URLSearchParams({
      ...(token ? { token } : {}),
      action: spec.kind === 'start' ? 'publish' : 'publish_done',
      ip: '198.51.100.20',
      id: spec.stream,
      app: domain,
      appname: 'live',
      time: String(spec.timeSec),
      usrargs: 'vhost=push.example.com&room=42',
      node: 'cdnvideocenter010207116011.cm3',
      ...(spec.kind === 'start' ? { height: '720', width: '1280' } : {}),
    });
    return functionUrlEvent({
      method: 'GET',
      path: '/alibaba',
      rawQuery: query.toString(),
      headers: {
        ...(timestamp === null ? {} : { 'ALI-LIVE-TIMESTAMP': timestamp }),
        'ALI-LIVE-SIGNATURE': md5(`${domain}|${timestamp ?? ''}|${key}`),
      },
    });
  },
  ignored({ key = keys.newest } = {}) {
    const query = `action=record_done&id=s&app=push.example.com&appname=live&time=${nowSec}`;
    return [
      functionUrlEvent({
        method: 'GET',
        path: '/alibaba',
        rawQuery: query,
        headers: {
          'ALI-LIVE-TIMESTAMP': String(nowSec),
          'ALI-LIVE-SIGNATURE': md5(`push.example.com|${nowSec}|${key}`),
        },
      }),
    ];
  },
};

const jdcloudFixture: ProviderFixture = {
  domain: 'push.example.com',
  sendsEventTime: true,
  adapter: jdcloud,
  env: { LIVEHOOKS_JDCLOUD_TOKENS: `${tokens.newest},${tokens.older}` },
  schema: { required: 'streamName', wrong: { field: 'streamName', value: { name: 'x' } } },
  callback(spec, { token = tokens.newest } = {}) {
    return json(
      '/jdcloud',
      {
        version: 'v1.1',
        publishDomain: 'push.example.com',
        appName: 'live',
        streamName: spec.stream,
        event: spec.kind === 'start' ? 'publish_started' : 'publish_done',
        status: 'success',
        clientIp: '198.51.100.20',
        eventTime: spec.timeSec * 1000,
        pushParams: { room: '42', lang: 'en' },
      },
      token,
    );
  },
  ignored({ token = tokens.newest } = {}) {
    return [
      json(
        '/jdcloud',
        {
          version: 'v1.1',
          publishDomain: 'push.example.com',
          appName: 'live',
          streamName: 's',
          event: 'record_done',
          status: 'success',
        },
        token,
      ),
      json(
        '/jdcloud',
        {
          publishDomain: 'push.example.com',
          appName: 'live',
          streamName: 's',
          imageUrl: 'https://example.com/snap.jpg',
        },
        token,
      ),
    ];
  },
};

// nginx-rtmp's own form body: server fields first, then the publisher's query as sent.
const nginxRtmpFixture: ProviderFixture = {
  adapter: nginxRtmp,
  domain: '127.0.0.1:19350',
  sendsEventTime: false,
  env: { LIVEHOOKS_NGINX_RTMP_TOKENS: `${tokens.newest},${tokens.older}` },
  schema: { required: 'name', wrong: { field: 'clientid', value: 'first' } },
  callback(spec, { token = tokens.newest } = {}) {
    const server = `app=live&flashver=FMLE%2F3.0%20(compatible%3B%20Lavf60.16.100)&swfurl=&tcurl=rtmp%3A%2F%2F127.0.0.1%3A19350%2Flive&pageurl=&addr=198.51.100.20&clientid=${spec.sessionStartSec % 1000}`;
    const call =
      spec.kind === 'start' ? `&call=publish&name=${spec.stream}&type=live` : `&call=publish_done&name=${spec.stream}`;
    return form('/nginx-rtmp', `${server}${call}&room=42&lang=en`, token);
  },
  ignored({ token = tokens.newest } = {}) {
    return [
      form(
        '/nginx-rtmp',
        'app=live&tcurl=rtmp%3A%2F%2F127.0.0.1%2Flive&addr=127.0.0.1&clientid=7&call=play&name=s&start=0&duration=0&reset=0',
        token,
      ),
    ];
  },
};

const srsFixture: ProviderFixture = {
  adapter: srs,
  domain: '__defaultVhost__',
  sendsEventTime: false,
  env: { LIVEHOOKS_SRS_TOKENS: `${tokens.newest},${tokens.older}` },
  schema: { required: 'client_id', wrong: { field: 'stream', value: ['s'] } },
  callback(spec, { token = tokens.newest } = {}) {
    return json(
      '/srs',
      {
        server_id: 'vid-0xk989d',
        service_id: 'ksk2l5ek',
        action: spec.kind === 'start' ? 'on_publish' : 'on_unpublish',
        client_id: `c${spec.sessionStartSec.toString(36)}`,
        ip: '198.51.100.20',
        vhost: '__defaultVhost__',
        app: 'live',
        tcUrl: 'rtmp://127.0.0.1:1935/live',
        stream: spec.stream,
        param: '?room=42&lang=en',
        stream_url: `/live/${spec.stream}`,
        stream_id: 'vid-124q9y3',
      },
      token,
    );
  },
  ignored({ token = tokens.newest } = {}) {
    return [
      json(
        '/srs',
        {
          action: 'on_play',
          client_id: 'p1',
          ip: '127.0.0.1',
          vhost: '__defaultVhost__',
          app: 'live',
          stream: 's',
          param: '',
          pageUrl: '',
        },
        token,
      ),
    ];
  },
};

/**
 * A Huawei callback with exactly `fields` in its body and `auth_sign` computed over the
 * signed fields of `signedAs` (by default the same fields): how a genuine signature is
 * moved onto another split of its text.
 */
export function huaweiCallbackSignedAs(
  fields: Record<string, unknown>,
  signedAs: Record<string, unknown> = fields,
): LambdaFunctionURLEvent {
  const text = ['event', 'domain', 'app', 'stream', 'auth_timestamp'].map((name) => String(signedAs[name])).join('');
  return json('/huawei', { ...fields, auth_sign: hmac(keys.newest, text) });
}

/** The four cloud providers, as their vendors would call us. */
export const cloudFixtures = [alibabaFixture, tencentFixture, huaweiFixture, jdcloudFixture];

/** The self-hosted origins: no event times, no retries, delivery in order. */
export const originFixtures = [nginxRtmpFixture, srsFixture];

/** Every provider. */
export const providerFixtures = [...cloudFixtures, ...originFixtures];

/** The fixture of one provider, by route name. */
export function fixtureFor(name: string): ProviderFixture {
  const fixture = providerFixtures.find((candidate) => candidate.adapter.name === name);
  if (!fixture) throw new Error(`no fixture for ${name}`);
  return fixture;
}

/** The start of a push on `stream` that began `agoSec` seconds before now. */
export function startOf(stream: string, agoSec = 30): CallbackSpec {
  return { kind: 'start', stream, sessionStartSec: nowSec - agoSec, timeSec: nowSec - agoSec };
}
