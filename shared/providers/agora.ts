import * as v from 'valibot';
import { Rejection } from '../answer';
import { jsonRequest, sampleUuid, timeAsSent, type ProviderAdapter, type VendorSamples } from '../provider';
import type { EventKind } from '../record';
import { hmacSha1Hex, hmacSha256Hex, signedWithAnyKey } from '../signature';
import { idField, rfc3339Field, unixMillisField } from '../fields';
import { checkTimeWindow, type TimeWindow } from '../time-window';
import { switchSetting } from '../config';

/** The `productId` of Agora Media Gateway notifications (Agora's Media Gateway callback reference). */
const mediaGateway = 10;

/** An Agora Media Gateway `live_stream_connected` (1) or `live_stream_disconnected` (2) notification. */
export const AgoraNotificationSchema = v.object({
  /**
   * The project's App ID: Agora's Media Gateway notifications carry none, so it is set
   * from the configured key that verified the signature (`<App ID>:<secret>`, see
   * {@link keyEntriesOf}); a body that carries one itself is read the same way.
   */
  appId: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(64))),
  noticeId: v.pipe(v.string(), v.minLength(1)),
  eventType: v.picklist([1, 2]),
  notifyMs: unixMillisField,
  payload: v.object({
    /** The streaming session: one per push. */
    sid: v.pipe(v.string(), v.minLength(1)),
    region: v.optional(v.string()),
    rtcInfo: v.object({
      /** A random value when the stream key is bound to no channel. */
      channel: v.pipe(v.string(), v.minLength(1)),
      /** The host's uid, a string or an integer (Agora's event reference). */
      uid: idField,
    }),
    beginAt: rfc3339Field,
    /** Sent with `live_stream_disconnected` only. */
    endAt: v.optional(rfc3339Field),
  }),
});

/** A validated Agora notification. */
export type AgoraNotification = v.InferOutput<typeof AgoraNotificationSchema>;

const kinds = new Map<unknown, EventKind>([
  [1, 'start'],
  [2, 'stop'],
]);

/** A configured key: a Notifications secret, and the App ID of its project when the entry names one. */
interface KeyEntry {
  appId?: string;
  secret: string;
}

/** `<App ID>:<secret>`: an App ID is 32 hexadecimal digits (Agora Console). */
const labelledKey = /^([0-9a-fA-F]{32}):(.+)$/;

/**
 * The configured keys, each a secret or `<App ID>:<secret>`. Notifications are configured
 * per project, each with its own secret (Agora's "Enable message notification"): the
 * entry whose secret verifies a notification names the project it came from.
 */
function keyEntriesOf(keys: readonly string[]): KeyEntry[] {
  return keys.map((key) => {
    const labelled = labelledKey.exec(key);
    return labelled ? { appId: labelled[1]!.toLowerCase(), secret: labelled[2]! } : { secret: key };
  });
}

/**
 * Checks an Agora notification: `Agora-Signature-V2` = hex HMAC-SHA256(secret, raw body)
 * for any configured secret, or, only where the operator accepts it
 * (`LIVEHOOKS_AGORA_LEGACY_SIGNATURE=accept`) and no V2 header came, `Agora-Signature` =
 * hex HMAC-SHA1; and `notifyMs`, the send time (signed with the body, renewed on every
 * retry), against the window. Returns the App ID of the key that verified it, when its
 * entry names one.
 */
export function verifyAgoraSignature(
  fields: Record<string, unknown>,
  headers: Readonly<Record<string, string>>,
  body: string,
  keys: readonly string[],
  { window, legacySignature }: { window: TimeWindow; legacySignature?: boolean | undefined },
  nowMs: number,
): string | undefined {
  const v2 = headers['agora-signature-v2'];
  const v1 = legacySignature && !v2 ? headers['agora-signature'] : undefined;
  if (!v2 && !v1) {
    const hint = headers['agora-signature']
      ? '; Agora-Signature (HMAC-SHA1) is accepted only with LIVEHOOKS_AGORA_LEGACY_SIGNATURE=accept'
      : '';
    throw new Rejection('missing_signature', `the Agora-Signature-V2 header is missing${hint}`);
  }
  checkTimeWindow(fields.notifyMs, 'notifyMs', window, nowMs, 'milliseconds');
  const entries = keyEntriesOf(keys);
  const signs = (entry: KeyEntry) =>
    v2
      ? signedWithAnyKey(v2, [entry.secret], (secret) => hmacSha256Hex(secret, body))
      : signedWithAnyKey(v1!, [entry.secret], (secret) => hmacSha1Hex(secret, body));
  const matched = entries.find(signs);
  if (!matched) {
    throw new Rejection(
      'bad_signature',
      `${v2 ? 'Agora-Signature-V2' : 'Agora-Signature'} matches no configured secret`,
    );
  }
  return matched.appId;
}

/**
 * Agora Media Gateway notifications (`POST /agora`), from Agora's Notifications service. A
 * push into a channel begins with `live_stream_connected` and ends with
 * `live_stream_disconnected`; `live_stream_aborted` (a push the gateway refused or cut, in
 * which case the disconnection still follows when it had connected) and
 * `live_profile_updated` are acknowledged and not recorded. A stream is the host's uid in
 * its channel, in its project (the App ID, as the domain, when known): the stream key is a
 * push credential, kept out of the record.
 */
export const agora: ProviderAdapter<AgoraNotification> = {
  name: 'agora',
  method: 'POST',
  format: 'json',
  signed: true,
  // `notifyMs` is the send time, renewed on each of Agora's three retries.
  defaultWindow: { past: 300, future: 60 },
  pairByTime: false,
  eventTimeField: 'beginAt',
  secretFields: ['streamKey'],

  readSettings: (env) => ({
    legacySignature: switchSetting(env, 'LIVEHOOKS_AGORA_LEGACY_SIGNATURE', ['accept', 'refuse'], false),
  }),

  verify(fields, { request, config, nowMs }) {
    const appId = verifyAgoraSignature(fields, request.headers, request.body, config.keys, config, nowMs);
    // The project the verifying secret belongs to: two projects on one URL are two streams.
    if (appId) fields.appId = appId;
    return undefined;
  },

  kindOf(fields) {
    if (fields.eventType === undefined) throw new Rejection('missing_field', 'eventType is missing');
    // The Notifications service carries other products' events too; they share the codes.
    if (fields.productId !== mediaGateway) return null;
    return kinds.get(fields.eventType) ?? null;
  },

  schema: AgoraNotificationSchema,

  normalize({ appId, payload, notifyMs }, kind) {
    return {
      kind,
      domain: appId ?? '',
      app: payload.rtcInfo.channel,
      stream: payload.rtcInfo.uid,
      sessionId: payload.sid,
      occurredAtMs: kind === 'start' ? payload.beginAt : (payload.endAt ?? notifyMs),
      node: payload.region,
    };
  },
};

/** A Media Gateway notification as Agora sends it: the envelope around one payload. */
function notification(eventType: number, sid: string, timeSec: number, payload: Record<string, unknown>) {
  return {
    noticeId: sampleUuid(`${eventType}@${sid}`),
    productId: mediaGateway,
    eventType,
    notifyMs: timeSec * 1000 + 412,
    sid,
    payload: { sid, ...payload },
  };
}

/** Agora's sample notifications, for the CLI, the bench and the tests (not in a bundle). */
export const agoraSamples: VendorSamples = {
  vendor: 'Agora Media Gateway',
  // From Agora's event reference (live_stream_connected / live_stream_disconnected).
  sample: ({ kind, stream, sessionSec, timeSec }) => {
    const sid = sampleUuid(`${stream}@${sessionSec}`);
    const common = {
      region: 'na',
      domain: kind === 'start' ? 'rtls-ingress-prod-na.agoramdn.com' : 'rtls-ingress-prod-na.agoramdn.com:1935',
      streamKey: '7Bd6Y2kKqLmNpQrStUvWxYzQbs',
      rtcInfo: { channel: 'studio-7', uid: stream },
      beginAt: new Date(sessionSec * 1000).toISOString().replace('.000', ''),
    };
    return kind === 'start'
      ? notification(1, sid, timeSec, {
          ...common,
          transcoding: {
            audio: { enabled: true, profile: 5 },
            video: { enabled: true, bitrate: 3800, fps: 30, height: 1080, width: 1920 },
          },
        })
      : notification(2, sid, timeSec, {
          ...common,
          streamStats: {
            inputAudioBytes: 281799,
            inputVideoBytes: 9244544,
            outputAudioBytes: 130000,
            outputVideoBytes: 6656704,
          },
          endAt: new Date(timeSec * 1000).toISOString().replace('.000', ''),
        });
  },
  otherEvents: ({ stream, sessionSec, timeSec }) => {
    const sid = sampleUuid(`${stream}@${sessionSec}`);
    const common = {
      region: 'na',
      domain: 'rtls-ingress-prod-na.agoramdn.com',
      streamKey: '7Bd6Y2kKqLmNpQrStUvWxYzQbs',
      rtcInfo: { channel: 'studio-7', uid: stream },
      beginAt: new Date(sessionSec * 1000).toISOString().replace('.000', ''),
    };
    return [
      notification(3, sid, timeSec, { ...common, errorCode: 5, reason: 'conflict' }),
      notification(4, sid, timeSec, {
        ...common,
        videoProfile: { codec: 'H.264', width: 1920, height: 1080, gop: 2000 },
        audioProfile: { sampleRate: 48000, channels: 2 },
      }),
    ];
  },
  sign(fields, { key, nowSec, signedTime }) {
    const t = signedTime === undefined ? String(nowSec * 1000) : signedTime;
    const { notifyMs: _, ...rest } = fields;
    const request = jsonRequest(t === null ? rest : { ...fields, notifyMs: timeAsSent(t) });
    if (!key) return request;
    const body = request.body!;
    return {
      ...request,
      headers: {
        ...request.headers,
        'agora-signature': hmacSha1Hex(key, body),
        'agora-signature-v2': hmacSha256Hex(key, body),
      },
    };
  },
  signatureOf: (fields, key, notifyMs) =>
    hmacSha256Hex(key, JSON.stringify({ ...fields, notifyMs: timeAsSent(notifyMs) })),
  signature: { header: 'agora-signature-v2' },
  signedTime: { field: 'notifyMs', format: 'milliseconds' },
  exampleSecret: 'agora-notifications-secret',
  probe: { required: 'payload.sid', mistyped: { field: 'noticeId', value: 42 } },
};
