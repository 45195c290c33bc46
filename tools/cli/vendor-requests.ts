import type { LambdaFunctionURLEvent } from 'aws-lambda';
import { functionUrlEvent } from '../local/function-url-event';
import type { EventKind } from '../../shared/record';
import { hmacSha256Hex, md5Hex } from '../../shared/signature';

/** A callback as a vendor sends it: method, query fields, headers and body. */
export interface VendorRequest {
  method: 'GET' | 'POST';
  query: Record<string, string>;
  headers: Record<string, string>;
  body?: string;
}

/** One push, in the terms the samples need. */
export interface SampleSpec {
  kind: EventKind;
  stream: string;
  /** The push session: Tencent's `sequence`, Huawei's `publish_timestamp` (Unix seconds). */
  session: string;
  nowSec: number;
}

/** How the CLI plays one vendor: a sample callback, and the request that carries it, signed. */
export interface VendorPlayer {
  sample(spec: SampleSpec): Record<string, unknown>;
  /** The vendor's request for `fields`, signed with `key` as of `nowSec` (unsigned without a key). */
  request(fields: Record<string, unknown>, key: string | undefined, nowSec: number): VendorRequest;
}

/** The query string a vendor request goes out with, the URL token (if any) first. */
export function queryWithToken(request: VendorRequest, token: string | undefined): string {
  return new URLSearchParams({ ...(token ? { token } : {}), ...request.query }).toString();
}

/** The Function URL event AWS builds when `request` reaches `/<provider>`. */
export function vendorEvent(
  provider: string,
  request: VendorRequest,
  token: string | undefined,
  now?: Date,
): LambdaFunctionURLEvent {
  return functionUrlEvent({
    method: request.method,
    path: `/${provider}`,
    rawQuery: queryWithToken(request, token),
    headers: request.headers,
    ...(request.body ? { body: Buffer.from(request.body) } : {}),
    ...(now ? { now } : {}),
  });
}

const domain = 'push.example.com';
const json = (fields: Record<string, unknown>): VendorRequest => ({
  method: 'POST',
  query: {},
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(fields),
});

/** The vendors as the CLI's `sign` and `send` play them, signing as providers.md describes. */
export const vendorPlayers: Readonly<Record<string, VendorPlayer>> = {
  alibaba: {
    sample: ({ kind, stream, nowSec }) => ({
      action: kind === 'start' ? 'publish' : 'publish_done',
      ip: '127.0.0.1',
      id: stream,
      app: domain,
      appname: 'live',
      time: String(nowSec),
      usrargs: 'from=livehooks-cli',
      node: 'local',
    }),
    request(fields, key, nowSec) {
      const query = Object.fromEntries(Object.entries(fields).map(([name, value]) => [name, String(value)]));
      const signature = key && md5Hex(`${query.app ?? ''}|${nowSec}|${key}`);
      const headers: Record<string, string> = signature
        ? { 'ALI-LIVE-TIMESTAMP': String(nowSec), 'ALI-LIVE-SIGNATURE': signature }
        : {};
      return { method: 'GET', query, headers };
    },
  },
  tencent: {
    sample: ({ kind, stream, session, nowSec }) => ({
      event_type: kind === 'start' ? 1 : 0,
      appid: 1250000000,
      app: domain,
      appname: 'live',
      stream_id: stream,
      channel_id: stream,
      event_time: nowSec,
      sequence: session,
      node: '127.0.0.1',
      user_ip: '127.0.0.1',
      stream_param: 'from=livehooks-cli',
      ...(kind === 'stop' ? { errcode: 1, errmsg: 'recv rtmp deleteStream' } : {}),
    }),
    request(fields, key, nowSec) {
      // `t` is an expiry: Tencent issues it about ten minutes ahead.
      const t = nowSec + 600;
      return json(key ? { ...fields, t, sign: md5Hex(key + t) } : fields);
    },
  },
  huawei: {
    sample: ({ kind, stream, session }) => ({
      domain,
      app: 'live',
      stream,
      user_args: 'from=livehooks-cli',
      client_ip: '127.0.0.1',
      node_ip: '127.0.0.1',
      publish_timestamp: session,
      event: kind === 'start' ? 'PUBLISH' : 'PUBLISH_DONE',
    }),
    request(fields, key, nowSec) {
      if (!key) return json(fields);
      const message = ['event', 'domain', 'app', 'stream'].map((name) => String(fields[name] ?? '')).join('') + nowSec;
      return json({ ...fields, auth_timestamp: nowSec, auth_sign: hmacSha256Hex(key, message) });
    },
  },
  jdcloud: {
    sample: ({ kind, stream, nowSec }) => ({
      version: 'v1.1',
      publishDomain: domain,
      appName: 'live',
      streamName: stream,
      event: kind === 'start' ? 'publish_started' : 'publish_done',
      status: 'success',
      clientIp: '127.0.0.1',
      eventTime: nowSec * 1000,
      pushParams: { from: 'livehooks-cli' },
    }),
    // JD Cloud cannot sign: its only authenticity is the URL token.
    request: (fields) => json(fields),
  },
  'nginx-rtmp': {
    sample: ({ kind, stream, session }) => ({
      app: 'live',
      flashver: 'FMLE/3.0 (compatible; livehooks-cli)',
      swfurl: '',
      tcurl: 'rtmp://127.0.0.1/live',
      pageurl: '',
      addr: '127.0.0.1',
      clientid: session,
      call: kind === 'start' ? 'publish' : 'publish_done',
      name: stream,
      ...(kind === 'start' ? { type: 'live' } : {}),
      from: 'livehooks-cli',
    }),
    // A form body, unsigned: nginx-rtmp's only authenticity is the URL token.
    request: (fields) => ({
      method: 'POST',
      query: {},
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields as Record<string, string>).toString(),
    }),
  },
  srs: {
    sample: ({ kind, stream, session }) => ({
      action: kind === 'start' ? 'on_publish' : 'on_unpublish',
      client_id: `cli${session}`,
      ip: '127.0.0.1',
      vhost: '__defaultVhost__',
      app: 'live',
      tcUrl: 'rtmp://127.0.0.1/live',
      stream,
      param: '?from=livehooks-cli',
      stream_url: `/live/${stream}`,
    }),
    // SRS cannot sign either: the URL token.
    request: (fields) => json(fields),
  },
};
