import * as v from 'valibot';
import { Rejection } from '../answer';
import { jsonRequest, timeAsSent, type ProviderAdapter, type VendorSamples } from '../provider';
import { parseFormFields } from '../request';
import { hmacSha256Hex, signedWithAnyKey } from '../signature';
import type { SignatureClaim } from '../provider';
import { unixSecondsField } from '../fields';
import { checkTimeWindow, type TimeWindow } from '../time-window';

/** A Huawei Cloud Live stream status notification (`PUBLISH` or `PUBLISH_DONE`). */
export const HuaweiCallbackSchema = v.object({
  event: v.picklist(['PUBLISH', 'PUBLISH_DONE']),
  domain: v.string(),
  app: v.string(),
  stream: v.pipe(v.string(), v.minLength(1)),
  publish_timestamp: unixSecondsField,
  auth_timestamp: v.optional(unixSecondsField),
  user_args: v.optional(v.string()),
  client_ip: v.optional(v.string()),
  node_ip: v.optional(v.string()),
});

/** A validated Huawei callback. */
export type HuaweiCallback = v.InferOutput<typeof HuaweiCallbackSchema>;

const asText = (value: unknown) => (typeof value === 'string' || typeof value === 'number' ? String(value) : '');

/**
 * Checks `auth_sign` = HMAC-SHA256(key, event + domain + app + stream + auth_timestamp)
 * for any configured key, and `auth_timestamp` against the window.
 *
 * The fields are joined with no separator, so one signature also fits every other split
 * of the same text (`room10` + `…` is `room1` + `0…`; `PUBLISH` + `_DONEpush…` is
 * `PUBLISH_DONE` + `push…`). Time fields must be canonical digits, and the returned claim
 * binds the signature to the whole identity, each field apart, plus `publish_timestamp`,
 * which it does not cover: presented again with anything else, it is a replay.
 */
export function verifyHuaweiSignature(
  fields: Record<string, unknown>,
  keys: readonly string[],
  window: TimeWindow,
  nowMs: number,
): SignatureClaim {
  // An unsigned callback is told so first: its missing time is a consequence.
  const authSign = fields.auth_sign;
  if (typeof authSign !== 'string' || authSign === '') throw new Rejection('missing_signature', 'auth_sign is missing');
  const authTimestamp = checkTimeWindow(fields.auth_timestamp, 'auth_timestamp', window, nowMs);
  const event = asText(fields.event);
  const domain = asText(fields.domain);
  const app = asText(fields.app);
  const stream = asText(fields.stream);
  const message = `${event}${domain}${app}${stream}${authTimestamp}`;
  if (!signedWithAnyKey(authSign, keys, (key) => hmacSha256Hex(key, message))) {
    throw new Rejection('bad_signature', 'auth_sign matches no configured key');
  }
  return {
    provider: 'huawei',
    signature: authSign,
    identity: JSON.stringify([event, domain, app, stream, asText(fields.publish_timestamp)]),
    // Past this the window refuses the signature anyway, so the guard may go.
    expiresAtMs: (authTimestamp + window.past) * 1000,
  };
}

/** Huawei Cloud Live stream status notifications (`POST /huawei`). */
export const huawei: ProviderAdapter<HuaweiCallback> = {
  name: 'huawei',
  method: 'POST',
  format: 'json',
  signed: true,
  // Documented as an expiry but shown as a send time: this window is right for both.
  defaultWindow: { past: 300, future: 660 },
  pairByTime: false,
  eventTimeField: 'publish_timestamp',
  secretFields: ['auth_sign'],
  queryFields: ['user_args'],

  verify: (fields, { config, nowMs }) => verifyHuaweiSignature(fields, config.keys, config.window, nowMs),

  kindOf(fields) {
    if (fields.event === undefined) throw new Rejection('missing_field', 'event is missing');
    return fields.event === 'PUBLISH' ? 'start' : fields.event === 'PUBLISH_DONE' ? 'stop' : null;
  },

  schema: HuaweiCallbackSchema,

  normalize(message, kind, nowMs) {
    const publishedMs = Number(message.publish_timestamp) * 1000;
    // The stop has no time of its own. `auth_timestamp` is a send time or an expiry,
    // so the earlier of it and our receive time is the closest we know, and never later.
    const stoppedMs = Math.min(
      message.auth_timestamp === undefined ? Infinity : Number(message.auth_timestamp) * 1000,
      nowMs,
    );
    return {
      kind,
      domain: message.domain,
      app: message.app,
      stream: message.stream,
      sessionId: String(message.publish_timestamp),
      occurredAtMs: kind === 'start' ? publishedMs : Math.max(publishedMs, stoppedMs),
      clientIp: message.client_ip,
      node: message.node_ip,
      params: message.user_args ? parseFormFields(message.user_args) : undefined,
    };
  },
};

/** Huawei's sample callbacks and signer, for the CLI, the bench and the tests (not in a bundle). */
export const huaweiSamples: VendorSamples = {
  vendor: 'Huawei Cloud Live',
  sample: ({ kind, stream, sessionSec }) => ({
    domain: 'push.example.com',
    app: 'live',
    stream,
    user_args: 'room=42&lang=en',
    client_ip: '198.51.100.20',
    node_ip: '100.64.0.9',
    publish_timestamp: String(sessionSec),
    event: kind === 'start' ? 'PUBLISH' : 'PUBLISH_DONE',
  }),
  otherEvents: () => [{ domain: 'push.example.com', app: 'live', stream: 's', event: 'TRANSCODE_READY' }],
  sign(fields, { key, nowSec, signedTime }) {
    if (!key) return jsonRequest(fields);
    const authTimestamp = signedTime === undefined ? String(nowSec) : signedTime;
    const authSign = huaweiSamples.signatureOf!(fields, key, authTimestamp ?? '');
    return jsonRequest({
      ...fields,
      ...(authTimestamp === null ? {} : { auth_timestamp: timeAsSent(authTimestamp) }),
      auth_sign: authSign,
    });
  },
  signatureOf: (fields, key, authTimestamp) =>
    hmacSha256Hex(
      key,
      ['event', 'domain', 'app', 'stream'].map((name) => String(fields[name] ?? '')).join('') + authTimestamp,
    ),
  signature: { field: 'auth_sign' },
  signedTime: { field: 'auth_timestamp' },
  signedTimeIsEventTime: true,
  exampleSecret: '0123456789abcdef0123456789abcdef',
  probe: { required: 'publish_timestamp', mistyped: { field: 'publish_timestamp', value: 'yesterday' } },
};
