import type { APIGatewayProxyStructuredResultV2 as FunctionUrlResult } from 'aws-lambda';
import * as v from 'valibot';
import { acceptedAnswer, Rejection, rejectionAnswer, unavailable, type Outcome } from './answer';
import { credentialVariables, envPrefix, type ProviderConfig } from './config';
import { logRejection } from './log';
import type { FieldFormat, ProviderAdapter } from './provider';
import { buildRecord, streamKeyOf } from './record';
import { redactForm, redactJson, redactParams, type Redaction } from './redact';
import { forEachFormPair, parseFormFields, type RawRequest } from './request';
import { matchesAnyConfigured } from './signature';
import { notificationOf } from './notification';
import type { Publisher } from './publishers/port';
import type { EventStore } from './store/port';
import { allSettled } from './all-settled';

/** Bodies (and Alibaba's query strings) above this are refused (docs/behaviour.md §2). */
export const maxPayloadBytes = 64 * 1024;

/**
 * The stream key is a DynamoDB key (the `live-streams` index's sort key may hold 1024
 * bytes): longer names are refused as a bad field rather than failing in the store.
 */
export const maxStreamKeyBytes = 512;

const none: readonly string[] = [];

/**
 * How long a callback's store and publish work may take in all: a failure underneath
 * answers 503 well inside Alibaba's 5 s (the function's timeout is 4 s).
 */
export const deliveryBudgetMs = 3500;

/** Everything one callback is checked, stored and announced with. */
export interface PipelineContext<Message> {
  adapter: ProviderAdapter<Message>;
  config: ProviderConfig;
  /** The table; absent in a queue-only deployment. */
  store?: EventStore;
  /** Where notifications go; absent when there is no destination. */
  publisher?: Publisher;
  /** The current time in milliseconds: a parameter, so that tests set it. */
  nowMs: number;
}

/**
 * Turns one raw callback into its answer: authenticate, validate, normalize, store, announce.
 * Every refusal is a `Rejection` with a status and reason code, logged once; nothing is
 * written before all checks have passed.
 */
export async function receive<Message>(
  request: RawRequest,
  context: PipelineContext<Message>,
): Promise<FunctionUrlResult> {
  try {
    return acceptedAnswer(await process(request, context));
  } catch (error) {
    if (!(error instanceof Rejection)) throw error;
    return refuse(context.adapter.name, error);
  }
}

/** Logs a rejection once and answers it. */
export function refuse(provider: string, rejection: Rejection): FunctionUrlResult {
  logRejection(provider, rejection);
  return rejectionAnswer(rejection);
}

async function process<Message>(
  raw: RawRequest,
  { adapter, config, store, publisher, nowMs }: PipelineContext<Message>,
): Promise<Outcome> {
  checkTransport(raw, adapter);
  const request = config.authOff ? raw : checkToken(raw, adapter, config);
  const fields = readFields(request, adapter.format);
  const mustVerify = !config.authOff && adapter.signed && config.keys.length > 0;
  const claim = mustVerify ? adapter.verify?.(fields, { request, config, nowMs }) : undefined;

  const kind = adapter.kindOf(fields);
  if (kind === null) return { result: 'ignored' };
  const message = validate(adapter.schema, fields);
  const draft = adapter.normalize(message, kind, nowMs);
  checkEventTime(draft.occurredAtMs, adapter, config, nowMs);
  const streamKey = streamKeyOf(adapter.name, draft, adapter.foldStreamCase);
  // Lengths before any matching: a name is matched against the patterns only once it is short.
  if (Buffer.byteLength(streamKey) > maxStreamKeyBytes) {
    throw new Rejection('bad_field', `domain, app and stream are longer than ${maxStreamKeyBytes} bytes together`);
  }
  if (kind === 'start' && config.allowStreams && !config.allowStreams(draft.stream)) {
    throw new Rejection(
      'stream_not_allowed',
      `the stream name matches nothing in ${envPrefix(adapter.name)}ALLOW_STREAMS`,
    );
  }
  const redaction: Redaction = { signatureFields: adapter.signatureFields ?? none, credentials: config.credentials };
  draft.params = redactParams(draft.params, redaction);
  const payload = redactedPayload(request, fields, adapter.format, redaction);
  const record = buildRecord(draft, { provider: adapter.name, streamKey, raw: payload, receivedAtMs: nowMs });

  // The store's and the destinations' work in this function's own try (each further async
  // layer costs about 0.3 µs), under one budget.
  const budget = new AbortController();
  const timer = setTimeout(
    () => budget.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError')),
    deliveryBudgetMs,
  );
  try {
    if (claim && store && !(await store.claimSignature(claim, nowMs, budget.signal))) {
      throw new Rejection('replayed', 'this signature was already used for another callback');
    }
    const pairWithin = adapter.pairByTime ? (draft.pairingKey ?? '') : undefined;
    const saved = store && (await store.save(record, pairWithin, budget.signal));
    if (publisher) {
      // Published after the store took the callback; the notice is kept beside it, so that a
      // retry (a duplicate) announces the same thing again, under the same id.
      const told = await saved?.announcement();
      const notification = notificationOf(told?.record ?? record, told?.notice);
      const keep = told && !told.kept ? store!.keepNotice(told.record, told.notice, budget.signal) : undefined;
      await allSettled([publisher.publish(notification).catch(publishFailure), keep] as const);
    }
    return { result: saved?.result ?? 'stored', id: record.id };
  } catch (error) {
    throw storeRejection(error, record.streamKey);
  } finally {
    clearTimeout(timer);
  }
}

/** A publish that failed: answered `publish_unavailable`, never `store_unavailable`. */
function publishFailure(error: unknown): never {
  throw unavailable('publish_unavailable', 'the notification could not be sent; retry', error);
}

/**
 * Refuses a vendor time further ahead than the window allows. Unbounded, one callback
 * dated in year 9999 would hold the stream's state forever (no later event is newer) and
 * make sessions of millennia; vendors' clocks are close to ours.
 */
function checkEventTime(
  occurredAtMs: number | undefined,
  adapter: ProviderAdapter<unknown>,
  config: ProviderConfig,
  nowMs: number,
): void {
  if (occurredAtMs === undefined || occurredAtMs <= nowMs + config.window.future * 1000) return;
  throw new Rejection(
    'event_time_ahead',
    `${adapter.eventTimeField ?? 'the event time'} is more than ${config.window.future} s ahead of this receiver's clock (${envPrefix(adapter.name)}WINDOW_FUTURE)`,
  );
}

/** The payload for the record's `raw`: as received, signatures and push credentials redacted. */
function redactedPayload(
  request: RawRequest,
  fields: Record<string, unknown>,
  format: FieldFormat,
  redaction: Redaction,
): string {
  if (format === 'json') return redactJson(request.body, fields, redaction);
  return redactForm(format === 'query' ? request.rawQuery : request.body, redaction);
}

/** Method, size and content type: refused before anything is parsed. */
function checkTransport(request: RawRequest, adapter: ProviderAdapter<unknown>): void {
  if (request.method !== adapter.method) {
    throw new Rejection('method_not_allowed', `${adapter.name} callbacks are ${adapter.method} requests`);
  }
  if (request.bodyBytes > maxPayloadBytes || request.rawQuery.length > maxPayloadBytes) {
    throw new Rejection('payload_too_large', `the callback is larger than ${maxPayloadBytes} bytes`);
  }
  const type = request.contentType;
  const accepted =
    adapter.format === 'json'
      ? type === '' || type === 'application/json' || type === 'text/json' || type.endsWith('+json')
      : adapter.format === 'form'
        ? type === '' || type === 'application/x-www-form-urlencoded'
        : request.bodyBytes === 0;
  if (!accepted) {
    const expected = { json: 'a JSON body', form: 'a form body', query: 'fields in the query string and no body' }[
      adapter.format
    ];
    throw new Rejection('unsupported_media_type', `${adapter.name} callbacks carry ${expected}`);
  }
}

/**
 * Refuses a provider that has nothing to check against, and checks the URL token when
 * tokens are configured. Returns the request with the token taken out of its query, so
 * that it never reaches a record or a log.
 */
function checkToken(request: RawRequest, adapter: ProviderAdapter<unknown>, config: ProviderConfig): RawRequest {
  if (config.tokens.length === 0 && !(adapter.signed && config.keys.length > 0)) {
    throw new Rejection(
      'not_configured',
      `no key or token is configured: set ${credentialVariables(adapter.name, adapter.signed)}, or ${envPrefix(adapter.name)}AUTH=off to accept unchecked callbacks`,
    );
  }
  if (config.tokens.length === 0) return request;
  const tokens: string[] = [];
  const otherPairs: string[] = [];
  forEachFormPair(request.rawQuery, (name, value, pair) => {
    if (name === 'token') tokens.push(value);
    else otherPairs.push(pair);
  });
  if (tokens.length === 0) throw new Rejection('missing_token', 'the callback URL has no token parameter');
  if (tokens.length > 1 || !matchesAnyConfigured(tokens[0]!, config.tokens)) {
    throw new Rejection('bad_token', 'the token parameter matches no configured token');
  }
  return { ...request, rawQuery: otherPairs.join('&') };
}

/** Escapes of UTF-16 surrogates in JSON text: only then can a parsed string hold a lone one. */
const surrogateEscape = /\\u[dD][89a-fA-F]/;

/** True when every string in a parsed JSON value, names included, is well-formed Unicode. */
function wellFormed(value: unknown): boolean {
  if (typeof value === 'string') return value.isWellFormed();
  if (typeof value !== 'object' || value === null) return true;
  for (const [name, inner] of Object.entries(value)) if (!name.isWellFormed() || !wellFormed(inner)) return false;
  return true;
}

/**
 * The callback's fields as an object, from the query string, a form body or JSON. Text
 * that is not well-formed Unicode once decoded is refused: stored, `cam\uD800` and
 * `cam\uD801` would both become `cam\uFFFD`, one stream.
 */
function readFields(request: RawRequest, format: FieldFormat): Record<string, unknown> {
  if (format === 'query') {
    if (!request.rawQuery.isWellFormed())
      throw new Rejection('malformed_body', 'the query string is not well-formed Unicode');
    return parseFormFields(request.rawQuery, true);
  }
  if (!request.bodyIsUtf8) throw new Rejection('malformed_body', 'the body is not valid UTF-8');
  if (format === 'form') return parseFormFields(request.body, true);
  let parsed: unknown;
  try {
    parsed = JSON.parse(request.body);
  } catch {
    throw new Rejection('malformed_body', 'the body is not valid JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Rejection('malformed_body', 'the body is not a JSON object');
  }
  if (surrogateEscape.test(request.body) && !wellFormed(parsed)) {
    throw new Rejection('malformed_body', 'the body holds a lone UTF-16 surrogate (\\uD800-\\uDFFF) in a string');
  }
  return parsed as Record<string, unknown>;
}

/**
 * Validates against the adapter's schema. The first issue is answered by the documented
 * field it is about, never a path below it: under a map (JD Cloud `pushParams`) the rest of
 * the path is the sender's own key, of any length.
 */
function validate<Message>(schema: v.GenericSchema<unknown, Message>, fields: unknown): Message {
  const result = v.safeParse(schema, fields, { abortEarly: true });
  if (result.success) return result.output;
  let issue: v.BaseIssue<unknown> = result.issues[0];
  // A union refused as a whole at the top (JD Cloud's two formats) names nothing; its first
  // branch's first issue does. A union of values under a field (`string | number`) is
  // reported as it is: its branches' issues have lost the field's name.
  while (!issue.path && issue.issues?.[0]) issue = issue.issues[0];
  const key = issue.path?.[0]?.key;
  const field = typeof key === 'string' ? key : 'body';
  if (issue.input === undefined) throw new Rejection('missing_field', `${field} is missing`);
  throw new Rejection('bad_field', `${field}: ${issue.expected ? `expected ${issue.expected}` : issue.message}`);
}

/**
 * What a failure while storing answers, with the stream it was about: a rejection (a
 * replay) as it is, anything else, the store's own failure, as a 503 so that the vendor
 * retries.
 */
function storeRejection(error: unknown, streamKey: string): Rejection {
  const rejection =
    error instanceof Rejection
      ? error
      : unavailable('store_unavailable', 'the store did not take the callback; retry', error);
  rejection.streamKey = streamKey;
  return rejection;
}
