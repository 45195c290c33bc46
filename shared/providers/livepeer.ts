import * as v from 'valibot';
import { Rejection } from '../answer';
import { jsonRequest, sampleUuid, timeAsSent, type ProviderAdapter, type VendorSamples } from '../provider';
import type { EventKind } from '../record';
import { hmacSha256Hex, verifyTimedSignature } from '../signature';
import { unixMillisField } from '../fields';
import { checkTimeWindow, type TimeWindow } from '../time-window';

/** A Livepeer Studio `stream.started` or `stream.idle` webhook (docs/vendors.md, Livepeer Studio). */
export const LivepeerEventSchema = v.object({
  event: v.picklist(['stream.started', 'stream.idle']),
  /** The event's own id: every retry carries it again. */
  id: v.pipe(v.string(), v.minLength(1), v.maxLength(128)),
  /** When Livepeer emitted the event, Unix milliseconds: the same on every retry. */
  createdAt: unixMillisField,
  /** When this attempt was sent, Unix milliseconds: signed with the body, renewed on each retry. */
  timestamp: unixMillisField,
  stream: v.object({
    /** The parent stream: one per stream key, whatever session it is in. */
    id: v.pipe(v.string(), v.minLength(1), v.maxLength(128)),
  }),
});

/** A validated Livepeer webhook. */
export type LivepeerEvent = v.InferOutput<typeof LivepeerEventSchema>;

const kinds = new Map<unknown, EventKind>([
  ['stream.started', 'start'],
  ['stream.idle', 'stop'],
]);

/**
 * Checks `Livepeer-Signature`: `v1` = HMAC-SHA256(secret, the raw body), hex, for any
 * configured secret and any `v1` the header carries; and the body's `timestamp`, the send
 * time in milliseconds, against the window. The header's `t` repeats that time but is not
 * signed: the body's is the one read (Livepeer's webhook cannon signs the body alone).
 */
export function verifyLivepeerSignature(
  fields: Record<string, unknown>,
  headers: Readonly<Record<string, string>>,
  body: string,
  keys: readonly string[],
  window: TimeWindow,
  nowMs: number,
): void {
  verifyTimedSignature(
    headers,
    'Livepeer-Signature',
    keys,
    () => checkTimeWindow(fields.timestamp, 'timestamp', window, nowMs, 'milliseconds'),
    () => body,
  );
}

/**
 * Livepeer Studio stream webhooks (`POST /livepeer`). A broadcast begins with
 * `stream.started` (the parent stream turns active) and ends with `stream.idle`; recording,
 * multistream, asset and task events on the same URL are acknowledged and not recorded.
 * Livepeer sends no session value: a stop is paired with its start by time.
 */
export const livepeer: ProviderAdapter<LivepeerEvent> = {
  name: 'livepeer',
  method: 'POST',
  format: 'json',
  signed: true,
  // `timestamp` is the send time, renewed on each retry: 300 s of delivery and queueing,
  // one minute of skew, as for Mux and Agora.
  defaultWindow: { past: 300, future: 60 },
  pairByTime: true,
  eventTimeField: 'createdAt',
  // Livepeer deletes the stream key before sending; a pull source's URL and headers may
  // hold credentials of the origin it pulls from.
  secretFields: ['streamKey', 'pull'],

  verify(fields, { request, config, nowMs }) {
    verifyLivepeerSignature(fields, request.headers, request.body, config.keys, config.window, nowMs);
    return undefined;
  },

  kindOf(fields) {
    if (fields.event === undefined) throw new Rejection('missing_field', 'event is missing');
    return kinds.get(fields.event) ?? null;
  },

  schema: LivepeerEventSchema,

  normalize(message, kind) {
    return {
      kind,
      // A stream id is unique across Livepeer: it is the whole key.
      domain: '',
      app: '',
      stream: message.stream.id,
      occurredAtMs: message.createdAt,
    };
  },
};

/** The stream object Livepeer sends with its stream events: its defaults first, the stream key removed. */
function streamObject(stream: string, active: boolean, lastSeenMs: number) {
  return {
    lastSeen: lastSeenMs,
    isActive: active,
    record: false,
    suspended: false,
    sourceSegments: active ? 0 : 1342,
    transcodedSegments: active ? 0 : 5368,
    sourceSegmentsDuration: active ? 0 : 2684.07,
    transcodedSegmentsDuration: active ? 0 : 10736.28,
    sourceBytes: active ? 0 : 874201552,
    transcodedBytes: active ? 0 : 1522930112,
    lastTerminatedAt: null,
    id: stream,
    name: 'studio-7',
    kind: 'stream',
    userId: '66e0f2a3-5d1c-4b8e-9a47-2c1f3e8d9b70',
    projectId: 'aac12556-4d65-4d34-9fb6-d1f0985eb0a9',
    createdAt: 1700000000000,
    playbackId: 'eaw4nk06ts2d0mzb',
    region: 'fra',
    isHealthy: active ? null : true,
    profiles: [{ name: '720p', bitrate: 2000000, fps: 30, width: 1280, height: 720 }],
  };
}

/** A webhook body as Livepeer's webhook cannon writes it (`id`, `webhookId`, `createdAt`, `timestamp`, `event`, `stream`, `payload`). */
function webhook(event: string, id: string, timeSec: number, stream?: object, payload?: object) {
  return {
    id,
    webhookId: '3e02c844-d364-4d48-b401-24b2773b5d6c',
    createdAt: timeSec * 1000,
    timestamp: timeSec * 1000 + 87,
    event,
    ...(stream ? { stream } : {}),
    ...(payload ? { payload } : {}),
  };
}

/** Livepeer's sample webhooks and signer, for the CLI, the bench and the tests (not in a bundle). */
export const livepeerSamples: VendorSamples = {
  vendor: 'Livepeer Studio',
  sample: ({ kind, stream, sessionSec, timeSec }) =>
    webhook(
      kind === 'start' ? 'stream.started' : 'stream.idle',
      sampleUuid(`${kind}@${stream}@${sessionSec}`),
      timeSec,
      streamObject(stream, kind === 'start', timeSec * 1000 - 1500),
    ),
  otherEvents: ({ stream, sessionSec, timeSec }) => [
    webhook('recording.started', sampleUuid(`recording@${stream}@${sessionSec}`), timeSec, {
      ...streamObject(stream, true, timeSec * 1000),
      record: true,
    }),
    webhook(
      'multistream.connected',
      sampleUuid(`multistream@${stream}@${sessionSec}`),
      timeSec,
      streamObject(stream, true, timeSec * 1000),
      { target: { id: 'b1b2c8b1-4f6e-4c1b-9f43-0c1c7d1f0b2a', profile: 'source' } },
    ),
    webhook('asset.ready', sampleUuid(`asset@${stream}@${sessionSec}`), timeSec, undefined, {
      asset: { id: '4ab34b9a-2a1c-4e5a-8f0e-61a2d2c4a0f1', status: { phase: 'ready' } },
    }),
  ],
  sign(fields, { key, nowSec, signedTime }) {
    const t = signedTime === undefined ? String(nowSec * 1000) : signedTime;
    const { timestamp: _, ...rest } = fields;
    const request = jsonRequest(t === null ? rest : { ...fields, timestamp: timeAsSent(t) });
    if (!key) return request;
    const v1 = hmacSha256Hex(key, request.body!);
    const header = t === null ? `v1=${v1}` : `t=${t},v1=${v1}`;
    return { ...request, headers: { ...request.headers, 'livepeer-signature': header } };
  },
  signatureOf: (fields, key, timestamp) =>
    hmacSha256Hex(key, JSON.stringify({ ...fields, timestamp: timeAsSent(timestamp) })),
  signature: { header: 'livepeer-signature', part: 'v1' },
  signedTime: { field: 'timestamp', format: 'milliseconds' },
  exampleSecret: 'livepeer-webhook-secret',
  probe: { required: 'stream.id', mistyped: { field: 'stream', value: 'studio-7' } },
};
