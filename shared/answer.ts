import type { APIGatewayProxyStructuredResultV2 as FunctionUrlResult } from 'aws-lambda';

/** Every reason a callback can be turned away with, by the status it answers. */
export const reasonStatus = {
  method_not_allowed: 405,
  unsupported_media_type: 415,
  payload_too_large: 413,
  malformed_body: 400,
  missing_field: 400,
  bad_field: 400,
  event_time_ahead: 400,
  not_configured: 401,
  missing_token: 401,
  bad_token: 401,
  missing_signature: 401,
  bad_signature: 401,
  missing_timestamp: 401,
  bad_timestamp: 401,
  expired: 401,
  not_yet_valid: 401,
  replayed: 401,
  stream_not_allowed: 403,
  foreign_event: 403,
  // Twitch asks for a 2xx; the revocation is still kept and counted as a failure (metrics.ts).
  subscription_revoked: 200,
  store_unavailable: 503,
  throttled: 503,
  publish_unavailable: 503,
  secrets_unavailable: 503,
} as const;

/** A reason code: one word a user can search for in the README. */
export type Reason = keyof typeof reasonStatus;

/**
 * A callback we refuse, with the reason code and a message for the caller. Messages name
 * fields and settings, never keys, tokens or payload values.
 */
export class Rejection extends Error {
  readonly status: number;
  /** The stream the callback was about, when known: logged, never answered. */
  streamKey?: string;
  /** What went wrong underneath (a store error's name and message): logged, never answered. */
  detail?: string;
  constructor(
    readonly reason: Reason,
    message: string,
  ) {
    super(message);
    this.name = 'Rejection';
    this.status = reasonStatus[reason];
  }
}

/**
 * A 503 for a failure underneath us (the store, the parameter store), so that the vendor
 * retries; what went wrong is kept for the log, never answered.
 */
export function unavailable(
  reason: 'store_unavailable' | 'throttled' | 'publish_unavailable' | 'secrets_unavailable',
  message: string,
  cause: unknown,
): Rejection {
  const rejection = new Rejection(reason, message);
  rejection.detail = cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
  return rejection;
}

/**
 * How an accepted callback ended: newly stored, already stored, or not a start or stop
 * (with the vendor's own answer to a handshake, Twitch's challenge).
 */
export type Outcome =
  ({ result: 'stored' | 'duplicate'; id: string } & Timings) | { result: 'ignored'; answer?: FunctionUrlResult };

/** Milliseconds a callback's store and notification work took, for its metrics. */
export interface Timings {
  storeMs?: number | undefined;
  /** Open pushes of the stream older than the provider's `STALE_AFTER`, when it is set. */
  stalePushes?: number | undefined;
  publishMs?: number | undefined;
}

const jsonHeaders = { 'content-type': 'application/json' };

/** The 200 answer. `code: 0` is what Tencent suggests and what SRS requires to allow a push. */
export function acceptedAnswer(outcome: Outcome): FunctionUrlResult {
  if (outcome.result === 'ignored' && outcome.answer) return outcome.answer;
  // Written out rather than stringified: an id is 32 hex digits, nothing to escape.
  const body =
    outcome.result === 'ignored'
      ? '{"code":0,"ignored":true}'
      : `{"code":0,"id":"${outcome.id}","duplicate":${outcome.result === 'duplicate'}}`;
  return { statusCode: 200, headers: jsonHeaders, body };
}

/** An answer of `body` as JSON. */
export function jsonAnswer(statusCode: number, body: unknown): FunctionUrlResult {
  return { statusCode, headers: jsonHeaders, body: JSON.stringify(body) };
}

/** The answer to a rejected callback; `code` is non-zero so that SRS refuses the push. */
export function rejectionAnswer(rejection: Rejection): FunctionUrlResult {
  return jsonAnswer(rejection.status, refusalResult(rejection));
}

/** What an EventBridge event's handler returns: the body an HTTP callback is answered with. */
export type EventResult =
  | { code: 0; id: string; duplicate: boolean }
  | { code: 0; ignored: true }
  | { code: number; reason: Reason; message: string };

/** The result of an accepted event. */
export function eventResult(outcome: Outcome): EventResult {
  return outcome.result === 'ignored'
    ? { code: 0, ignored: true }
    : { code: 0, id: outcome.id, duplicate: outcome.result === 'duplicate' };
}

/** The result (and an HTTP answer's body) of a refusal. */
export function refusalResult(rejection: Rejection): EventResult {
  return { code: rejection.status, reason: rejection.reason, message: rejection.message };
}
