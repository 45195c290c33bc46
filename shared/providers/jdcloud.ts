import * as v from 'valibot';
import { jsonRequest, type ProviderAdapter, type VendorSamples } from '../provider';
import type { EventKind } from '../record';
import { unixMillisField } from '../fields';

const name = v.pipe(v.string(), v.minLength(1));

/** A JD Cloud Live push callback in the "v1.1" format. */
const CurrentFormat = v.object({
  publishDomain: v.string(),
  appName: v.string(),
  streamName: name,
  eventTime: v.optional(unixMillisField),
  clientIp: v.optional(v.string()),
  pushParams: v.optional(v.record(v.string(), v.union([v.string(), v.number(), v.boolean()]))),
});

/** The older format, with short field names. */
const OlderFormat = v.object({
  domain: v.string(),
  app: v.string(),
  stream: name,
  errorMsg: v.optional(v.string()),
});

/** A JD Cloud Live push callback, either format. */
export const JdcloudCallbackSchema = v.union([CurrentFormat, OlderFormat]);

/** A validated JD Cloud callback. */
export type JdcloudCallback = v.InferOutput<typeof JdcloudCallbackSchema>;

const kinds = new Map<string, EventKind>([
  ['publish_started', 'start'],
  ['publish', 'start'],
  ['publish_done', 'stop'],
]);

/**
 * JD Cloud Live push callbacks (`POST /jdcloud`). The vendor cannot sign them (its
 * configuration takes only a URL), so the URL token is their only authenticity.
 */
export const jdcloud: ProviderAdapter<JdcloudCallback> = {
  name: 'jdcloud',
  method: 'POST',
  format: 'json',
  signed: false,
  pairByTime: true,
  eventTimeField: 'eventTime',

  kindOf(fields) {
    // Snapshot callbacks have no `event`; recordings send `record_done`: both ignored.
    const event = typeof fields.event === 'string' ? fields.event.trim().toLowerCase() : '';
    return kinds.get(event) ?? null;
  },

  schema: JdcloudCallbackSchema,

  normalize(message, kind) {
    if ('domain' in message) {
      return { kind, domain: message.domain, app: message.app, stream: message.stream };
    }
    const params = message.pushParams
      ? Object.fromEntries(Object.entries(message.pushParams).map(([key, value]) => [key, String(value)]))
      : undefined;
    return {
      kind,
      domain: message.publishDomain,
      app: message.appName,
      stream: message.streamName,
      occurredAtMs: message.eventTime,
      clientIp: message.clientIp,
      params,
    };
  },
};

/** JD Cloud's sample callbacks, for the CLI, the bench and the tests (not in a bundle). */
export const jdcloudSamples: VendorSamples = {
  vendor: 'JD Cloud Live',
  sample: ({ kind, stream, timeSec }) => ({
    version: 'v1.1',
    publishDomain: 'push.example.com',
    appName: 'live',
    streamName: stream,
    event: kind === 'start' ? 'publish_started' : 'publish_done',
    status: 'success',
    clientIp: '198.51.100.20',
    eventTime: timeSec * 1000,
    pushParams: { room: '42', lang: 'en' },
  }),
  otherEvents: () => [
    {
      version: 'v1.1',
      publishDomain: 'push.example.com',
      appName: 'live',
      streamName: 's',
      event: 'record_done',
      status: 'success',
    },
    // A snapshot callback has no `event` at all.
    { publishDomain: 'push.example.com', appName: 'live', streamName: 's', imageUrl: 'https://example.com/snap.jpg' },
  ],
  // JD Cloud cannot sign: its only authenticity is the URL token.
  sign: (fields) => jsonRequest(fields),
  exampleSecret: 'sample-token',
  probe: { required: 'streamName', mistyped: { field: 'streamName', value: { name: 'x' } } },
};
