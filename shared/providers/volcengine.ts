import * as v from 'valibot';
import { Rejection } from '../answer';
import { idField, unixMillisField, unixSecondsField } from '../fields';
import { verifyKeyExpirySignature } from '../key-expiry-signature';
import { jsonRequest, timeAsSent, type ProviderAdapter, type VendorSamples } from '../provider';
import { parseFormFields } from '../request';
import { md5Hex } from '../signature';

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The object that holds a callback's own fields: `data` of the envelope the vendor's examples
 * show (`{code, message, data: {…, sign, t, detail: {…}}}`), or the body itself, as its field
 * tables list them (docs/vendors.md).
 */
const callbackOf = (fields: Record<string, unknown>) => (isObject(fields.data) ? fields.data : fields);

/** A callback's fields in one object: `detail`'s (session, times, addresses) beside the stream's. */
function flatten(fields: Record<string, unknown>): Record<string, unknown> {
  const callback = callbackOf(fields);
  return isObject(callback.detail) ? { ...callback, ...callback.detail } : callback;
}

const integer = v.union([v.pipe(v.number(), v.integer()), v.pipe(v.string(), v.regex(/^-?\d{1,9}$/))]);

/** A Volcengine / BytePlus Live push start (`push_start`) or end (`push_end`), flattened. */
const PushCallback = v.object({
  vhost: v.optional(v.string()),
  domain: v.string(),
  app: v.string(),
  stream: v.pipe(v.string(), v.minLength(1)),
  session_id: idField,
  sequence_id: v.optional(idField),
  time: v.optional(unixSecondsField),
  time_ms: v.optional(unixMillisField),
  priority: v.optional(integer),
  backup_count: v.optional(integer),
  transcoded: v.optional(v.boolean()),
  fp_node_ip: v.optional(v.string()),
  fp_client_ip: v.optional(v.string()),
  fp_user_url: v.optional(v.string()),
});

/** A Volcengine / BytePlus Live push callback, enveloped or flat, as one object. */
export const VolcengineCallbackSchema = v.pipe(v.record(v.string(), v.unknown()), v.transform(flatten), PushCallback);

/** A validated Volcengine / BytePlus callback. */
export type VolcengineCallback = v.InferOutput<typeof VolcengineCallbackSchema>;

const kinds = new Map<string, 'start' | 'stop'>([
  ['push_start', 'start'],
  ['push_end', 'stop'],
]);

/** The publisher's URL parameters: `fp_user_url` is a query string, or a URL ending in one. */
const userParams = (url: string | undefined) => {
  const query = url?.slice(url.indexOf('?') + 1);
  return query ? parseFormFields(query) : undefined;
};

/**
 * Volcengine Live and its international twin BytePlus MediaLive (`POST /volcengine`): one
 * callback format, `sign` = md5(AuthKeyPrimary + t) with `t` an expiry, the scheme Tencent
 * uses. Each ingest of a name (primary and backup) is its own push, told apart by
 * `session_id`.
 */
export const volcengine: ProviderAdapter<VolcengineCallback> = {
  name: 'volcengine',
  method: 'POST',
  format: 'json',
  signed: true,
  // `t` is an expiry issued 10 minutes ahead: allow 60 s of skew past it.
  defaultWindow: { past: 60, future: 660 },
  pairByTime: false,
  eventTimeField: 'time_ms',
  secretFields: ['sign'],
  queryFields: ['fp_user_url'],

  verify(fields, { config, nowMs }) {
    verifyKeyExpirySignature(callbackOf(fields), config.keys, config.window, nowMs);
    return undefined;
  },

  kindOf(fields) {
    const type = callbackOf(fields).event_type;
    if (type === undefined) throw new Rejection('missing_field', 'event_type is missing');
    // Recording, snapshot and moderation callbacks may share the URL: ignored.
    return typeof type === 'string' ? (kinds.get(type) ?? null) : null;
  },

  schema: VolcengineCallbackSchema,

  normalize(message, kind) {
    const occurredAtMs = message.time_ms ?? (message.time === undefined ? undefined : message.time * 1000);
    return {
      kind,
      domain: message.domain,
      app: message.app,
      stream: message.stream,
      sessionId: message.session_id,
      occurredAtMs,
      clientIp: message.fp_client_ip,
      node: message.fp_node_ip,
      params: userParams(message.fp_user_url),
    };
  },
};

/** Volcengine's sample callbacks and signer, for the CLI, the bench and the tests (not in a bundle). */
export const volcengineSamples: VendorSamples = {
  vendor: 'Volcengine Live / BytePlus MediaLive',
  // The field tables' flat form; the envelope of the vendor's examples is in events/volcengine/.
  sample: ({ kind, stream, sessionSec, timeSec }) => ({
    vhost: 'push.example.com',
    domain: 'push.example.com',
    app: 'live',
    stream,
    event_type: kind === 'start' ? 'push_start' : 'push_end',
    priority: 0,
    backup_count: '1',
    time: timeSec,
    time_ms: timeSec * 1000,
    transcoded: false,
    fp_node_ip: '192.0.2.10',
    fp_client_ip: '198.51.100.20',
    // The publisher's push URL authentication, forwarded by the vendor (stored redacted).
    fp_user_url: 'volcTime=1796558400&volcSecret=e5bb77201cbaa2f9ccdd316fcda4c212',
    session_id: `${sessionSec}_1`,
    sequence_id: `${sessionSec}_1_0`,
  }),
  otherEvents: () => [
    {
      vhost: 'push.example.com',
      domain: 'push.example.com',
      app: 'live',
      stream: 'rec',
      event_type: 'record',
    },
  ],
  sign(fields, { key, nowSec, signedTime }) {
    if (!key) return jsonRequest(fields);
    // `t` is an expiry: the vendor issues it ten minutes ahead.
    const t = signedTime === undefined ? String(nowSec + 600) : signedTime;
    const signed = {
      ...(t === null ? {} : { t: timeAsSent(t) }),
      sign: volcengineSamples.signatureOf!(fields, key, t ?? ''),
    };
    // In the envelope `sign` and `t` sit in `data`, beside the event type.
    return jsonRequest(
      isObject(fields.data) ? { ...fields, data: { ...fields.data, ...signed } } : { ...fields, ...signed },
    );
  },
  signatureOf: (_fields, key, t) => md5Hex(key + t),
  signature: { field: 'sign' },
  signedTime: { field: 't' },
  exampleSecret: 'volc-callback-key',
  probe: { required: 'session_id', mistyped: { field: 'stream', value: 42 } },
};
