import * as v from 'valibot';
import { Rejection } from '../answer';
import { formRequest, type ProviderAdapter, type VendorSamples } from '../provider';
import type { EventKind } from '../record';

/** The fields nginx-rtmp sends itself; everything else in the body is the publisher's own query. */
const serverFields = new Set([
  'app',
  'flashver',
  'swfurl',
  'tcurl',
  'pageurl',
  'addr',
  'clientid',
  'call',
  'name',
  'type',
  'epoch',
]);

/** An nginx-rtmp-module `on_publish` / `on_publish_done` form body. */
export const NginxRtmpCallbackSchema = v.looseObject({
  call: v.picklist(['publish', 'publish_done']),
  app: v.string(),
  name: v.pipe(v.string(), v.minLength(1)),
  clientid: v.pipe(v.string(), v.regex(/^\d{1,20}$/)),
  tcurl: v.optional(v.string()),
  addr: v.optional(v.string()),
});

/** A validated nginx-rtmp callback. */
export type NginxRtmpCallback = v.InferOutput<typeof NginxRtmpCallbackSchema>;

const kinds = new Map<string, EventKind>([
  ['publish', 'start'],
  ['publish_done', 'stop'],
]);

/** The host (and port, when not 1935) the publisher connected to, from `tcurl`. */
function hostOf(tcurl: string | undefined): string {
  try {
    return tcurl ? new URL(tcurl.replace(/^rtmps?:/i, 'http:')).host.replace(/:1935$/, '') : '';
  } catch {
    return '';
  }
}

/**
 * nginx-rtmp-module callbacks (`POST /nginx-rtmp`, form body). The module cannot sign, so
 * the URL token is their authenticity; its answer to `on_publish` decides the push (2xx
 * lets it go on, anything else drops it). It never retries and sends `publish_done` only
 * for a push it let through, always after its `publish`.
 */
export const nginxRtmp: ProviderAdapter<NginxRtmpCallback> = {
  name: 'nginx-rtmp',
  method: 'POST',
  format: 'form',
  signed: false,
  pairByTime: true,

  kindOf(fields) {
    if (fields.call === undefined) throw new Rejection('missing_field', 'call is missing');
    // play, play_done, done, update, record_done and connect share the directive family.
    return kinds.get(String(fields.call)) ?? null;
  },

  schema: NginxRtmpCallbackSchema,

  normalize(message, kind) {
    // A loop, not entries / filter / fromEntries: a tenth of the time on a dozen fields.
    // Plain assignment is safe: valibot's looseObject drops `__proto__`, `constructor`
    // and `prototype`.
    const params: Record<string, string> = {};
    for (const name in message) {
      const value = message[name];
      if (!serverFields.has(name) && typeof value === 'string') params[name] = value;
    }
    return {
      kind,
      domain: hostOf(message.tcurl),
      app: message.app,
      stream: message.name,
      // `clientid` counts connections from 1 again after every nginx restart: it keeps
      // pairing apart within a stream, and the start's time makes the session unique.
      pairingKey: message.clientid,
      clientIp: message.addr,
      params,
    };
  },
};

/**
 * nginx-rtmp's sample callbacks, for the CLI, the bench and the tests (not in a bundle):
 * the module's own fields first, then the publisher's query as sent.
 */
export const nginxRtmpSamples: VendorSamples = {
  vendor: 'nginx-rtmp-module',
  sample: ({ kind, stream, sessionSec }) => ({
    app: 'live',
    flashver: 'FMLE/3.0 (compatible; Lavf60.16.100)',
    swfurl: '',
    tcurl: 'rtmp://127.0.0.1:19350/live',
    pageurl: '',
    addr: '198.51.100.20',
    // Connections are counted from 1 after every nginx restart.
    clientid: String(sessionSec % 1000),
    call: kind === 'start' ? 'publish' : 'publish_done',
    name: stream,
    ...(kind === 'start' ? { type: 'live' } : {}),
    room: '42',
    lang: 'en',
  }),
  otherEvents: () => [
    {
      app: 'live',
      tcurl: 'rtmp://127.0.0.1/live',
      addr: '127.0.0.1',
      clientid: '7',
      call: 'play',
      name: 's',
      start: '0',
      duration: '0',
      reset: '0',
    },
  ],
  // A form body, unsigned: the module's only authenticity is the URL token.
  sign: (fields) => formRequest(fields),
  exampleSecret: 'sample-token',
  probe: { required: 'name', mistyped: { field: 'clientid', value: 'first' } },
};
