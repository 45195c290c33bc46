import * as v from 'valibot';
import { Rejection } from '../answer';
import { jsonRequest, type ProviderAdapter, type VendorSamples } from '../provider';
import type { EventKind } from '../record';
import { idField } from '../fields';
import { parseFormFields } from '../request';

/** An SRS `http_hooks` `on_publish` / `on_unpublish` callback. */
export const SrsCallbackSchema = v.object({
  action: v.picklist(['on_publish', 'on_unpublish']),
  client_id: idField,
  vhost: v.string(),
  app: v.string(),
  stream: v.pipe(v.string(), v.minLength(1)),
  ip: v.optional(v.string()),
  param: v.optional(v.string()),
  server_id: v.optional(v.string()),
  stream_id: v.optional(v.string()),
});

/** A validated SRS callback. */
export type SrsCallback = v.InferOutput<typeof SrsCallbackSchema>;

const kinds = new Map<string, EventKind>([
  ['on_publish', 'start'],
  ['on_unpublish', 'stop'],
]);

/**
 * SRS HTTP hooks (`POST /srs`). SRS cannot sign, so the URL token is their authenticity.
 * It allows a push only on status 200 with `{"code":0}`, which is our accepted answer.
 */
export const srs: ProviderAdapter<SrsCallback> = {
  name: 'srs',
  method: 'POST',
  format: 'json',
  signed: false,
  queryFields: ['param'],
  pairByTime: false,

  kindOf(fields) {
    if (fields.action === undefined) throw new Rejection('missing_field', 'action is missing');
    // on_connect, on_close, on_play, on_stop, on_dvr, on_hls, ... are acknowledged.
    return kinds.get(String(fields.action)) ?? null;
  },

  schema: SrsCallbackSchema,

  normalize(message, kind) {
    return {
      kind,
      domain: message.vhost,
      app: message.app,
      stream: message.stream,
      // A random id per connection, so it stays unique across SRS restarts.
      sessionId: message.client_id,
      clientIp: message.ip,
      params: message.param ? parseFormFields(message.param.replace(/^\?/, '')) : undefined,
    };
  },
};

/** SRS's sample callbacks, for the CLI, the bench and the tests (not in a bundle). */
export const srsSamples: VendorSamples = {
  vendor: 'SRS',
  sample: ({ kind, stream, sessionSec }) => ({
    server_id: 'vid-0xk989d',
    service_id: 'ksk2l5ek',
    action: kind === 'start' ? 'on_publish' : 'on_unpublish',
    // Random per connection at SRS; made from the push's start here.
    client_id: `c${sessionSec.toString(36)}`,
    ip: '198.51.100.20',
    vhost: '__defaultVhost__',
    app: 'live',
    tcUrl: 'rtmp://127.0.0.1:1935/live',
    stream,
    param: '?room=42&lang=en',
    stream_url: `/live/${stream}`,
    stream_id: 'vid-124q9y3',
  }),
  otherEvents: () => [
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
  ],
  // SRS cannot sign: the URL token.
  sign: (fields) => jsonRequest(fields),
  exampleSecret: 'sample-token',
  probe: { required: 'client_id', mistyped: { field: 'stream', value: ['s'] } },
};
