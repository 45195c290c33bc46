import type * as v from 'valibot';
import { sha256Hex } from './signature';
import type { APIGatewayProxyStructuredResultV2 as FunctionUrlResult } from 'aws-lambda';
import type { Env, ProviderConfig } from './config';
import type { EventDraft, EventKind } from './record';
import type { RawRequest } from './request';
import type { TimeWindow } from './time-window';

/** A replay guard: a signature may be seen again only with the same identity. */
export interface SignatureClaim {
  provider: string;
  /** The signature as presented; the table keeps only its digest. */
  signature: string;
  /** Everything the signature stands for, written so that two identities never read alike. */
  identity: string;
  /** When the signature's window closes: after this the claim may be given to another identity. */
  expiresAtMs: number;
}

/** Where a vendor puts a callback's fields. */
export type FieldFormat = 'query' | 'json' | 'form';

/** What a signature check gets: the request, the provider's settings and "now". */
export interface VerifyContext {
  request: RawRequest;
  config: ProviderConfig;
  nowMs: number;
}

/**
 * What every source has, however its events arrive: their schema, which of them are a
 * start or a stop, and how they become records. docs/adding-a-vendor.md is the recipe.
 */
export interface SourceAdapter<Message> {
  /** The route and record `provider` value, e.g. `tencent`. */
  name: string;
  /**
   * The documented window of the vendor's signed time field. Absent when it signs no
   * time: its event times may then lie at most 60 s ahead.
   */
  defaultWindow?: TimeWindow;
  /** The field holding the vendor's own time of the event, for refusals; absent when it sends none. */
  eventTimeField?: string;
  /**
   * Fields that hold a secret: the vendor's signature, a stream's push key. Redacted from
   * the stored payload, at any depth.
   */
  secretFields?: readonly string[];
  /**
   * Fields whose value is the publisher's query string (Alibaba `usrargs`): a name in it
   * without `=` may itself be the secret (`?SECRET`), and is redacted too.
   */
  queryFields?: readonly string[];
  /**
   * The vendor reports the end of a push it was told to refuse (OvenMediaEngine closes a
   * refused RTMP publish with a `closing`): a stop under a name outside ALLOW_STREAMS is
   * then acknowledged and not recorded, so that a refused push leaves nothing.
   */
  endsRefusedPushes?: boolean;
  /**
   * Reads the vendor's own settings at cold start (Agora's `LEGACY_SIGNATURE`), added to
   * the provider's; throws on a malformed value, as the shared settings do.
   */
  readSettings?(env: Env): Partial<ProviderConfig>;
  /** The vendor sends no session value: stops are paired with starts by time. */
  pairByTime: boolean;
  /** Stream names are case-insensitive at this vendor: the stream key folds them. */
  foldStreamCase?: boolean;
  /**
   * Whether the event is a start or a stop, read before the schema so that any other event
   * type (recording, snapshot, ...) is acknowledged and ignored, never refused for not
   * matching a start's schema. Throws a `Rejection` when the type field is missing.
   */
  kindOf(fields: Record<string, unknown>): EventKind | null;
  /** The valibot schema of a start or stop. */
  schema: v.GenericSchema<unknown, Message>;
  /**
   * The record draft of a validated start or stop; `nowMs` is the receive time. The
   * pipeline adds the payload (`raw`) and redacts credentials from `params` itself.
   */
  normalize(message: Message, kind: EventKind, nowMs: number): EventDraft;
}

/**
 * A vendor that calls a URL (a Function URL): how its callbacks arrive and how their
 * authenticity is checked. This is what its function runs; the vendor's
 * {@link VendorSamples} sit beside it in the same file.
 */
export interface ProviderAdapter<Message> extends SourceAdapter<Message> {
  method: 'GET' | 'POST';
  format: FieldFormat;
  /** Whether the vendor signs callbacks with a key (`LIVEHOOKS_<PROVIDER>_KEYS`). */
  signed: boolean;
  /**
   * A header in which the vendor sends a configured token itself (Cloudflare's
   * `cf-webhook-auth`), lower-case: checked as the URL token is.
   */
  tokenHeader?: string;
  /**
   * Checks the vendor's signature and time fields on the parsed, not yet validated fields
   * (so nothing about the schema is revealed to an unauthenticated caller). Throws a
   * `Rejection`. May return a claim that the store must accept, to stop a signature
   * being replayed for another identity.
   */
  verify?(fields: Record<string, unknown>, context: VerifyContext): SignatureClaim | undefined;
  /**
   * For a vendor that sends more than events to the URL, told apart by a header (Twitch's
   * `Twitch-Eventsub-Message-Type`): run after the signature check, before the event type.
   * Returns the vendor's own answer to a request that is not an event (Twitch's challenge,
   * echoed only once its signature passed), throws a `Rejection` for one that must be kept
   * and alarmed (a revocation), or returns undefined for an event, having added to `fields`
   * what the headers say of it (Twitch's message id and time).
   */
  handshake?(fields: Record<string, unknown>, request: RawRequest): FunctionUrlResult | undefined;
  /**
   * For a vendor that acts on what the answer says (OvenMediaEngine's admission): its
   * answer, made from the one every other vendor gets, and whether the table holds the
   * callback (a refusal for a failed notification comes after the store took it).
   */
  answer?(answer: FunctionUrlResult, stored: boolean): FunctionUrlResult;
}

/**
 * An AWS service whose events reach the function through an EventBridge rule: no URL, no
 * secret. The rule (serverless.yml) matches `source` and `detailTypes`; the function
 * refuses an event from another source, account or region.
 */
export interface EventBridgeAdapter<Message> extends SourceAdapter<Message> {
  /** The events' `source`, e.g. `aws.ivs`. */
  source: string;
  /** The `detail-type`s the rule matches; any other is acknowledged and ignored. */
  detailTypes: readonly string[];
}

/** Either kind of source. */
export type AnyAdapter = ProviderAdapter<unknown> | EventBridgeAdapter<unknown>;

/** Whether a source's events come through EventBridge rather than a URL. */
export const isEventBridgeAdapter = (adapter: AnyAdapter): adapter is EventBridgeAdapter<unknown> =>
  'source' in adapter;

/** One push, in the terms a sample callback needs. */
export interface SampleSpec {
  kind: EventKind;
  stream: string;
  /** When the push started, Unix seconds: its session value is made from it. */
  sessionSec: number;
  /** When this event happened, and when the vendor sends it, Unix seconds. */
  timeSec: number;
}

/** A callback as a vendor sends it: method, query fields, headers and body. */
export interface VendorRequest {
  method: 'GET' | 'POST';
  query: Record<string, string>;
  headers: Record<string, string>;
  body?: string;
}

/** How a sample is signed. */
export interface SignOptions {
  /** The signing key; without one, the request goes out unsigned. */
  key?: string | undefined;
  /** When the vendor signs, Unix seconds. */
  nowSec: number;
  /** The signed time field's text instead of the vendor's (tests of the window), or null to leave it out. */
  signedTime?: string | null | undefined;
}

/**
 * Where a signature or a signed time travels: a header (lower-case), one `part=` of a
 * header's comma-separated items (Mux's `t` and `v1`, Twitch's `sha256`), one claim of a
 * JWT in a header (LiveKit's `nbf`), or a field. A signature is hex, compared in either
 * case, unless `caseSensitive` (base64); a signed time is in Unix seconds unless `format`
 * says otherwise (Agora's milliseconds, Twitch's and Kick's RFC 3339).
 */
export type Carrier = ({ header: string; part?: string; claim?: string } | { field: string }) & {
  caseSensitive?: boolean;
  format?: 'milliseconds' | 'rfc3339';
};

/**
 * What tools know of a vendor beside its adapter: a sample callback, the vendor's other
 * events, and how the vendor signs. The CLI's `sign` and `send`, the bench and the tests
 * use it; no function does, so a bundle (which imports only the adapter) leaves it out.
 * The signatures are checked against known answers computed by other tools
 * (test/fixtures/signatures.json), as the adapter's checks are, so that a mistake common to
 * both cannot pass the tests.
 */
export interface VendorSamples {
  /** The vendor's product, as the README's table and package.json name it: `Mux Video`. */
  vendor: string;
  /** A start or stop of one push, with every field the vendor sends. */
  sample(spec: SampleSpec): Record<string, unknown>;
  /** Callbacks of other event types the vendor sends to the same URL (acknowledged and ignored). */
  otherEvents(spec: SampleSpec): Record<string, unknown>[];
  /** The request that carries `fields`, signed as the vendor signs. */
  sign(fields: Record<string, unknown>, options: SignOptions): VendorRequest;
  /** The vendor's signature of `fields` with `key` and the signed time's text, for vendors that sign. */
  signatureOf?: (fields: Record<string, unknown>, key: string, signedTime: string) => string;
  /** Where the signature travels, for vendors that sign. */
  signature?: Carrier;
  /** Where the signed time travels, for vendors that sign one. */
  signedTime?: Carrier;
  /**
   * Whether the signed time is also when the event happened (Huawei's stop has no time of
   * its own): a replay of past events (the load test) signs it at the event's second, not
   * the send's.
   */
  signedTimeIsEventTime?: true;
  /**
   * How a signing key is written in `LIVEHOOKS_<PROVIDER>_KEYS` and given to `sign`, when
   * it is more than the secret (LiveKit's `<API key>:<API secret>`).
   */
  keyEntry?(secret: string): string;
  /** The key (signing vendors) or URL token the sample events in `events/<route>/` were made with. */
  exampleSecret: string;
  /**
   * For the conformance tests: a field the schema requires (a path, `data.input_id`, for one
   * inside an object), and a top-level field with a value of the wrong type. The tests sign the changed fields as the vendor would, and expect the
   * schema's refusal.
   */
  probe: { required: string; mistyped: { field: string; value: unknown } };
}

/** A JSON request of `fields`. */
export const jsonRequest = (fields: Record<string, unknown>): VendorRequest => ({
  method: 'POST',
  query: {},
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(fields),
});

/** A form request of `fields`. */
export const formRequest = (fields: Record<string, unknown>): VendorRequest => ({
  method: 'POST',
  query: {},
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams(fields as Record<string, string>).toString(),
});

/** A time field as vendors send it: canonical digits as a JSON number, anything else (a test's) as the text it is. */
export const timeAsSent = (text: string) => (String(Number(text)) === text ? Number(text) : text);

/** A UUID-shaped id made from `text`, for samples' event ids (the same text, the same id). */
export const sampleUuid = (text: string) =>
  sha256Hex(text)
    .slice(0, 32)
    .replace(/^(.{8})(.{4})(.{4})(.{4})/, '$1-$2-$3-$4-');

/** The account and region of every sample EventBridge event, and of `npm start`'s stand-in for a rule. */
export const sampleOrigin = { account: '123456789012', region: 'us-east-1' } as const;
