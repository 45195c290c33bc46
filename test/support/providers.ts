/**
 * Every registered provider as its vendor would call us, for the generic suites: built from
 * the registry (tools/providers.ts), each vendor's own samples and signer, so that a new
 * vendor is tested by every suite as soon as it is registered.
 */
import type { LambdaFunctionURLEvent } from 'aws-lambda';
import { createHmac } from 'node:crypto';
import * as v from 'valibot';
import { envPrefix } from '../../shared/config';
import { jsonRequest, type Carrier, type ProviderAdapter, type VendorSamples } from '../../shared/provider';
import { streamKeyOf, type EventDraft } from '../../shared/record';
import { httpProviderNames, httpProviderOf } from '../../tools/providers';
import { vendorEvent } from '../../tools/vendor-requests';

/** The current time every test injects, in seconds. */
export const nowSec = 1_795_428_000;
export const nowMs = nowSec * 1000;

/** Two keys, newest first, and one nobody configured. */
export const keys = {
  newest: 'k1-0123456789abcdef0123456789abcdef',
  older: 'k2-fedcba9876543210fedcba9876543210',
  unknown: 'k3-not-configured-0000000000000000',
};
export const tokens = { newest: 'tok-newest-6c1f0e', older: 'tok-older-99a2b4', unknown: 'tok-unknown-000000' };

/** One start or stop of one push, in the vendor's terms. */
export interface CallbackSpec {
  kind: 'start' | 'stop';
  stream: string;
  /** When the push started (Unix seconds): its session value is made from it. */
  sessionStartSec: number;
  /** When this event happened, and when the vendor signs it (Unix seconds). */
  timeSec: number;
}

/** How a test signs: with which key, what the signed time field says (`null`: absent), which URL token. */
export interface SignOptions {
  key?: string;
  /** The raw value of the vendor's time field; by default what the vendor would send for `timeSec`. */
  signedTime?: string | null;
  token?: string;
  /** A change to the vendor's fields before they are signed (the callback stays genuine). */
  change?: (fields: Record<string, unknown>) => void;
}

/** Everything a generic test needs to drive one provider like its vendor would. */
export interface ProviderFixture {
  adapter: ProviderAdapter<unknown>;
  samples: VendorSamples;
  /** Settings of a properly configured deployment: both keys for a signing vendor, else both tokens. */
  env: Record<string, string>;
  /** The vendor's signed start or stop (with the newest URL token, for vendors that cannot sign). */
  callback(spec: CallbackSpec, options?: SignOptions): LambdaFunctionURLEvent;
  /** Signed callbacks of types that are neither a start nor a stop. */
  ignored(options?: SignOptions): LambdaFunctionURLEvent[];
  /**
   * The signed time field, where it travels (a header, or one `part=` of it), and its
   * window, for vendors that sign one.
   */
  time?: {
    field: string;
    inHeader: boolean;
    part?: string;
    /** The claim of a JWT in the header (LiveKit's `nbf`). */
    claim?: string;
    past: number;
    future: number;
    /** The signed time's text for a time in Unix seconds. */
    text: (sec: number) => string;
  };
  /** Where the signature travels, for signing vendors. */
  signature?: Carrier;
  /** A required field, and a field with a value of the wrong type (sign the changed fields: `callback`'s `change`). */
  schema: { required: string; wrong: { field: string; value: unknown } };
  /** The domain its records carry (origins name the server they were pushed to). */
  domain: string;
  /** The draft of a sample start: the domain and app its records carry, and which optional fields it fills. */
  draft: EventDraft;
  /** The key of a stream of this vendor's samples, named `stream`. */
  streamKey: (stream: string) => string;
  /** The vendor sends the event's own time; without one, `occurredAt` is the receive time. */
  sendsEventTime: boolean;
}

function fixtureOf(name: string): ProviderFixture {
  const { adapter, samples } = httpProviderOf(name);
  const signs = adapter.signed;
  const keyEntry = (key: string) => samples.keyEntry?.(key) ?? key;
  const event = (fields: Record<string, unknown>, timeSec: number, options: SignOptions = {}) => {
    const { key = keys.newest, signedTime, token = signs ? undefined : tokens.newest } = options;
    const request = samples.sign(fields, { key: signs ? keyEntry(key) : undefined, nowSec: timeSec, signedTime });
    return vendorEvent(name, request, token, new Date(nowMs));
  };
  const spec = (callback: CallbackSpec) => ({
    kind: callback.kind,
    stream: callback.stream,
    sessionSec: callback.sessionStartSec,
    timeSec: callback.timeSec,
  });
  const sample = samples.sample({ kind: 'start', stream: 's', sessionSec: nowSec, timeSec: nowSec });
  const { signedTime, signature } = samples;
  return {
    adapter,
    samples,
    env: {
      [`${envPrefix(name)}${signs ? 'KEYS' : 'TOKENS'}`]: signs
        ? `${keyEntry(keys.newest)},${keyEntry(keys.older)}`
        : `${tokens.newest},${tokens.older}`,
    },
    callback: (callback, options) => {
      const fields = samples.sample(spec(callback));
      options?.change?.(fields);
      return event(fields, callback.timeSec, options);
    },
    ignored: (options) => samples.otherEvents(spec(startOf('s', 0))).map((fields) => event(fields, nowSec, options)),
    ...(signs && signedTime
      ? {
          time: {
            field: 'header' in signedTime ? signedTime.header.toUpperCase() : signedTime.field,
            inHeader: 'header' in signedTime,
            ...('header' in signedTime && signedTime.part ? { part: signedTime.part } : {}),
            ...('header' in signedTime && signedTime.claim ? { claim: signedTime.claim } : {}),
            text: (sec: number) =>
              signedTime.format === 'rfc3339'
                ? new Date(sec * 1000).toISOString()
                : String(signedTime.format === 'milliseconds' ? sec * 1000 : sec),
            past: adapter.defaultWindow!.past,
            future: adapter.defaultWindow!.future,
          },
        }
      : {}),
    ...(signature ? { signature } : {}),
    schema: { required: samples.probe.required, wrong: samples.probe.mistyped },
    domain: adapter.normalize(v.parse(adapter.schema, sample), 'start', nowMs).domain,
    draft: adapter.normalize(v.parse(adapter.schema, sample), 'start', nowMs),
    streamKey: (stream) => {
      const { domain, app } = adapter.normalize(v.parse(adapter.schema, sample), 'start', nowMs);
      return streamKeyOf(name, { domain, app, stream }, adapter.foldStreamCase);
    },
    sendsEventTime: adapter.eventTimeField !== undefined,
  };
}

/** Every registered provider behind a URL (an EventBridge source has its own tests). */
export const providerFixtures = httpProviderNames.map(fixtureOf);

/** The vendors that stamp and retry (clouds), and the origins: no event times, no retries, delivery in order. */
export const cloudFixtures = providerFixtures.filter((fixture) => fixture.sendsEventTime);
export const originFixtures = providerFixtures.filter((fixture) => !fixture.sendsEventTime);

/** The fixture of one provider, by route name. */
export function fixtureFor(name: string): ProviderFixture {
  const fixture = providerFixtures.find((candidate) => candidate.adapter.name === name);
  if (!fixture) throw new Error(`no fixture for ${name}`);
  return fixture;
}

/** Every secret the suites configure: the fixtures' and the vendors' documented samples'. */
export const configuredSecrets = [
  ...Object.values(keys),
  ...Object.values(tokens),
  ...providerFixtures.map((fixture) => fixture.samples.exampleSecret),
  'e2e-nginx-token',
];

/** A vendor time field: which provider, where it travels, whether it is signed, how it is written, how far ahead of the event the vendor sets it. */
export interface TimeField {
  provider: string;
  field: string;
  signed: boolean;
  /** Unix seconds (`unit` 1), milliseconds (1000), or RFC 3339 text. */
  format: 'unix' | 'rfc3339';
  unit: number;
  /** Seconds the vendor puts it ahead of the event (Tencent's `t` is an expiry). */
  ahead: number;
  /** For an event time: sets it in a callback's fields (top level, or one object down: Cloudflare's `data.updated_at`). */
  set?: (fields: Record<string, unknown>, value: string) => void;
}

/** The value of `part=` in a header of comma-separated items (Mux's `t=…,v1=…`). */
export function headerPart(header: string, part: string): string | undefined {
  const item = header.split(',').find((candidate) => candidate.trim().startsWith(`${part}=`));
  return item?.slice(item.indexOf('=') + 1);
}

/** The claims of a JWT (LiveKit's `Authorization`), unverified. */
export function jwtClaims(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8'));
}

/** A JWT with its claims changed and its signature kept: no longer genuine. */
export function withJwtClaims(token: string, change: (claims: Record<string, unknown>) => void): string {
  const [header, , signature] = token.split('.');
  const claims = jwtClaims(token);
  change(claims);
  return `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${signature}`;
}

/** Where an event time field sits in a sample: its object and its value. */
function eventTimeIn(sample: Record<string, unknown>, field: string): Record<string, unknown> | undefined {
  if (field in sample) return sample;
  return Object.values(sample).find(
    (value): value is Record<string, unknown> => typeof value === 'object' && value !== null && field in value,
  );
}

/**
 * Every vendor time field of every registered provider: the signed time (where a vendor
 * signs one) and the event's own time, with its unit read off the vendor's sample.
 */
export const timeFields: TimeField[] = providerFixtures.flatMap((fixture) => {
  const { adapter, samples, time } = fixture;
  const fields: TimeField[] = [];
  const sample = () => samples.sample({ kind: 'start', stream: 's', sessionSec: nowSec, timeSec: nowSec });
  if (time) {
    const request = samples.sign(sample(), { key: samples.keyEntry?.(keys.newest) ?? keys.newest, nowSec });
    const header = time.inHeader
      ? (request.headers[time.field.toLowerCase()] ?? request.headers[time.field])
      : undefined;
    const sent =
      header === undefined
        ? JSON.parse(request.body ?? '{}')[time.field]
        : time.claim
          ? jwtClaims(header)[time.claim]
          : time.part
            ? headerPart(header, time.part)
            : header;
    const rfc3339 = samples.signedTime?.format === 'rfc3339';
    const unit = rfc3339 ? 1000 : Number(time.text(1));
    const ahead = (rfc3339 ? Date.parse(sent) : Number(sent)) / unit - nowSec;
    const format = rfc3339 ? 'rfc3339' : 'unix';
    fields.push({ provider: adapter.name, field: time.field, signed: true, format, unit, ahead });
  }
  if (adapter.eventTimeField) {
    const field = adapter.eventTimeField;
    const value = eventTimeIn(sample(), field)![field];
    const format = typeof value === 'string' && !/^\d+$/.test(value) ? 'rfc3339' : 'unix';
    const unit = Number(value) === nowSec * 1000 ? 1000 : 1;
    const set = (fields: Record<string, unknown>, text: string) => void (eventTimeIn(fields, field)![field] = text);
    fields.push({ provider: adapter.name, field, signed: false, format, unit, ahead: 0, set });
  }
  return fields;
});

/** Two streams, two pushes each, the last one still live, in the vendors' time order. */
export const twoStreamsHistory: CallbackSpec[] = [
  { kind: 'start', stream: 'north', sessionStartSec: nowSec - 200, timeSec: nowSec - 200 },
  { kind: 'start', stream: 'south', sessionStartSec: nowSec - 190, timeSec: nowSec - 190 },
  { kind: 'stop', stream: 'north', sessionStartSec: nowSec - 200, timeSec: nowSec - 150 },
  { kind: 'stop', stream: 'south', sessionStartSec: nowSec - 190, timeSec: nowSec - 140 },
  { kind: 'start', stream: 'north', sessionStartSec: nowSec - 100, timeSec: nowSec - 100 },
  { kind: 'start', stream: 'south', sessionStartSec: nowSec - 90, timeSec: nowSec - 90 },
  { kind: 'stop', stream: 'north', sessionStartSec: nowSec - 100, timeSec: nowSec - 60 },
];

/** The start of a push on `stream` that began `agoSec` seconds before now. */
export function startOf(stream: string, agoSec = 30): CallbackSpec {
  return { kind: 'start', stream, sessionStartSec: nowSec - agoSec, timeSec: nowSec - agoSec };
}

/**
 * A Huawei callback with exactly `fields` in its body and `auth_sign` computed over the
 * signed fields of `signedAs` (by default the same fields): how a genuine signature is
 * moved onto another split of its text.
 */
export function huaweiCallbackSignedAs(
  fields: Record<string, unknown>,
  signedAs: Record<string, unknown> = fields,
): LambdaFunctionURLEvent {
  const text = ['event', 'domain', 'app', 'stream', 'auth_timestamp'].map((name) => String(signedAs[name])).join('');
  const auth_sign = createHmac('sha256', keys.newest).update(text).digest('hex');
  return vendorEvent('huawei', jsonRequest({ ...fields, auth_sign }), undefined, new Date(nowMs));
}
