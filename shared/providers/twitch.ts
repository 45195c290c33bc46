import * as v from 'valibot';
import { Rejection } from '../answer';
import { jsonRequest, sampleUuid, type ProviderAdapter, type VendorSamples } from '../provider';
import { streamKeyOf, type EventKind } from '../record';
import type { RawRequest } from '../request';
import { hmacSha256Hex, matchesAnySignature } from '../signature';
import { rfc3339Field } from '../fields';
import { checkRfc3339TimeWindow, type TimeWindow } from '../time-window';

/** The subscription types this URL is made for, version 1 (docs/vendors.md, Twitch). */
const kinds = new Map<unknown, EventKind>([
  ['stream.online', 'start'],
  ['stream.offline', 'stop'],
]);

/** Why Twitch revokes a subscription (its guide, "Revoking your subscription"). */
const revocationReasons = [
  'user_removed',
  'authorization_revoked',
  'notification_failures_exceeded',
  'version_removed',
];

const nonEmpty = v.pipe(v.string(), v.minLength(1));

/** A Twitch EventSub `stream.online` or `stream.offline` notification (docs/vendors.md, Twitch). */
export const TwitchNotificationSchema = v.object({
  subscription: v.object({
    type: v.picklist(['stream.online', 'stream.offline']),
    version: v.literal('1'),
  }),
  event: v.object({
    broadcaster_user_id: nonEmpty,
    broadcaster_user_login: v.optional(v.string()),
    /** stream.online only: the stream (one broadcast) and when it began. */
    id: v.optional(v.string()),
    started_at: v.optional(rfc3339Field),
  }),
  /** What the headers say of the message, added after the signature check (`handshake`). */
  eventsub: v.optional(v.object({ message_id: v.string(), message_timestamp: v.number() })),
});

/** A validated Twitch notification. */
export type TwitchNotification = v.InferOutput<typeof TwitchNotificationSchema>;

/** Longer headers than Twitch sends are not read: `sha256=` and 64 hex digits; a UUID. */
const maxSignatureHeader = 128;
/** A message id as Twitch writes them (a UUID), and nothing that could run into the time after it. */
const messageIdPattern = /^[0-9A-Za-z-]{1,128}$/;
/**
 * A challenge is echoed as the whole answer: visible ASCII only and bounded, so that what
 * goes back is never markup, a header or a large body, whoever sent it (it is signed).
 */
const challengePattern = /^[\x21-\x7e]{1,256}$/;

const header = {
  id: 'twitch-eventsub-message-id',
  timestamp: 'twitch-eventsub-message-timestamp',
  signature: 'twitch-eventsub-message-signature',
  type: 'twitch-eventsub-message-type',
} as const;

/**
 * Checks `Twitch-Eventsub-Message-Signature`: `sha256=` and the hex HMAC-SHA256(secret,
 * message id + timestamp + raw body) for any configured secret, and the timestamp (RFC 3339,
 * nanoseconds) against the window. The message id is UUID characters and the timestamp one
 * exact RFC 3339 form, so the unseparated text splits one way only.
 */
export function verifyTwitchSignature(
  headers: Readonly<Record<string, string>>,
  body: string,
  keys: readonly string[],
  window: TimeWindow,
  nowMs: number,
): void {
  const signature = headers[header.signature];
  if (!signature) throw new Rejection('missing_signature', 'the Twitch-Eventsub-Message-Signature header is missing');
  if (signature.length > maxSignatureHeader || !signature.startsWith('sha256=')) {
    throw new Rejection('bad_signature', 'Twitch-Eventsub-Message-Signature is not sha256=<hex>');
  }
  const timestamp = headers[header.timestamp];
  checkRfc3339TimeWindow(timestamp, 'Twitch-Eventsub-Message-Timestamp', window, nowMs);
  const id = headers[header.id];
  if (!id)
    throw new Rejection('missing_signature', 'the Twitch-Eventsub-Message-Id header, which Twitch signs, is missing');
  if (!messageIdPattern.test(id)) {
    throw new Rejection('bad_signature', 'Twitch-Eventsub-Message-Id is not a message id (letters, digits, -)');
  }
  const expected = keys.map((key) => hmacSha256Hex(key, `${id}${timestamp}${body}`));
  if (!matchesAnySignature(signature.slice('sha256='.length), expected)) {
    throw new Rejection('bad_signature', 'Twitch-Eventsub-Message-Signature matches no configured secret');
  }
}

const objectAt = (value: unknown): Record<string, unknown> | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;

/** The answer to `webhook_callback_verification`: the challenge alone, as plain text (Twitch's guide). */
function challengeAnswer(fields: Record<string, unknown>) {
  const { challenge } = fields;
  const subscription = objectAt(fields.subscription);
  if (typeof challenge !== 'string' || !challengePattern.test(challenge)) {
    throw new Rejection('bad_field', 'challenge: expected up to 256 visible ASCII characters');
  }
  // A subscription this URL would ignore is not confirmed: Twitch then never enables it.
  if (!kinds.has(subscription?.type) || subscription?.version !== '1') {
    throw new Rejection('bad_field', 'subscription: this URL takes stream.online and stream.offline, version 1');
  }
  return {
    statusCode: 200,
    headers: { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' },
    body: challenge,
  };
}

/**
 * Twitch EventSub over webhooks (`POST /twitch`), subscriptions `stream.online` and
 * `stream.offline` version 1. Three kinds of message arrive, told apart by the unsigned
 * `Twitch-Eventsub-Message-Type` and checked against the signed body: a
 * `webhook_callback_verification` is answered with its challenge, a `revocation` (the
 * subscription is gone) is kept as a refusal and counted as a failure so that it alarms,
 * and a `notification` is an event. stream.online names the stream (`event.id`),
 * stream.offline does not: a broadcaster's offline pairs with the latest online before it,
 * and takes its time from the message's timestamp, its record's id from the message id.
 */
export const twitch: ProviderAdapter<TwitchNotification> = {
  name: 'twitch',
  method: 'POST',
  format: 'json',
  signed: true,
  // Twitch's guide: refuse a message whose timestamp is more than 10 minutes old; a minute of skew ahead.
  defaultWindow: { past: 600, future: 60 },
  pairByTime: true,
  eventTimeField: 'started_at',

  verify(_fields, { request, config, nowMs }) {
    verifyTwitchSignature(request.headers, request.body, config.keys, config.window, nowMs);
    return undefined;
  },

  handshake(fields, request: RawRequest) {
    const type = request.headers[header.type];
    const subscription = objectAt(fields.subscription);
    if (type === 'webhook_callback_verification') return challengeAnswer(fields);
    if (type === 'revocation') {
      // A notification's body says `enabled` and carries its event: the unsigned type
      // header cannot turn one into a false alarm.
      if (typeof subscription?.status !== 'string' || subscription.status === 'enabled' || 'event' in fields) {
        throw new Rejection('bad_field', 'subscription.status: a revocation carries the reason, not enabled');
      }
      // Only values from Twitch's own lists are named: a message never echoes the payload.
      const which = kinds.has(subscription.type) ? `the ${String(subscription.type)}` : 'a';
      const why = revocationReasons.includes(subscription.status) ? ` (${subscription.status})` : '';
      const revoked = new Rejection(
        'subscription_revoked',
        `Twitch revoked ${which} subscription${why}: make it again with livehooks connect twitch`,
      );
      const broadcaster = objectAt(subscription.condition)?.broadcaster_user_id;
      if (typeof broadcaster === 'string')
        revoked.streamKey = streamKeyOf('twitch', { domain: '', app: '', stream: broadcaster });
      throw revoked;
    }
    if (type === undefined) throw new Rejection('missing_field', 'the Twitch-Eventsub-Message-Type header is missing');
    if (type !== 'notification') {
      throw new Rejection(
        'bad_field',
        'Twitch-Eventsub-Message-Type: expected notification, webhook_callback_verification or revocation',
      );
    }
    const id = request.headers[header.id];
    const timestamp = request.headers[header.timestamp];
    // Read from the headers only where they were checked; with the checks off, the receive time.
    const at = timestamp === undefined ? Number.NaN : Date.parse(timestamp);
    if (id && Number.isFinite(at)) fields.eventsub = { message_id: id, message_timestamp: at };
    return undefined;
  },

  kindOf(fields) {
    if (fields.subscription === undefined) throw new Rejection('missing_field', 'subscription is missing');
    const subscription = objectAt(fields.subscription);
    if (!subscription) throw new Rejection('bad_field', 'subscription: expected an object');
    if (subscription.type === undefined) throw new Rejection('missing_field', 'subscription.type is missing');
    return kinds.get(subscription.type) ?? null;
  },

  schema: TwitchNotificationSchema,

  normalize({ event, eventsub }, kind) {
    const stream = event.broadcaster_user_id;
    if (kind === 'start') {
      if (event.started_at === undefined) throw new Rejection('missing_field', 'event.started_at is missing');
      // A broadcaster is one stream; the user id stays when the login is renamed.
      return { kind, domain: '', app: '', stream, occurredAtMs: event.started_at };
    }
    return {
      kind,
      domain: '',
      app: '',
      stream,
      ...(eventsub ? { occurredAtMs: eventsub.message_timestamp, messageId: eventsub.message_id } : {}),
    };
  },
};

/** RFC 3339 with nanoseconds, as Twitch writes its times. */
const nanoTime = (sec: number) => new Date(sec * 1000).toISOString().replace('Z', '000000Z');

/** The sample subscription of a type, as Twitch's notifications carry it. */
const subscriptionOf = (type: string, broadcaster: string, status = 'enabled') => ({
  id: sampleUuid(`subscription@${type}@${broadcaster}`),
  status,
  type,
  version: '1',
  condition: { broadcaster_user_id: broadcaster },
  transport: { method: 'webhook', callback: 'https://example.com/twitch' },
  created_at: '2026-11-02T10:00:00.123456789Z',
  cost: 0,
});

/** The message type a body is sent as: its challenge, its event, or neither (a revocation). */
const messageTypeOf = (fields: Record<string, unknown>) =>
  'challenge' in fields ? 'webhook_callback_verification' : 'event' in fields ? 'notification' : 'revocation';

/** A sample message id: the same text signed at the same time, the same id (a redelivery). */
const messageIdOf = (body: string, timestamp: string) => sampleUuid(`${timestamp}\n${body}`);

/** Twitch's sample notifications and signer, for the CLI, the bench and the tests (not in a bundle). */
export const twitchSamples: VendorSamples = {
  vendor: 'Twitch EventSub',
  sample: ({ kind, stream, sessionSec }) => {
    const broadcaster = {
      broadcaster_user_id: stream,
      broadcaster_user_login: stream.toLowerCase(),
      broadcaster_user_name: stream,
    };
    return kind === 'start'
      ? {
          subscription: subscriptionOf('stream.online', stream),
          event: {
            id: String(40_000_000_000 + (sessionSec % 1_000_000_000)),
            ...broadcaster,
            type: 'live',
            started_at: nanoTime(sessionSec),
          },
        }
      : { subscription: subscriptionOf('stream.offline', stream), event: broadcaster };
  },
  otherEvents: ({ stream }) => [
    {
      subscription: subscriptionOf('channel.update', stream),
      event: {
        broadcaster_user_id: stream,
        broadcaster_user_login: stream.toLowerCase(),
        broadcaster_user_name: stream,
        title: 'Best Stream Ever',
        language: 'en',
        category_id: '12453',
        category_name: 'Grand Theft Auto',
        content_classification_labels: ['MatureGame'],
      },
    },
  ],
  sign(fields, { key, nowSec, signedTime }) {
    const request = jsonRequest(fields);
    const timestamp = signedTime === undefined ? nanoTime(nowSec) : signedTime;
    const id = messageIdOf(request.body!, timestamp ?? '');
    const subscription = objectAt(fields.subscription);
    const headers: Record<string, string> = {
      ...request.headers,
      [header.id]: id,
      'twitch-eventsub-message-retry': '0',
      [header.type]: messageTypeOf(fields),
      'twitch-eventsub-subscription-type': String(subscription?.type ?? ''),
      'twitch-eventsub-subscription-version': String(subscription?.version ?? '1'),
      ...(timestamp === null ? {} : { [header.timestamp]: timestamp }),
    };
    if (key) headers[header.signature] = `sha256=${twitchSamples.signatureOf!(fields, key, timestamp ?? '')}`;
    return { ...request, headers };
  },
  signatureOf: (fields, key, timestamp) => {
    const body = JSON.stringify(fields);
    return hmacSha256Hex(key, `${messageIdOf(body, timestamp)}${timestamp}${body}`);
  },
  // Literal names: a property read at the top level would keep the samples in a bundle.
  signature: { header: 'twitch-eventsub-message-signature', part: 'sha256' },
  signedTime: { header: 'twitch-eventsub-message-timestamp', format: 'rfc3339' },
  // stream.offline has no time of its own: its record's time is the message's.
  signedTimeIsEventTime: true,
  exampleSecret: 'twitch-eventsub-secret',
  probe: { required: 'event.broadcaster_user_id', mistyped: { field: 'event', value: 'stream.online' } },
};
