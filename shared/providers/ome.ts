import * as v from 'valibot';
import { Rejection } from '../answer';
import { jsonRequest, type ProviderAdapter, type VendorSamples } from '../provider';
import type { EventKind } from '../record';
import { parseFormFields } from '../request';
import { hmacSha1Base64Url, matchesAnyExactly } from '../signature';
import { rfc3339Field } from '../fields';

/** The parts of a publish URL OvenMediaEngine reports: `scheme://host[:port]/app/stream[?query]`. */
export interface PublishUrl {
  host: string;
  app: string;
  stream: string;
  query: string;
}

/**
 * How many path components each protocol OME asks about may have: the stream is always
 * component 2 (`Url::Stream()`, after the empty one before the first `/`). RTMP sets
 * the publish name as component 2 as it is, `/` included, over a tcUrl that may have had
 * more components: `/app/a/b` is either the name `a/b` or `a`, and is refused. SRT and
 * WebRTC (WebSocket signalling and WHIP) parse the URL, and read component 2 whatever
 * follows it (`/app/evil/x-hd` publishes `evil`). OME asks about no other protocol's
 * publish (`StringFromProviderType`, src/base/common_types.h).
 */
const pathComponents: Readonly<Record<string, { min: number; max: number }>> = {
  rtmp: { min: 3, max: 3 },
  srt: { min: 3, max: Infinity },
  webrtc: { min: 3, max: Infinity },
};

/** A scheme as RFC 3986 writes it, then `://`. */
const schemeStart = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//;

/** Optional `id:password@`, a host (a bracketed IPv6 address or a name), an optional port. */
const authorityPattern = /^(?:[^:@/?#[\]]+:[^:@/?#[\]]+@)?(\[[0-9A-Za-z:.]+\]|[^:@/?#[\]]+)(?::\d{1,5})?$/;

/** Characters OME's parse could read otherwise: controls (PCRE2's `.` stops at `\n`). */
// eslint-disable-next-line no-control-regex -- control characters are what it finds
const controlCharacter = /[\u0000-\u001f\u007f]/;

/**
 * The app, stream, host and query OME published, read from the admission request's `url`
 * (`requested_url->ToUrlString(true)`) exactly as OME's `ov::Url` holds them, or undefined
 * where OME's own parse (`Url::Parse`, one unanchored regular expression with a greedy
 * scheme and userinfo) could read the text otherwise: a control character, a second
 * `://`, an `@` outside one `id:password@` before the host, a host with `#`, an empty app
 * or stream, or a path whose components the protocol reads otherwise (see
 * {@link pathComponents}). The path is never decoded (OME does not): `%23` and `#` are
 * two names. The host loses its user info and port, and is lower-cased; the query is
 * everything after the first `?`. Linear in the URL's length, no backtracking.
 * OvenMediaEngine 37b3fc3: src/base/ovlibrary/url.cpp and the providers it is read in
 * (docs/security.md, "OvenMediaEngine's URLs").
 */
export function publishUrlOf(url: string, protocol: string): PublishUrl | undefined {
  const components = pathComponents[protocol.toLowerCase()];
  if (!components || controlCharacter.test(url)) return undefined;
  const scheme = schemeStart.exec(url);
  if (!scheme || url.includes('://', scheme[0].length)) return undefined;
  const rest = url.slice(scheme[0].length);
  const question = rest.indexOf('?');
  const beforeQuery = question === -1 ? rest : rest.slice(0, question);
  const pathStart = beforeQuery.indexOf('/');
  if (pathStart === -1 || rest.includes('@', pathStart)) return undefined;
  const authority = authorityPattern.exec(beforeQuery.slice(0, pathStart));
  if (!authority) return undefined;
  const path = beforeQuery.slice(pathStart).split('/');
  if (path.length < components.min || path.length > components.max) return undefined;
  const [, app, stream] = path as [string, string, string];
  if (app === '' || stream === '') return undefined;
  return { host: authority[1]!.toLowerCase(), app, stream, query: question === -1 ? '' : rest.slice(question + 1) };
}

/** An OvenMediaEngine AdmissionWebhooks request about a publish (`direction` `incoming`). */
export const OmeAdmissionSchema = v.object({
  client: v.object({
    address: v.pipe(v.string(), v.minLength(1)),
    port: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(65535)),
    /** X-Real-IP or X-Forwarded-For where the protocol has headers, else the address. */
    real_ip: v.optional(v.string()),
  }),
  request: v.pipe(
    v.object({
      direction: v.literal('incoming'),
      status: v.picklist(['opening', 'closing']),
      protocol: v.string(),
      url: v.pipe(v.string(), v.maxLength(4096)),
      time: rfc3339Field,
    }),
    v.forward(
      v.check(
        ({ url, protocol }) => publishUrlOf(url, protocol) !== undefined,
        'expected scheme://host/app/stream of RTMP, SRT or WebRTC, read by OvenMediaEngine one way only',
      ),
      ['url'],
    ),
  ),
});

/** A validated OvenMediaEngine admission request. */
export type OmeAdmission = v.InferOutput<typeof OmeAdmissionSchema>;

const kinds = new Map<unknown, EventKind>([
  ['opening', 'start'],
  ['closing', 'stop'],
]);

/**
 * OvenMediaEngine AdmissionWebhooks (`POST /ome`). OME asks before every publish and
 * playback and reports their ends; it admits a publish only on a 200 answer whose JSON
 * has `allowed: true`, and never retries. Publishes (`incoming`) are recorded; playbacks
 * (`outgoing`) are allowed and not recorded. `X-OME-Signature` = unpadded base64url
 * HMAC-SHA1(secret key, raw body). OME sends no session value: a closing belongs to the
 * latest opening from the same client address and port.
 */
export const ome: ProviderAdapter<OmeAdmission> = {
  name: 'ome',
  method: 'POST',
  format: 'json',
  signed: true,
  pairByTime: true,
  eventTimeField: 'time',
  endsRefusedPushes: true,

  verify(_fields, { request, config }) {
    const signature = request.headers['x-ome-signature'];
    if (!signature) throw new Rejection('missing_signature', 'the X-OME-Signature header is missing');
    // base64url is case-sensitive: compared exactly, never lower-cased.
    const expected = config.keys.map((key) => hmacSha1Base64Url(key, request.body));
    if (!matchesAnyExactly(signature, expected)) {
      throw new Rejection('bad_signature', 'X-OME-Signature matches no configured secret key');
    }
    return undefined;
  },

  kindOf(fields) {
    const request = fields.request;
    if (request === undefined) throw new Rejection('missing_field', 'request is missing');
    if (typeof request !== 'object' || request === null)
      throw new Rejection('bad_field', 'request: expected an object');
    const { direction, status } = request as Record<string, unknown>;
    if (status === undefined) throw new Rejection('missing_field', 'request.status is missing');
    // Playback (`outgoing`) is allowed and not recorded.
    return direction === 'incoming' ? (kinds.get(status) ?? null) : null;
  },

  schema: OmeAdmissionSchema,

  normalize({ client, request }, kind) {
    const { host, app, stream, query } = publishUrlOf(request.url, request.protocol)!;
    return {
      kind,
      domain: host,
      app,
      stream,
      pairingKey: `${client.address}:${client.port}`,
      occurredAtMs: request.time,
      clientIp: client.real_ip || client.address,
      params: query ? parseFormFields(query) : undefined,
    };
  },

  // OME reads `allowed` (a JSON boolean) from a 200 answer to an opening, and only that
  // the answer is JSON for a closing (admission_webhooks.cpp, ParseResponse). A name
  // outside ALLOW_STREAMS is refused the way OME logs: 200, `allowed: false`, the reason.
  // A publish stored whose notification failed is admitted, the answer agreeing with the
  // table: OME never retries, and a refusal would leave the table saying live for a
  // publish OME refused. The failure is logged and counted as ever (docs/security.md).
  answer({ statusCode, headers, body }, stored) {
    const result = JSON.parse(body as string) as { reason?: string };
    const allowed = statusCode === 200 || stored;
    return {
      statusCode: allowed || result.reason === 'stream_not_allowed' ? 200 : statusCode,
      headers,
      body: JSON.stringify({ allowed, ...result }),
    };
  },
};

/** OvenMediaEngine's sample admission requests, for the CLI, the bench and the tests (not in a bundle). */
export const omeSamples: VendorSamples = {
  vendor: 'OvenMediaEngine',
  // OME writes compact JSON, keys in order (jsoncpp), the time in the server's zone.
  sample: ({ kind, stream, sessionSec, timeSec }) => ({
    client: { address: '198.51.100.20', port: 40000 + (sessionSec % 20000), real_ip: '198.51.100.20' },
    request: {
      direction: 'incoming',
      ...(kind === 'stop' ? { new_url: `rtmp://ome.example.com:1935/app/${stream}?room=42&token=8f2b1c` } : {}),
      protocol: 'RTMP',
      status: kind === 'start' ? 'opening' : 'closing',
      time: new Date(timeSec * 1000).toISOString().replace('Z', '+00:00'),
      url: `rtmp://ome.example.com:1935/app/${stream}?room=42&token=8f2b1c`,
    },
  }),
  otherEvents: ({ timeSec }) => [
    {
      client: {
        address: '203.0.113.7',
        port: 51234,
        real_ip: '192.0.2.43',
        user_agent:
          'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36',
      },
      request: {
        direction: 'outgoing',
        protocol: 'LLHLS',
        status: 'opening',
        time: new Date(timeSec * 1000).toISOString().replace('Z', '+00:00'),
        url: 'https://ome.example.com:3334/app/studio/llhls.m3u8',
      },
    },
  ],
  sign(fields, { key }) {
    const request = jsonRequest(fields);
    if (!key) return request;
    return { ...request, headers: { ...request.headers, 'x-ome-signature': hmacSha1Base64Url(key, request.body!) } };
  },
  signatureOf: (fields, key) => hmacSha1Base64Url(key, JSON.stringify(fields)),
  signature: { header: 'x-ome-signature', caseSensitive: true },
  exampleSecret: 'ome-secret-key',
  probe: { required: 'client.port', mistyped: { field: 'client', value: '198.51.100.20' } },
};
