import * as v from 'valibot';
import { Rejection } from '../answer';
import type { ProviderAdapter, VendorSamples } from '../provider';
import { parseFormFields } from '../request';
import { matchesAnySignature, md5Hex } from '../signature';
import { unixSecondsField } from '../fields';
import { checkTimeWindow, type TimeWindow } from '../time-window';

/** An Alibaba Cloud ApsaraVideo Live ingest callback (`publish` or `publish_done`), from its query string. */
export const AlibabaCallbackSchema = v.object({
  action: v.picklist(['publish', 'publish_done']),
  id: v.pipe(v.string(), v.minLength(1)),
  app: v.string(),
  appname: v.string(),
  time: unixSecondsField,
  ip: v.optional(v.string()),
  usrargs: v.optional(v.string()),
  node: v.optional(v.string()),
});

/** A validated Alibaba callback. */
export type AlibabaCallback = v.InferOutput<typeof AlibabaCallbackSchema>;

/**
 * Checks the `ALI-LIVE-SIGNATURE` header = md5(`domain|timestamp|key`) against every
 * configured key and ingest domain (or, with none configured, the callback's own `app`),
 * and the `ALI-LIVE-TIMESTAMP` header, a send time, against the window.
 */
export function verifyAlibabaSignature(
  headers: Readonly<Record<string, string>>,
  domains: readonly string[],
  keys: readonly string[],
  window: TimeWindow,
  nowMs: number,
): void {
  // An unsigned callback is told so first: its missing time is a consequence.
  const signature = headers['ali-live-signature'];
  if (!signature) throw new Rejection('missing_signature', 'the ALI-LIVE-SIGNATURE header is missing');
  const timestamp = headers['ali-live-timestamp'];
  checkTimeWindow(timestamp, 'ALI-LIVE-TIMESTAMP', window, nowMs);
  const expected = domains.flatMap((domain) => keys.map((key) => md5Hex(`${domain}|${timestamp}|${key}`)));
  if (!matchesAnySignature(signature, expected)) {
    throw new Rejection('bad_signature', 'ALI-LIVE-SIGNATURE matches no configured key and domain');
  }
}

/** Alibaba Cloud ApsaraVideo Live stream ingest callbacks (`GET /alibaba`). */
export const alibaba: ProviderAdapter<AlibabaCallback> = {
  name: 'alibaba',
  method: 'GET',
  format: 'query',
  signed: true,
  queryFields: ['usrargs'],
  // ALI-LIVE-TIMESTAMP is a send time: five minutes of age, one minute of clock skew.
  defaultWindow: { past: 300, future: 60 },
  pairByTime: true,
  eventTimeField: 'time',
  // The vendor's docs say stream names are lower-case; pair them whatever case arrives.
  foldStreamCase: true,

  verify(fields, { request, config, nowMs }) {
    const ownDomain = typeof fields.app === 'string' ? [fields.app] : [];
    const domains = config.domains.length > 0 ? config.domains : ownDomain;
    verifyAlibabaSignature(request.headers, domains, config.keys, config.window, nowMs);
    return undefined;
  },

  kindOf(fields) {
    if (fields.action === undefined) throw new Rejection('missing_field', 'action is missing');
    return fields.action === 'publish' ? 'start' : fields.action === 'publish_done' ? 'stop' : null;
  },

  schema: AlibabaCallbackSchema,

  normalize(message, kind) {
    return {
      kind,
      domain: message.app,
      app: message.appname,
      stream: message.id,
      occurredAtMs: Number(message.time) * 1000,
      clientIp: message.ip,
      node: message.node,
      params: message.usrargs ? parseFormFields(message.usrargs) : undefined,
    };
  },
};

/** Alibaba's sample callbacks and signer, for the CLI, the bench and the tests (not in a bundle). */
export const alibabaSamples: VendorSamples = {
  vendor: 'Alibaba ApsaraVideo Live',
  sample: ({ kind, stream, timeSec }) => ({
    action: kind === 'start' ? 'publish' : 'publish_done',
    ip: '198.51.100.20',
    id: stream,
    app: 'push.example.com',
    appname: 'live',
    time: String(timeSec),
    usrargs: 'vhost=push.example.com&room=42',
    node: 'cdnvideocenter010207116011.cm3',
    // The first callback of a push only.
    ...(kind === 'start' ? { height: '720', width: '1280' } : {}),
  }),
  otherEvents: ({ timeSec }) => [
    { action: 'record_done', id: 's', app: 'push.example.com', appname: 'live', time: String(timeSec) },
  ],
  sign(fields, { key, nowSec, signedTime }) {
    const query = Object.fromEntries(Object.entries(fields).map(([name, value]) => [name, String(value)]));
    if (!key) return { method: 'GET', query, headers: {} };
    const timestamp = signedTime === undefined ? String(nowSec) : signedTime;
    const signature = alibabaSamples.signatureOf!(fields, key, timestamp ?? '');
    return {
      method: 'GET',
      query,
      headers: { ...(timestamp === null ? {} : { 'ALI-LIVE-TIMESTAMP': timestamp }), 'ALI-LIVE-SIGNATURE': signature },
    };
  },
  // Over the callback's own `app`, the domain a receiver with no LIVEHOOKS_ALIBABA_DOMAINS checks.
  signatureOf: (fields, key, timestamp) => md5Hex(`${String(fields.app ?? '')}|${timestamp}|${key}`),
  signature: { header: 'ali-live-signature' },
  signedTime: { header: 'ali-live-timestamp' },
  exampleSecret: 'yourkey',
  probe: { required: 'id', mistyped: { field: 'time', value: 'yesterday' } },
};
