import * as v from 'valibot';
import { Rejection } from '../answer';
import { jsonRequest, sampleUuid, timeAsSent, type ProviderAdapter, type VendorSamples } from '../provider';
import type { EventKind } from '../record';
import { hmacSha256Base64Url, matchesAnyExactly, sha256Base64 } from '../signature';
import { canonicalDigits, unixSecondsField } from '../fields';
import { checkTimeWindow, type TimeWindow } from '../time-window';

/** A LiveKit `ingress_started` or `ingress_ended` webhook (protojson of `livekit.WebhookEvent`). */
export const LiveKitIngressEventSchema = v.object({
  event: v.picklist(['ingress_started', 'ingress_ended']),
  /** The event's own id: a retry sends the same bytes. */
  id: v.pipe(v.string(), v.minLength(1)),
  /** Seconds; an int64, so a JSON string. */
  createdAt: unixSecondsField,
  ingressInfo: v.object({
    ingressId: v.pipe(v.string(), v.minLength(1)),
    roomName: v.optional(v.string(), ''),
    state: v.object({
      /** Absent when it is ENDPOINT_INACTIVE (protojson leaves zero values out): an RTMP or WHIP push's normal end. */
      status: v.optional(v.string()),
      error: v.optional(v.string()),
      /** Nanoseconds, as a JSON string: when this push began. */
      startedAt: v.pipe(v.string(), v.maxLength(20), v.regex(canonicalDigits)),
      /** New for every push (`RT_`, `WH_`, `UR_`). */
      resourceId: v.optional(v.string()),
    }),
  }),
});

/** A validated LiveKit ingress webhook. */
export type LiveKitIngressEvent = v.InferOutput<typeof LiveKitIngressEventSchema>;

const kinds = new Map<unknown, EventKind>([
  ['ingress_started', 'start'],
  ['ingress_ended', 'stop'],
]);

/** LiveKit mints every webhook token for five minutes (protocol, webhook/resource_url_notifier.go). */
const tokenLifetimeSec = 300;
/** Clock skew allowed on `exp`, as LiveKit's own verifier allows (protocol, auth/verifier.go). */
const leewaySec = 60;
/** A header no LiveKit server sends is not parsed: a bound on the work it can cause. */
const maxTokenLength = 4096;
const base64Url = /^[A-Za-z0-9_-]+$/;

/** A LiveKit key entry: `<API key>:<API secret>`. */
interface ApiKey {
  key: string;
  secret: string;
}

const parsedKeys = new WeakMap<readonly string[], readonly ApiKey[]>();

/** `LIVEHOOKS_LIVEKIT_KEYS` as pairs, parsed once per list. */
function apiKeysOf(keys: readonly string[]): readonly ApiKey[] {
  let pairs = parsedKeys.get(keys);
  if (!pairs) {
    pairs = keys.map((entry) => {
      const colon = entry.indexOf(':');
      if (colon < 1 || colon === entry.length - 1) {
        throw new Rejection(
          'not_configured',
          'each LIVEHOOKS_LIVEKIT_KEYS entry is <API key>:<API secret>, as in the LiveKit server config',
        );
      }
      return { key: entry.slice(0, colon), secret: entry.slice(colon + 1) };
    });
    parsedKeys.set(keys, pairs);
  }
  return pairs;
}

/** One JWT part as a JSON object, or undefined. */
function jsonPart(part: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

const badToken = (message: string) => new Rejection('bad_signature', `the Authorization token ${message}`);

/**
 * Checks LiveKit's `Authorization` header: a JWT (RFC 7519) that LiveKit signs with HS256
 * under the API secret of the API key in `iss`, with the body's SHA-256 (base64) in the
 * `sha256` claim. The algorithm is fixed (no `none`, no other HMAC, no `crit`); the secret
 * is chosen by `iss` among the configured pairs; the signature and the body's hash are
 * compared in constant time; then `nbf`, the send time, against the window, and `exp`
 * within LiveKit's five minutes of it and not passed (with a minute of skew).
 */
export function verifyLiveKitToken(
  authorization: string | undefined,
  body: string,
  keys: readonly string[],
  window: TimeWindow,
  nowMs: number,
): void {
  if (!authorization) throw new Rejection('missing_signature', 'the Authorization header is missing');
  const pairs = apiKeysOf(keys);
  if (authorization.length > maxTokenLength) throw badToken(`is longer than ${maxTokenLength} characters`);
  const parts = authorization.split('.');
  if (parts.length !== 3 || !parts.every((part) => base64Url.test(part))) {
    throw badToken('is not a JWT (three base64url parts)');
  }
  const [headerPart, claimsPart, signature] = parts as [string, string, string];
  const header = jsonPart(headerPart);
  if (!header || header.alg !== 'HS256' || (header.typ !== undefined && header.typ !== 'JWT') || 'crit' in header) {
    throw badToken('is not an HS256 JWT');
  }
  const claims = jsonPart(claimsPart);
  if (!claims) throw badToken('has no JSON claims');
  const secrets = pairs.filter((pair) => pair.key === claims.iss).map((pair) => pair.secret);
  // Every configured secret is tried when `iss` names none, so that timing tells nothing.
  const expected = (secrets.length > 0 ? secrets : pairs.map((pair) => pair.secret)).map((secret) =>
    hmacSha256Base64Url(secret, `${headerPart}.${claimsPart}`),
  );
  if (!matchesAnyExactly(signature, expected) || secrets.length === 0) {
    throw badToken('is not signed by a configured API key and secret');
  }
  if (typeof claims.sha256 !== 'string' || !matchesAnyExactly(claims.sha256, [sha256Base64(body)])) {
    throw badToken("has a sha256 claim that is not the body's");
  }
  const nbf = checkTimeWindow(claims.nbf, 'nbf of the Authorization token', window, nowMs);
  const exp = claims.exp;
  if (exp === undefined) throw new Rejection('missing_timestamp', 'exp of the Authorization token is missing');
  if (!Number.isSafeInteger(exp) || (exp as number) < nbf || (exp as number) > nbf + tokenLifetimeSec) {
    throw new Rejection(
      'bad_timestamp',
      `exp of the Authorization token is not within ${tokenLifetimeSec} s after nbf`,
    );
  }
  if ((exp as number) + leewaySec < nowMs / 1000) {
    throw new Rejection('expired', 'the Authorization token has expired');
  }
}

/**
 * LiveKit ingress webhooks (`POST /livekit`, `application/webhook+json`). An RTMP, WHIP or
 * URL ingress begins a push with `ingress_started` and ends it with `ingress_ended`; room,
 * participant, track and egress events are acknowledged. A stream is an ingress in its
 * room; a push is the state's `resourceId` (new for each), else its `startedAt`.
 */
export const livekit: ProviderAdapter<LiveKitIngressEvent> = {
  name: 'livekit',
  method: 'POST',
  format: 'json',
  signed: true,
  // `nbf` is the send time: tokens live five minutes, plus a minute of skew either way.
  defaultWindow: { past: tokenLifetimeSec + leewaySec, future: leewaySec },
  pairByTime: false,
  eventTimeField: 'createdAt',
  // The ingress's push credential (livekit_ingress.proto, `stream_key`).
  secretFields: ['streamKey'],

  verify(_fields, { request, config, nowMs }) {
    verifyLiveKitToken(request.headers.authorization, request.body, config.keys, config.window, nowMs);
    return undefined;
  },

  kindOf(fields) {
    if (fields.event === undefined) throw new Rejection('missing_field', 'event is missing');
    return kinds.get(fields.event) ?? null;
  },

  schema: LiveKitIngressEventSchema,

  normalize({ ingressInfo, createdAt }, kind) {
    const { state } = ingressInfo;
    return {
      kind,
      domain: '',
      app: ingressInfo.roomName,
      stream: ingressInfo.ingressId,
      sessionId: state.resourceId || `started:${state.startedAt}`,
      occurredAtMs: createdAt * 1000,
      ...(kind === 'stop' && state.status === 'ENDPOINT_ERROR'
        ? { reason: { code: state.status, ...(state.error ? { message: state.error } : {}) } }
        : {}),
    };
  },
};

/** The JWT LiveKit sends a body with, under `<API key>:<API secret>`, its send time `nbf`. */
function liveKitToken(entry: string, body: string, nbf: string | null, nowSec: number): string {
  const colon = entry.indexOf(':');
  if (colon < 1) throw new Error('a LiveKit key is <API key>:<API secret>');
  const [key, secret] = [entry.slice(0, colon), entry.slice(colon + 1)];
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const sent = nbf === null ? undefined : timeAsSent(nbf);
  const exp = (typeof sent === 'number' ? sent : nowSec) + tokenLifetimeSec;
  // As LiveKit's Go server writes them (auth/accesstoken.go): iss, exp, nbf, iat, sha256.
  const claims = { iss: key, exp, ...(sent === undefined ? {} : { nbf: sent, iat: sent }), sha256: sha256Base64(body) };
  const unsigned = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode(claims)}`;
  return `${unsigned}.${hmacSha256Base64Url(secret, unsigned)}`;
}

/** An ingress as LiveKit's server reports it (protojson: camelCase, int64 as text, zero values left out). */
function ingressEvent(event: string, stream: string, sessionSec: number, timeSec: number, ended: boolean) {
  const nanos = (sec: number) => String(BigInt(sec) * 1_000_000_000n + 123_456_789n);
  return {
    event,
    room: { name: 'show-42' },
    ingressInfo: {
      ingressId: stream,
      name: 'studio-a',
      streamKey: 'Lk3mZpQ8vWx2',
      url: 'rtmps://example.rtmp.livekit.cloud/x',
      roomName: 'show-42',
      participantIdentity: 'studio-a-encoder',
      participantName: 'Studio A',
      reusable: true,
      state: {
        ...(ended ? {} : { status: 'ENDPOINT_PUBLISHING' }),
        ...(ended
          ? {}
          : {
              video: { mimeType: 'video/h264', averageBitrate: 4500000, width: 1920, height: 1080, framerate: 30 },
              audio: { mimeType: 'audio/opus', averageBitrate: 128000, channels: 2, sampleRate: 48000 },
            }),
        roomId: 'RM_hQ3sV8nB2kLp',
        startedAt: nanos(sessionSec),
        ...(ended ? { endedAt: nanos(timeSec) } : {}),
        updatedAt: nanos(timeSec),
        resourceId: `RT_${sampleUuid(`${stream}@${sessionSec}`).slice(0, 12)}`,
      },
    },
    id: `EV_${sampleUuid(`${event}@${stream}@${sessionSec}`).slice(0, 12)}`,
    createdAt: String(timeSec),
  };
}

/** LiveKit's sample webhooks and signer, for the CLI, the bench and the tests (not in a bundle). */
export const livekitSamples: VendorSamples = {
  vendor: 'LiveKit ingress',
  sample: ({ kind, stream, sessionSec, timeSec }) =>
    ingressEvent(kind === 'start' ? 'ingress_started' : 'ingress_ended', stream, sessionSec, timeSec, kind === 'stop'),
  otherEvents: ({ timeSec }) => [
    {
      event: 'room_started',
      room: { sid: 'RM_hQ3sV8nB2kLp', name: 'show-42', emptyTimeout: 300, creationTime: String(timeSec) },
      id: 'EV_3kPq8ZrW2mNx',
      createdAt: String(timeSec),
    },
    {
      event: 'participant_joined',
      room: { sid: 'RM_hQ3sV8nB2kLp', name: 'show-42' },
      participant: { sid: 'PA_7hGm2KqP9wLs', identity: 'viewer-1', state: 'ACTIVE', joinedAt: String(timeSec) },
      id: 'EV_9xWq4LmT7cVb',
      createdAt: String(timeSec),
    },
  ],
  sign(fields, { key, nowSec, signedTime }) {
    const body = JSON.stringify(fields);
    const request = { ...jsonRequest(fields), headers: { 'content-type': 'application/webhook+json' } };
    if (!key) return request;
    const nbf = signedTime === undefined ? String(nowSec) : signedTime;
    return { ...request, headers: { ...request.headers, authorization: liveKitToken(key, body, nbf, nowSec) } };
  },
  signatureOf: (fields, key, nbf) => liveKitToken(key, JSON.stringify(fields), nbf, Number(nbf)),
  keyEntry: (secret) => `APIsample:${secret}`,
  signature: { header: 'authorization', caseSensitive: true },
  signedTime: { header: 'authorization', claim: 'nbf' },
  exampleSecret: 'APIexample:livekit-api-secret-example',
  probe: { required: 'ingressInfo.ingressId', mistyped: { field: 'id', value: 7 } },
};
