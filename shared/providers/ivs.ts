import * as v from 'valibot';
import { Rejection } from '../answer';
import { jsonRequest, sampleOrigin, sampleUuid, type EventBridgeAdapter, type VendorSamples } from '../provider';
import type { EventKind } from '../record';
import { rfc3339Field } from '../fields';
import { sha256Hex } from '../signature';

/** `arn:aws:ivs:<region>:<account>:channel/<id>`, in any AWS partition. */
const channelArn = /^arn:aws[\w-]*:ivs:([\w-]+):(\d{12}):channel\/(.+)$/;

type Channel = { region: string; account: string; id: string };

/** The IVS channels among an event's resources (or any ARNs): their region, account and id. */
export const channelsOf = (resources: readonly string[]): Channel[] =>
  resources.flatMap((resource) => {
    const match = channelArn.exec(resource);
    return match ? [{ region: match[1]!, account: match[2]!, id: match[3]! }] : [];
  });

/** The first IVS channel among an event's resources. */
const channelOf = (resources: readonly string[]): Channel | undefined => channelsOf(resources)[0];

/** An Amazon IVS "IVS Stream State Change" event, `Stream Start` or `Stream End` (docs/vendors.md, AWS IVS). */
export const IvsEventSchema = v.object({
  'detail-type': v.literal('IVS Stream State Change'),
  source: v.literal('aws.ivs'),
  account: v.pipe(v.string(), v.regex(/^\d{12}$/)),
  region: v.pipe(v.string(), v.minLength(1)),
  time: rfc3339Field,
  resources: v.pipe(
    v.array(v.string()),
    v.check((resources) => channelOf(resources) !== undefined, 'expected an IVS channel ARN among them'),
  ),
  detail: v.object({
    event_name: v.picklist(['Stream Start', 'Stream End']),
    /** A new one each time the channel goes live (the IVS user guide): the session. */
    stream_id: v.pipe(v.string(), v.minLength(1)),
    channel_name: v.optional(v.string()),
  }),
});

/** A validated IVS event. */
export type IvsEvent = v.InferOutput<typeof IvsEventSchema>;

const kinds = new Map<string, EventKind>([
  ['Stream Start', 'start'],
  ['Stream End', 'stop'],
]);

/**
 * Amazon IVS low-latency channels, through an EventBridge rule on the account's default bus
 * (no URL). A broadcast is `Stream Start` … `Stream End`: while viewers can watch.
 * `Session Created` / `Session Ended` are the encoder's connection (Session Ended may come
 * before Stream End), and `Stream Failure`, `Stream Takeover` and `Stream Takeover Failure`
 * are not a broadcast's start or end: all are acknowledged, none recorded.
 */
export const ivs: EventBridgeAdapter<IvsEvent> = {
  name: 'ivs',
  source: 'aws.ivs',
  detailTypes: ['IVS Stream State Change'],
  pairByTime: false,
  eventTimeField: 'time',

  kindOf(fields) {
    if (fields['detail-type'] !== 'IVS Stream State Change') return null;
    const detail = fields.detail;
    if (typeof detail !== 'object' || detail === null) throw new Rejection('missing_field', 'detail is missing');
    const name = (detail as Record<string, unknown>).event_name;
    if (name === undefined) throw new Rejection('missing_field', 'detail.event_name is missing');
    // A type of another form (not text) is no start or stop either.
    return kinds.get(name as string) ?? null;
  },

  schema: IvsEventSchema,

  normalize(event, kind) {
    // The channel's account and region, from its ARN; its id is unique within them. IVS
    // sends a channel's events in the channel's own account and region, which the pipeline
    // holds to the function's: a channel named elsewhere would key another account's stream.
    const channels = channelsOf(event.resources);
    if (channels.some(({ account, region }) => account !== event.account || region !== event.region)) {
      throw new Rejection('foreign_event', "the channel's account and region (resources) are not the event's");
    }
    const channel = channels[0]!;
    return {
      kind,
      domain: channel.account,
      app: channel.region,
      stream: channel.id,
      sessionId: event.detail.stream_id,
      occurredAtMs: event.time,
    };
  },
};

/** IVS's sample events, for the CLI, the bench and the tests (not in a bundle). */
export const ivsSamples: VendorSamples = {
  vendor: 'Amazon IVS',
  sample: ({ kind, stream, sessionSec, timeSec }) =>
    eventOf(kind === 'start' ? 'Stream Start' : 'Stream End', stream, sessionSec, timeSec),
  otherEvents: ({ stream, sessionSec, timeSec }) => [
    eventOf('Session Created', stream, sessionSec, timeSec),
    eventOf('Session Ended', stream, sessionSec, timeSec, { code: 'MultitrackInputNotAllowed' }),
    eventOf('Stream Failure', stream, sessionSec, timeSec, {
      reason: 'Transcode capacity exceeded. Please try again.',
    }),
    {
      ...eventOf('Stream Start', stream, sessionSec, timeSec),
      'detail-type': 'IVS Recording State Change',
      detail: {
        channel_name: 'Your Channel',
        stream_id: streamIdOf(stream, sessionSec),
        recording_status: 'Recording Start',
      },
    },
  ],
  // EventBridge events are not signed: a rule in the account invokes the function.
  sign: (fields) => jsonRequest(fields),
  exampleSecret: '',
  probe: { required: 'detail.stream_id', mistyped: { field: 'resources', value: 'arn:aws:ivs' } },
};

/** A stream id as IVS writes them (`st-` and 21 letters and digits), made from the broadcast's start. */
const streamIdOf = (stream: string, sessionSec: number) =>
  `st-${Buffer.from(sha256Hex(`${stream}@${sessionSec}`), 'hex')
    .toString('base64')
    .replace(/[^A-Za-z0-9]/g, '')
    .slice(0, 21)}`;

function eventOf(
  eventName: string,
  stream: string,
  sessionSec: number,
  timeSec: number,
  extra: Record<string, string> = {},
): Record<string, unknown> {
  return {
    version: '0',
    id: sampleUuid(`${eventName}@${stream}@${sessionSec}@${timeSec}`),
    'detail-type': 'IVS Stream State Change',
    source: 'aws.ivs',
    account: sampleOrigin.account,
    time: new Date(timeSec * 1000).toISOString().replace('.000Z', 'Z'),
    region: sampleOrigin.region,
    resources: [`arn:aws:ivs:${sampleOrigin.region}:${sampleOrigin.account}:channel/${stream}`],
    detail: {
      event_name: eventName,
      channel_name: 'Your Channel',
      stream_id: streamIdOf(stream, sessionSec),
      ...extra,
    },
  };
}
