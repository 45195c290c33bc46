import * as v from 'valibot';
import { Rejection } from '../answer';
import { jsonRequest, sampleUuid, type ProviderAdapter, type VendorSamples } from '../provider';
import type { EventKind } from '../record';
import { hmacSha256Hex, sha256Hex, verifyTimedSignature } from '../signature';
import { rfc3339Field } from '../fields';
import { checkTimeWindow, type TimeWindow } from '../time-window';

/** A Mux `video.live_stream.active` or `.idle` webhook (docs/vendors.md, Mux). */
export const MuxEventSchema = v.object({
  type: v.picklist(['video.live_stream.active', 'video.live_stream.idle']),
  /** The event's own id: a redelivery carries it again. */
  id: v.pipe(v.string(), v.minLength(1)),
  created_at: rfc3339Field,
  environment: v.object({ id: v.pipe(v.string(), v.minLength(1)) }),
  data: v.object({
    /** The live stream. */
    id: v.pipe(v.string(), v.minLength(1)),
    /** The asset of the broadcast; an idle event still carries the one just ending. */
    active_asset_id: v.optional(v.string()),
    recent_asset_ids: v.optional(v.array(v.string())),
  }),
});

/** A validated Mux webhook. */
export type MuxEvent = v.InferOutput<typeof MuxEventSchema>;

const kinds = new Map<string, EventKind>([
  ['video.live_stream.active', 'start'],
  ['video.live_stream.idle', 'stop'],
]);

/**
 * Checks `Mux-Signature`: `v1` = HMAC-SHA256(secret, `t` + "." + the raw body), hex, for
 * any configured secret and any `v1` the header carries (Mux's SDK accepts any; other
 * schemes are passed over), and `t`, the send time, against the window.
 */
export function verifyMuxSignature(
  headers: Readonly<Record<string, string>>,
  body: string,
  keys: readonly string[],
  window: TimeWindow,
  nowMs: number,
): void {
  verifyTimedSignature(
    headers,
    'Mux-Signature',
    keys,
    (t) => checkTimeWindow(t, 't of Mux-Signature', window, nowMs),
    (t) => `${t}.${body}`,
  );
}

/**
 * Mux Video live stream webhooks (`POST /mux`). A broadcast begins with
 * `video.live_stream.active` and ends with `video.live_stream.idle`; `connected` and
 * `disconnected` are the encoder's link, which may drop and return within the stream's
 * reconnect window while the broadcast goes on, so they are acknowledged and not recorded.
 */
export const mux: ProviderAdapter<MuxEvent> = {
  name: 'mux',
  method: 'POST',
  format: 'json',
  signed: true,
  // `t` is the send time, signed anew on every attempt: Mux's SDK accepts 300 s of age
  // (and any time ahead; here one minute of skew).
  defaultWindow: { past: 300, future: 60 },
  pairByTime: false,
  eventTimeField: 'created_at',
  // The stream's push credentials: anyone holding them can broadcast (Mux's API reference).
  secretFields: ['stream_key', 'srt_passphrase', 'simulcast_targets'],

  verify(_fields, { request, config, nowMs }) {
    verifyMuxSignature(request.headers, request.body, config.keys, config.window, nowMs);
    return undefined;
  },

  kindOf(fields) {
    if (fields.type === undefined) throw new Rejection('missing_field', 'type is missing');
    // Every other event of the environment (assets, uploads, connected, recording, ...) is acknowledged.
    return kinds.get(fields.type as string) ?? null;
  },

  schema: MuxEventSchema,

  normalize(message, kind) {
    const { data } = message;
    return {
      kind,
      // Mux has no application: a live stream belongs to an environment.
      domain: message.environment.id,
      app: '',
      stream: data.id,
      // One asset per broadcast; the idle event names the one ending (Mux's live
      // streaming guide). Without one, the stream's latest asset.
      sessionId: data.active_asset_id || data.recent_asset_ids?.at(-1) || undefined,
      occurredAtMs: message.created_at,
    };
  },
};

/** Mux's sample webhooks and signer, for the CLI, the bench and the tests (not in a bundle). */
export const muxSamples: VendorSamples = {
  vendor: 'Mux Video',
  sample: ({ kind, stream, sessionSec, timeSec }) => {
    // An asset id as Mux writes them, made from the broadcast's start.
    const asset = `${sha256Hex(`${stream}@${sessionSec}`).slice(0, 40)}`;
    const at = new Date(timeSec * 1000).toISOString();
    return {
      type: kind === 'start' ? 'video.live_stream.active' : 'video.live_stream.idle',
      request_id: null,
      object: { type: 'live', id: stream },
      id: sampleUuid(`${kind}@${stream}@${sessionSec}`),
      environment: { name: 'Production', id: 'j0863n' },
      data: {
        stream_key: 'e9d5c8a5-2b5f-4e4c-9c0f-4f1d1c7e3b21',
        status: kind === 'start' ? 'active' : 'idle',
        reconnect_window: 60,
        recording: kind === 'start',
        playback_ids: [{ policy: 'public', id: 'ljCTZK94KxGQb01xVQFEF5nJt02pPVfE2f' }],
        passthrough: 'studio-7',
        latency_mode: 'standard',
        id: stream,
        created_at: sessionSec - 3600,
        connected: kind === 'start',
        active_asset_id: asset,
        ...(kind === 'stop' ? { recent_asset_ids: [asset] } : {}),
      },
      created_at: at,
      accessor_source: null,
      accessor: null,
      attempts: [],
    };
  },
  otherEvents: ({ stream, timeSec }) => [
    {
      type: 'video.live_stream.connected',
      id: '0f8b2b84-6a8e-4c33-9d0a-6f3e3f6b4a11',
      object: { type: 'live', id: stream },
      environment: { name: 'Production', id: 'j0863n' },
      data: { id: stream, status: 'idle', connected: true },
      created_at: new Date(timeSec * 1000).toISOString(),
    },
    {
      type: 'video.asset.ready',
      id: '3a56ac3d-33da-4366-855b-f592d898409d',
      object: { type: 'asset', id: '0201p02fGKPE7MrbC269XRD7LpcHhrmbu0002' },
      environment: { name: 'Demo pages', id: 'j0863n' },
      data: { status: 'ready', id: '0201p02fGKPE7MrbC269XRD7LpcHhrmbu0002' },
      created_at: '2018-02-15T01:04:45.000Z',
    },
  ],
  sign(fields, { key, nowSec, signedTime }) {
    const request = jsonRequest(fields);
    if (!key) return request;
    const t = signedTime === undefined ? String(nowSec) : signedTime;
    const v1 = muxSamples.signatureOf!(fields, key, t ?? '');
    const header = t === null ? `v1=${v1}` : `t=${t},v1=${v1}`;
    return { ...request, headers: { ...request.headers, 'mux-signature': header } };
  },
  signatureOf: (fields, key, t) => hmacSha256Hex(key, `${t}.${JSON.stringify(fields)}`),
  signature: { header: 'mux-signature', part: 'v1' },
  signedTime: { header: 'mux-signature', part: 't' },
  exampleSecret: 'mux-signing-secret',
  probe: { required: 'created_at', mistyped: { field: 'environment', value: 'j0863n' } },
};
