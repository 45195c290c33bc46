import * as v from 'valibot';
import { Rejection } from '../answer';
import { jsonRequest, timeAsSent, type ProviderAdapter, type VendorSamples } from '../provider';
import { parseFormFields } from '../request';
import { md5Hex } from '../signature';
import { verifyKeyExpirySignature } from '../key-expiry-signature';
import { idField, unixSecondsField } from '../fields';

const integer = v.union([v.pipe(v.number(), v.integer()), v.pipe(v.string(), v.regex(/^-?\d+$/))]);

/** A Tencent Cloud CSS push (`event_type` 1) or interruption (`event_type` 0) callback. */
export const TencentCallbackSchema = v.object({
  event_type: integer,
  app: v.string(),
  appname: v.string(),
  stream_id: v.pipe(v.string(), v.minLength(1)),
  sequence: idField,
  event_time: v.optional(unixSecondsField),
  node: v.optional(v.string()),
  user_ip: v.optional(v.string()),
  stream_param: v.optional(v.string()),
  errcode: v.optional(integer),
  errmsg: v.optional(v.string()),
});

/** A validated Tencent callback. */
export type TencentCallback = v.InferOutput<typeof TencentCallbackSchema>;

/** Tencent Cloud CSS push and interruption callbacks (`POST /tencent`). */
export const tencent: ProviderAdapter<TencentCallback> = {
  name: 'tencent',
  method: 'POST',
  format: 'json',
  signed: true,
  // `t` is an expiry issued about 600 s ahead: allow 60 s of skew past it.
  defaultWindow: { past: 60, future: 660 },
  pairByTime: false,
  eventTimeField: 'event_time',
  secretFields: ['sign'],
  queryFields: ['stream_param'],

  verify(fields, { config, nowMs }) {
    verifyKeyExpirySignature(fields, config.keys, config.window, nowMs);
    return undefined;
  },

  kindOf(fields) {
    const type = fields.event_type;
    if (type === undefined) throw new Rejection('missing_field', 'event_type is missing');
    // 100 recording, 200 screenshot, 3xx and more share this channel: ignored.
    return String(type) === '1' ? 'start' : String(type) === '0' ? 'stop' : null;
  },

  schema: TencentCallbackSchema,

  normalize(message, kind) {
    return {
      kind,
      domain: message.app,
      app: message.appname,
      stream: message.stream_id,
      sessionId: message.sequence,
      occurredAtMs: message.event_time === undefined ? undefined : message.event_time * 1000,
      clientIp: message.user_ip,
      node: message.node,
      params: message.stream_param ? parseFormFields(message.stream_param) : undefined,
      reason:
        kind === 'stop' && message.errcode !== undefined
          ? { code: String(message.errcode), ...(message.errmsg ? { message: message.errmsg } : {}) }
          : undefined,
    };
  },
};

/** Tencent's sample callbacks and signer, for the CLI, the bench and the tests (not in a bundle). */
export const tencentSamples: VendorSamples = {
  vendor: 'Tencent Cloud CSS',
  sample: ({ kind, stream, sessionSec, timeSec }) => ({
    event_type: kind === 'start' ? 1 : 0,
    appid: 1250000001,
    app: 'push.example.com',
    appname: 'live',
    stream_id: stream,
    channel_id: stream,
    event_time: timeSec,
    sequence: String(sessionSec),
    node: '100.121.160.92',
    user_ip: '198.51.100.20',
    // The publisher's push URL authentication, forwarded by Tencent (stored redacted).
    stream_param: 'txSecret=40f38f69f6fa5a4e7cb6e2ef2e0b7b0b&txTime=5C2E1B7F',
    ...(kind === 'stop'
      ? { push_duration: String((timeSec - sessionSec) * 1000), errcode: 1, errmsg: 'recv rtmp deleteStream' }
      : {}),
    set_id: 2,
    width: 1280,
    height: 720,
    idc_id: 38,
  }),
  otherEvents: () => [
    {
      event_type: 100,
      appid: 1250000001,
      app: 'push.example.com',
      appname: 'live',
      stream_id: 'rec',
      channel_id: 'rec',
      file_id: '5285890784',
      video_url: 'http://example.com/rec.mp4',
    },
  ],
  sign(fields, { key, nowSec, signedTime }) {
    if (!key) return jsonRequest(fields);
    // `t` is an expiry: Tencent issues it about ten minutes ahead.
    const t = signedTime === undefined ? String(nowSec + 600) : signedTime;
    const sign = tencentSamples.signatureOf!(fields, key, t ?? '');
    return jsonRequest({ ...fields, ...(t === null ? {} : { t: timeAsSent(t) }), sign });
  },
  signatureOf: (_fields, key, t) => md5Hex(key + t),
  signature: { field: 'sign' },
  signedTime: { field: 't' },
  exampleSecret: 'abc123',
  probe: { required: 'stream_id', mistyped: { field: 'stream_id', value: 42 } },
};
