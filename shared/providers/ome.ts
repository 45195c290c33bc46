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
 * One pass over the URL, no backtracking (a name is the sender's): scheme, authority,
 * path, query. The host loses its user info and port, and is lower-cased (host names are
 * case-insensitive; OME fills the port in when the encoder left it out). The app is the
 * first path segment and the stream all the rest, as sent, never decoded: two different
 * URLs never make one stream.
 */
export function publishUrlOf(url: string): PublishUrl | undefined {
  const scheme = url.indexOf('://');
  if (scheme < 1) return undefined;
  const end = url.search(/[?#]/);
  const beforeQuery = end === -1 ? url : url.slice(0, end);
  const query = end !== -1 && url[end] === '?' ? url.slice(end + 1).split('#', 1)[0]! : '';
  const pathStart = beforeQuery.indexOf('/', scheme + 3);
  if (pathStart === -1) return undefined;
  const authority = beforeQuery.slice(scheme + 3, pathStart);
  const host = authority
    .slice(authority.lastIndexOf('@') + 1)
    .replace(/:\d*$/, '')
    .toLowerCase();
  const path = beforeQuery.slice(pathStart + 1);
  const slash = path.indexOf('/');
  if (slash < 1 || slash === path.length - 1) return undefined;
  return { host, app: path.slice(0, slash), stream: path.slice(slash + 1), query };
}

/** An OvenMediaEngine AdmissionWebhooks request about a publish (`direction` `incoming`). */
export const OmeAdmissionSchema = v.object({
  client: v.object({
    address: v.pipe(v.string(), v.minLength(1)),
    port: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(65535)),
    /** X-Real-IP or X-Forwarded-For where the protocol has headers, else the address. */
    real_ip: v.optional(v.string()),
  }),
  request: v.object({
    direction: v.literal('incoming'),
    status: v.picklist(['opening', 'closing']),
    protocol: v.string(),
    url: v.pipe(
      v.string(),
      v.maxLength(4096),
      v.check((url) => publishUrlOf(url) !== undefined, 'expected scheme://host/app/stream'),
    ),
    time: rfc3339Field,
  }),
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
    const { host, app, stream, query } = publishUrlOf(request.url)!;
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
  answer({ statusCode, headers, body }) {
    const result = JSON.parse(body as string) as { reason?: string };
    return {
      statusCode: result.reason === 'stream_not_allowed' ? 200 : statusCode,
      headers,
      body: JSON.stringify({ allowed: statusCode === 200, ...result }),
    };
  },
};

/** OvenMediaEngine's sample admission requests, for the CLI, the bench and the tests (not in a bundle). */
export const omeSamples: VendorSamples = {
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
