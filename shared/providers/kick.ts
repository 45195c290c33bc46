import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import * as v from 'valibot';
import { Rejection } from '../answer';
import { commaList } from '../config';
import { jsonRequest, sampleUuid, type ProviderAdapter, type VendorSamples } from '../provider';
import { idField, rfc3339Field } from '../fields';
import { checkRfc3339TimeWindow, type TimeWindow } from '../time-window';

/**
 * Kick's public key, as docs.kick.com publishes it (events/webhook-security) and
 * `GET https://api.kick.com/public/v1/public-key` serves it: the default of
 * `LIVEHOOKS_KICK_KEYS`, never fetched at run time.
 */
export const kickPublicKey = `-----BEGIN PUBLIC KEY-----
MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAq/+l1WnlRrGSolDMA+A8
6rAhMbQGmQ2SapVcGM3zq8ANXjnhDWocMqfWcTd95btDydITa10kDvHzw9WQOqp2
MZI7ZyrfzJuz5nhTPCiJwTwnEtWft7nV14BYRDHvlfqPUaZ+1KR4OCaO/wWIk/rQ
L/TjY0M70gse8rlBkbo2a8rKhu69RQTRsoaf4DVhDPEeSeI5jVrRDGAMGL3cGuyY
6CLKGdjVEM78g3JfYOvDU/RvfqD7L89TZ3iN94jrmWdGz34JNlEI5hqK8dd7C5EF
BEbZ5jgB8s8ReQV8H+MkuffjdAj3ajDDX3DOJMIut1lBrUVD1AaSrGCKHooWoL2e
twIDAQAB
-----END PUBLIC KEY-----`;

/** A Kick `livestream.status.updated` webhook, version 1 (docs/vendors.md, Kick). */
export const KickStatusSchema = v.object({
  broadcaster: v.object({
    /** The channel's owner: one stream per broadcaster. */
    user_id: idField,
    username: v.optional(v.string()),
    channel_slug: v.optional(v.string()),
  }),
  is_live: v.boolean(),
  title: v.optional(v.string()),
  /** The stream's start, in both events: the session. */
  started_at: rfc3339Field,
  ended_at: v.optional(v.nullable(rfc3339Field)),
});

/** A validated Kick status update. */
export type KickStatus = v.InferOutput<typeof KickStatusSchema>;

const header = {
  id: 'kick-event-message-id',
  timestamp: 'kick-event-message-timestamp',
  signature: 'kick-event-signature',
} as const;

/** A message id as Kick writes them (a ULID), and nothing with the `.` that separates the signed parts. */
const messageIdPattern = /^[0-9A-Za-z_-]{1,128}$/;
/** A base64 RSA signature no longer than a 8192-bit key's (a bound on the work it can cause). */
const maxSignature = 1400;

/**
 * An RSA public key from a setting: PEM, or the base64 of its DER (SPKI) on one line, as a
 * list's item is. A private key (a test key pair's, as livehooks' samples make them) is
 * read as its public half.
 */
export function publicKeyOf(text: string): KeyObject {
  let key: KeyObject;
  if (text.includes('-----BEGIN')) key = createPublicKey(text);
  else {
    try {
      key = createPublicKey({ key: Buffer.from(text, 'base64'), format: 'der', type: 'spki' });
    } catch {
      key = createPublicKey(createPrivateKey({ key: Buffer.from(text, 'base64'), format: 'der', type: 'pkcs8' }));
    }
  }
  if (key.asymmetricKeyType !== 'rsa') throw new Error('not an RSA key');
  return key;
}

const parsedKeys = new WeakMap<readonly string[], readonly KeyObject[]>();

/** The configured keys, parsed once per list (the list stays the same for the container's life). */
function keyObjectsOf(keys: readonly string[]): readonly KeyObject[] {
  let parsed = parsedKeys.get(keys);
  if (!parsed) {
    try {
      parsed = keys.map(publicKeyOf);
    } catch {
      throw new Rejection(
        'not_configured',
        'a key of LIVEHOOKS_KICK_KEYS is not an RSA public key (PEM, or its base64)',
      );
    }
    parsedKeys.set(keys, parsed);
  }
  return parsed;
}

/**
 * Checks `Kick-Event-Signature`: base64 RSA-SHA256 (PKCS#1 v1.5) by Kick's key of the
 * message id, `.`, the timestamp, `.` and the raw body, for any configured public key, and
 * the timestamp (RFC 3339) against the window. The id has no `.` and the timestamp is one
 * exact RFC 3339 form, so the signed text splits one way only.
 */
export function verifyKickSignature(
  headers: Readonly<Record<string, string>>,
  body: string,
  keys: readonly string[],
  window: TimeWindow,
  nowMs: number,
): void {
  const signature = headers[header.signature];
  if (!signature) throw new Rejection('missing_signature', 'the Kick-Event-Signature header is missing');
  if (signature.length > maxSignature) throw new Rejection('bad_signature', 'Kick-Event-Signature is too long');
  const timestamp = headers[header.timestamp];
  checkRfc3339TimeWindow(timestamp, 'Kick-Event-Message-Timestamp', window, nowMs);
  const id = headers[header.id];
  if (!id) throw new Rejection('missing_signature', 'the Kick-Event-Message-Id header, which Kick signs, is missing');
  if (!messageIdPattern.test(id)) throw new Rejection('bad_signature', 'Kick-Event-Message-Id is not a message id');
  const signed = Buffer.from(`${id}.${timestamp}.${body}`);
  const bytes = Buffer.from(signature, 'base64');
  // Base64 written one way only: what decodes to the same bytes otherwise is not Kick's.
  if (bytes.toString('base64') !== signature)
    throw new Rejection('bad_signature', 'Kick-Event-Signature is not base64');
  const verified = keyObjectsOf(keys).reduce((matched, key) => verify('sha256', signed, key, bytes) || matched, false);
  if (!verified)
    throw new Rejection('bad_signature', 'Kick-Event-Signature verifies with no configured Kick public key');
}

/**
 * Kick webhooks (`POST /kick`), `livestream.status.updated`: `is_live` true when a stream
 * starts, false when it ends; both carry the stream's `started_at`, its session. Every
 * other event type (chat, follows, subscriptions, metadata) carries no `is_live` and is
 * acknowledged. Kick signs with one key pair for every app: a delivery meant for another
 * app verifies here too, so `LIVEHOOKS_KICK_BROADCASTERS` names the broadcasters whose
 * events are taken.
 */
export const kick: ProviderAdapter<KickStatus> = {
  name: 'kick',
  method: 'POST',
  format: 'json',
  signed: true,
  // Kick names no window. Five minutes, as Mux's: a replay from another app's deliveries
  // is bounded by it, and Kick sends each message at once (docs/vendors.md, Kick).
  defaultWindow: { past: 300, future: 60 },
  pairByTime: false,
  eventTimeField: 'started_at',

  readSettings(env) {
    const listed = commaList(env.LIVEHOOKS_KICK_BROADCASTERS);
    for (const id of listed) {
      if (!/^\d{1,20}$/.test(id))
        throw new Error('LIVEHOOKS_KICK_BROADCASTERS: expected Kick user ids (digits), comma-separated');
    }
    const configured = commaList(env.LIVEHOOKS_KICK_KEYS);
    for (const key of configured) {
      try {
        publicKeyOf(key);
      } catch {
        throw new Error('LIVEHOOKS_KICK_KEYS: expected RSA public keys (PEM, or the base64 of one), comma-separated');
      }
    }
    return {
      // Without a setting, the key Kick publishes; a `keys` parameter under PARAMETERS_PATH replaces it.
      ...(configured.length === 0 ? { keys: [kickPublicKey] } : {}),
      ...(listed.length > 0 ? { broadcasters: new Set(listed) } : {}),
    };
  },

  verify(fields, { request, config, nowMs }) {
    verifyKickSignature(request.headers, request.body, config.keys, config.window, nowMs);
    const broadcaster = (fields.broadcaster as Record<string, unknown> | undefined)?.user_id;
    if (config.broadcasters && !config.broadcasters.has(String(broadcaster))) {
      throw new Rejection(
        'foreign_event',
        "the broadcaster is not one of LIVEHOOKS_KICK_BROADCASTERS: Kick signs every app's deliveries with one key",
      );
    }
    return undefined;
  },

  kindOf(fields) {
    // Only livestream.status.updated has `is_live` (its type header is not signed).
    if (fields.is_live === undefined) return null;
    return fields.is_live === true ? 'start' : fields.is_live === false ? 'stop' : null;
  },

  schema: KickStatusSchema,

  normalize(message, kind) {
    const stream = message.broadcaster.user_id;
    if (kind === 'stop' && message.ended_at == null) throw new Rejection('missing_field', 'ended_at is missing');
    return {
      kind,
      domain: '',
      app: '',
      stream,
      // One start per stream: its instant, however Kick writes its offset.
      sessionId: new Date(message.started_at).toISOString(),
      occurredAtMs: kind === 'start' ? message.started_at : message.ended_at!,
    };
  },
};

/**
 * A key pair made for livehooks' sample events only (events/kick/), never Kick's: Kick's
 * private key is Kick's. `exampleSecret` is its public half.
 */
const examplePrivateKey = `-----BEGIN PRIVATE KEY-----
MIIEvwIBADANBgkqhkiG9w0BAQEFAASCBKkwggSlAgEAAoIBAQCYa3oXN4W2kJIG
64wt9yHqRvtR763hb1FYK9wTMUWa2XerCiKQDwxvLqoo7kQ93wvy694HasVCB8D6
AJJF99qcJzy7y1jpCIJ5IBwobtgakYHoVeK4rUCfD340kuJjnxec9fx8QVIb7ZV2
q03Jz/sg64sdTolswrmzFDU2MgXDAdSYcHH1uL51GE2zS/5AfuKs/QkuFawHCQYo
LE9lJgezNWcujGtM5VJJzPp3+2b4sC2MMBMUOtV3GRD22XEZtAUkOM+ChuGcS0ky
3/gnvN1LWfOV/oTEzjF0Nvl3CzyS/1cynKPEZ9g8807HzYqU2xB709Zga9P5h4/E
JkSLmF4bAgMBAAECggEAOfSYCm7utXH4TJBRD4NKTpIp6shnhfI1bIDU4ClajZxG
D++9H6jRMg983S5oHVyL5xT/qjNTiR14p7cC537sjXav9bpG9ujo75ShkFBBdKzC
SC0sFcuu6CxUcTouwfGS4Xh5RmfyCDOJIwPVArlGBIj7ryuXPpc2VB0JdK+FmFWp
29vYKSxOnpJIaLP45eEWvz7r1S11FRddLToXZ9JqX4frYhnvp68xpscufPVjn8BN
ZLw5+ehSHq/fx1a80DHmxsOYH0/jGQRWG6cRZ+dSicaVaY+AAwIxDvJs5iDVt2Ah
ExiNjhihNuS/8a1UZKxE/y9YJaL73yXbVJ4rUtqTQQKBgQDRn5SPTpRwh3xoDl2S
eC8kFwIm3MMjqp1cQFxLRZazGn8J3Nebix31oDsXA/zO7lfExsE+CYkhkLt+aWiO
MvZ5wcI3HqFvuU98vHznmV7e+7oDnjmZW9wUwis+mwzPF4Qn1oVGF2Ne7fLRzmq6
pVb/6P+QuwzdADkWgKSfxso7wQKBgQC6JBC+y2ama/VldPkBoyypHegSv8Pp+a5w
63jfk+ORVN7+1RHsklrJl+BPeRycalE00zPopYWVr8jiqjiII62Yhv7jrr2d+Cwo
bVrpkfCZ4rKzADL9X1FaZjm7/nUnvcumP22WGWWFPEOhKr7NQ7uf/HgJdMnIvQ7G
kvK5o2dA2wKBgQC9AJdgBsfMFjzTTXCM6ZQHhD9Kbu37MJAlZ1pP+/R+lDtK1zYH
Zo2is8/TVqMQqNG1+Eav+sUL4IVM2xmMbOLSsSK9s/52z6ydmQ09fImPn4P+UyE3
5x0uEkwPbJlF97wOd1s+8UOFiiHPjb+pff5NSvVyt1RHxzWx1leYQBKDgQKBgQCk
McAbrSxlTQHwdxhXm2p/24OlVkcpEzgPH4dGIRwyTJ1QSP9AoXE4NqKFOB5G03nC
kTNO2wNVIPShDOpFHMO6sgoRKUjWGd5J4vy44CVOeSyMvXY9DmGizl3LORB69+62
PWkbaFenCZvWhPA9/Kt62qfAH6cHTc3E2EcH/d3M1QKBgQDOM4jW3fhKB71MEnIf
FsFCt/ZWA1ydwlwhJUyjA+9hjBdazo8vYlVjmJIKb/qqqmD4ruBzY1y66iCC4Fxz
3f8ZXz8GYXcuXvqqkDzCJLNUVxJPxgi/h/mT2jDvIkhjXE8qT/8BJBqZe9dMXYqM
giKjrMiZXGeYfvWJuZDvX10qmA==
-----END PRIVATE KEY-----`;
const examplePublicKey =
  'MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAmGt6FzeFtpCSBuuMLfch6kb7Ue+t4W9RWCvcEzFFmtl3qwoikA8Mby6qKO5EPd8L8uveB2rFQgfA+gCSRffanCc8u8tY6QiCeSAcKG7YGpGB6FXiuK1Anw9+NJLiY58XnPX8fEFSG+2VdqtNyc/7IOuLHU6JbMK5sxQ1NjIFwwHUmHBx9bi+dRhNs0v+QH7irP0JLhWsBwkGKCxPZSYHszVnLoxrTOVSScz6d/tm+LAtjDATFDrVdxkQ9tlxGbQFJDjPgobhnEtJMt/4J7zdS1nzlf6ExM4xdDb5dws8kv9XMpyjxGfYPPNOx82KlNsQe9PWYGvT+YePxCZEi5heGwIDAQAB';

/** The entries the samples made, by secret. */
const entries = new Map<string, string>();

/** RFC 3339 to the second, as Kick writes its message timestamps. */
const secondTime = (sec: number) => new Date(sec * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** A sample message id, ULID-shaped: the same text signed at the same time, the same id. */
const messageIdOf = (body: string, timestamp: string) =>
  sampleUuid(`${timestamp}\n${body}`).replace(/-/g, '').slice(0, 26).toUpperCase();

/** The private key that signs for a key entry: the example's, or the private key the entry is (PEM or base64 DER). */
function privateKeyFor(entry: string): KeyObject {
  if (entry === examplePublicKey) return createPrivateKey(examplePrivateKey);
  try {
    return entry.includes('-----BEGIN')
      ? createPrivateKey(entry)
      : createPrivateKey({ key: Buffer.from(entry, 'base64'), format: 'der', type: 'pkcs8' });
  } catch {
    throw new Error('Kick signs with its own private key: give a private key (PEM, or its base64), as keyEntry makes');
  }
}

/** Kick's sample webhooks and a signer with throwaway keys, for the CLI, the bench and the tests (not in a bundle). */
export const kickSamples: VendorSamples = {
  vendor: 'Kick',
  sample: ({ kind, stream, sessionSec, timeSec }) => ({
    broadcaster: {
      is_anonymous: false,
      user_id: /^\d+$/.test(stream) ? Number(stream) : stream,
      username: stream,
      is_verified: true,
      profile_picture: 'https://example.com/broadcaster_avatar.jpg',
      channel_slug: stream.toLowerCase(),
      identity: null,
    },
    is_live: kind === 'start',
    title: 'Stream Title',
    started_at: new Date(sessionSec * 1000).toISOString(),
    ended_at: kind === 'start' ? null : new Date(timeSec * 1000).toISOString(),
  }),
  otherEvents: ({ stream }) => [
    {
      broadcaster: { is_anonymous: false, user_id: 123456789, username: stream, is_verified: true, identity: null },
      metadata: {
        title: 'Stream Title',
        language: 'en',
        has_mature_content: false,
        category: { id: 123, name: 'Category name', thumbnail: 'http://example.com/image123' },
      },
    },
  ],
  sign(fields, { key, nowSec, signedTime }) {
    const request = jsonRequest(fields);
    const timestamp = signedTime === undefined ? secondTime(nowSec) : signedTime;
    const headers: Record<string, string> = {
      ...request.headers,
      [header.id]: messageIdOf(request.body!, timestamp ?? ''),
      'kick-event-subscription-id': '01JH9D2S1Y0Q3T7XWKZ5M8R4NB',
      'kick-event-type': 'is_live' in fields ? 'livestream.status.updated' : 'livestream.metadata.updated',
      'kick-event-version': '1',
      ...(timestamp === null ? {} : { [header.timestamp]: timestamp }),
    };
    if (key) headers[header.signature] = kickSamples.signatureOf!(fields, key, timestamp ?? '');
    return { ...request, headers };
  },
  signatureOf: (fields, key, timestamp) => {
    const body = JSON.stringify(fields);
    const signed = Buffer.from(`${messageIdOf(body, timestamp)}.${timestamp}.${body}`);
    return sign('sha256', signed, privateKeyFor(key)).toString('base64');
  },
  // Literal names: a property read at the top level would keep the samples in a bundle.
  signature: { header: 'kick-event-signature', caseSensitive: true },
  signedTime: { header: 'kick-event-message-timestamp', format: 'rfc3339' },
  // A throwaway key pair per secret, made once: its entry is the private key (base64 DER), which
  // both signs (sign, the CLI's --key) and, in LIVEHOOKS_KICK_KEYS, verifies as its public half.
  keyEntry(secret) {
    if (secret === examplePublicKey) return secret;
    let entry = entries.get(secret);
    if (!entry) {
      const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      entry = privateKey.export({ type: 'pkcs8', format: 'der' }).toString('base64');
      entries.set(secret, entry);
    }
    return entry;
  },
  exampleSecret: examplePublicKey,
  probe: { required: 'broadcaster.user_id', mistyped: { field: 'broadcaster', value: 'broadcaster_name' } },
};
