import type { APIGatewayProxyStructuredResultV2 as FunctionUrlResult } from 'aws-lambda';
import * as v from 'valibot';
import {
  acceptedAnswer,
  eventResult,
  Rejection,
  refusalResult,
  rejectionAnswer,
  unavailable,
  type EventResult,
  type Outcome,
} from './answer';
import { logRejection } from './log';
import { credentialVariables, envPrefix, type ProviderConfig } from './config';
import type { EventBridgeAdapter, FieldFormat, ProviderAdapter, SignatureClaim, SourceAdapter } from './provider';
import { buildRecord, isSessionStartedBy, streamKeyOf } from './record';
import { redactForm, redactJson, redactParams, type Redaction } from './redact';
import { forEachFormPair, maxPayloadBytes, parseFormFields, type RawRequest } from './request';
import { matchesAnyConfigured } from './signature';
import { notificationOf } from './notification';
import type { Publisher } from './publishers/port';
import type { EventStore, Saved } from './store/port';
import { shardOf, streamPk, tableIndexes } from './store/table';
import { allSettled } from './all-settled';
import { acceptedReport, refusedReport } from './metrics';
import type { Observer } from './observe';

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
export interface PipelineContext<Adapter extends SourceAdapter<unknown> = ProviderAdapter<unknown>> {
  adapter: Adapter;
  config: ProviderConfig;
  /** The table; absent in a queue-only deployment. */
  store?: EventStore;
  /** Where notifications go; absent when there is no destination. */
  publisher?: Publisher;
  /** The current time in milliseconds: a parameter, so that tests set it. */
  nowMs: number;
  /** Where refusals are kept and metrics written; absent when both are off. */
  observer?: Observer | undefined;
}

/**
 * Turns one raw callback into its answer: authenticate, validate, normalize, store, announce.
 * Every refusal is a `Rejection` with a status and reason code, logged once; nothing is
 * written before all checks have passed. `refusedBefore` is a refusal of the function's
 * own before the callback was read (its keys could not be read), answered the same way.
 */
export async function receive<Message>(
  request: RawRequest,
  context: PipelineContext<ProviderAdapter<Message>>,
  refusedBefore?: Rejection,
): Promise<FunctionUrlResult> {
  const { adapter, observer, nowMs } = context;
  let answer: FunctionUrlResult;
  let stored: boolean;
  try {
    if (refusedBefore) throw refusedBefore;
    const outcome = await process(request, context);
    answer = acceptedAnswer(outcome);
    stored = outcome.result !== 'ignored';
    observer?.report(acceptedReport(adapter.name, outcome), nowMs);
  } catch (error) {
    const rejection = await refused(error, request, context);
    answer = rejectionAnswer(rejection);
    stored = rejection.reason === 'publish_unavailable' && context.store !== undefined;
  }
  return adapter.answer ? adapter.answer(answer, stored) : answer;
}

/**
 * What both entries do with a refusal, once: log it, keep it, count it. Anything that is
 * not a `Rejection` is a bug, and is thrown on.
 */
async function refused(
  error: unknown,
  request: RawRequest,
  { adapter, observer, nowMs }: PipelineContext<SourceAdapter<unknown>>,
): Promise<Rejection> {
  if (!(error instanceof Rejection)) throw error;
  logRejection(adapter.name, error);
  await observer?.refused(error, request, nowMs);
  observer?.report(refusedReport(adapter.name, error), nowMs);
  return error;
}

/** An HTTP callback: its transport, token and signature, then what every source goes through. */
async function process<Message>(raw: RawRequest, context: PipelineContext<ProviderAdapter<Message>>): Promise<Outcome> {
  const { adapter, config, nowMs } = context;
  checkTransport(raw, adapter);
  const request = config.authOff ? raw : checkToken(raw, adapter, config);
  const fields = readFields(request, adapter.format);
  const mustVerify = !config.authOff && adapter.signed && config.keys.length > 0;
  const claim = mustVerify ? adapter.verify?.(fields, { request, config, nowMs }) : undefined;
  const handshake = adapter.handshake?.(fields, request);
  if (handshake) return { result: 'ignored', answer: handshake };
  return admit(fields, (redaction) => redactedPayload(request, fields, adapter.format, redaction), claim, context);
}

/** Where an EventBridge event may come from: the deployment's own account and region. */
export interface EventOrigin {
  account: string;
  region: string;
}

/**
 * Turns one EventBridge event into what an HTTP callback would be answered with, through
 * the same steps as a callback once it is read: its source, account and region are the
 * authenticity (AWS delivers only what a rule in this account matched; an event from
 * elsewhere is refused). A refusal is handled as a callback's is, and returned; a store or
 * destination failure (503) is thrown after that, so that Lambda retries the event.
 */
export async function receiveEvent<Message>(
  event: unknown,
  origin: EventOrigin | undefined,
  context: PipelineContext<EventBridgeAdapter<Message>>,
): Promise<EventResult> {
  const { adapter, observer, nowMs } = context;
  try {
    const outcome = await admitEvent(event, origin, context);
    observer?.report(acceptedReport(adapter.name, outcome), nowMs);
    return eventResult(outcome);
  } catch (error) {
    const rejection = await refused(error, eventAsRequest(event), context);
    // The refusal is logged; the error only asks EventBridge to retry, and carries no store detail.
    // eslint-disable-next-line preserve-caught-error
    if (rejection.status === 503) throw new Error(`${rejection.reason}: ${rejection.message}`);
    return refusalResult(rejection);
  }
}

async function admitEvent<Message>(
  event: unknown,
  origin: EventOrigin | undefined,
  context: PipelineContext<EventBridgeAdapter<Message>>,
): Promise<Outcome> {
  const { adapter, config } = context;
  if (typeof event !== 'object' || event === null || Array.isArray(event)) {
    throw new Rejection('malformed_body', 'the event is not a JSON object');
  }
  const fields = event as Record<string, unknown>;
  checkJsonValue(fields, false);
  const text = JSON.stringify(fields);
  if (text.length > maxPayloadBytes && Buffer.byteLength(text) > maxPayloadBytes) {
    throw new Rejection('payload_too_large', `the event is larger than ${maxPayloadBytes} bytes`);
  }
  if (!config.authOff) checkOrigin(fields, adapter, origin);
  if (!adapter.detailTypes.includes(fields['detail-type'] as string)) return { result: 'ignored' };
  return admit(fields, (redaction) => redactJson(text, fields, redaction), undefined, context);
}

/** An EventBridge event in the terms a kept refusal summarizes a request in. */
function eventAsRequest(event: unknown): RawRequest {
  let body: string;
  try {
    body = JSON.stringify(event) ?? '';
  } catch {
    // Nested too deep to write out (refused `malformed_body`): summarized without its fields.
    body = '';
  }
  return {
    method: 'EVENT',
    rawQuery: '',
    headers: {},
    body,
    bodyBytes: Buffer.byteLength(body),
    bodyIsUtf8: true,
    contentType: 'application/json',
  };
}

/** Refuses an event that is not the adapter's source, or not from the deployment's own account and region. */
function checkOrigin(
  event: Record<string, unknown>,
  adapter: EventBridgeAdapter<unknown>,
  origin: EventOrigin | undefined,
): void {
  if (!origin) {
    throw new Rejection(
      'not_configured',
      `this invocation carries no function ARN to check the event's account and region against; set ${envPrefix(adapter.name)}AUTH=off to accept unchecked events`,
    );
  }
  if (event.source !== adapter.source || event.account !== origin.account || event.region !== origin.region) {
    throw new Rejection(
      'foreign_event',
      `only ${adapter.source} events of this function's account and region are accepted`,
    );
  }
}

/** From a source's fields to a stored and announced record: what every entry shares. */
async function admit<Message>(
  fields: Record<string, unknown>,
  payload: (redaction: Redaction) => string,
  claim: SignatureClaim | undefined,
  { adapter, config, store, publisher, nowMs }: PipelineContext<SourceAdapter<Message>>,
): Promise<Outcome> {
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
  if (config.allowStreams && (kind === 'start' || adapter.endsRefusedPushes) && !config.allowStreams(draft.stream)) {
    if (kind === 'start') {
      throw new Rejection(
        'stream_not_allowed',
        `the stream name matches nothing in ${envPrefix(adapter.name)}ALLOW_STREAMS`,
      );
    }
    // A stop is what happened to a push that went on, unless it ends one this refused.
    if (!(await endsRecordedPush(streamKey, draft.pairingKey, store))) return { result: 'ignored' };
  }

  const redaction: Redaction = {
    secretFields: adapter.secretFields ?? none,
    queryFields: adapter.queryFields,
    credentials: config.credentials,
  };
  draft.params = redactParams(draft.params, redaction);
  const record = buildRecord(draft, {
    provider: adapter.name,
    streamKey,
    raw: payload(redaction),
    receivedAtMs: nowMs,
  });

  // The store's and the destinations' work in this function's own try (each further async
  // layer costs about 0.3 µs), under one budget.
  const budget = new AbortController();
  const timer = setTimeout(
    () => budget.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError')),
    deliveryBudgetMs,
  );
  const started = performance.now();
  try {
    if (claim && store && !(await store.claimSignature(claim, nowMs, budget.signal))) {
      throw new Rejection('replayed', 'this signature was already used for another callback');
    }
    const pairWithin = adapter.pairByTime ? (draft.pairingKey ?? '') : undefined;
    // One store call: the record, its stream's state (and its logical stream's), and what to announce.
    const saved = await store?.save(record, {
      nowMs,
      pairWithin,
      logical: config.logical.get(streamKey),
      staleAfter: config.staleAfter,
      announce: publisher !== undefined,
      abortSignal: budget.signal,
    });
    const stored = performance.now();
    if (publisher) {
      // Published after the store took the callback; a retry (a duplicate) announces what its
      // first save did, under the same ids.
      const notifications = saved
        ? saved.announcements.map((told) => notificationOf(saved.record, told))
        : [notificationOf(record)];
      await allSettled(notifications.map((notification) => publisher.publish(notification).catch(publishFailure)));
    }
    const stalePushes = saved && config.staleAfter ? staleCount(saved, config.staleAfter, nowMs) : undefined;
    return {
      result: saved?.result ?? 'stored',
      id: record.id,
      storeMs: store && stored - started,
      publishMs: publisher && performance.now() - stored,
      ...(stalePushes === undefined ? {} : { stalePushes }),
    };
  } catch (error) {
    throw storeRejection(error, record.streamKey);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Whether a stop under a name ALLOW_STREAMS does not admit ends a push this recorded: one
 * still open on the stream, started from the same client (its pairing key), before the
 * list narrowed. A push this refused was never stored, so its stop finds none. The one
 * store read for it is made only then.
 */
async function endsRecordedPush(
  streamKey: string,
  pairingKey: string | undefined,
  store: EventStore | undefined,
): Promise<boolean> {
  if (!store?.openSessions) return false;
  let sessions: string[];
  try {
    sessions = await store.openSessions(streamKey);
  } catch (error) {
    throw storeRejection(error, streamKey);
  }
  return sessions.some((session) => isSessionStartedBy(session, pairingKey));
}

/** How many of the stream's open pushes started longer than `staleAfter` seconds ago. */
function staleCount(saved: Saved, staleAfter: number, nowMs: number): number {
  const before = new Date(nowMs - staleAfter * 1000).toISOString();
  return saved.announcements[0]?.notice.state.pushes.filter((push) => push.startedAt < before).length ?? 0;
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
  adapter: SourceAdapter<unknown>,
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

/**
 * How many fields a callback may have, in its query, form or JSON body (entries and list
 * items at every depth): vendors send a few dozen. Every step after the parse (redaction,
 * the schema, the record's `raw`) is then bounded too, whatever the sender holds.
 */
export const maxFieldCount = 1024;

/** The number of `&`-separated pairs in a query or form, counted without parsing it. */
function pairsIn(text: string): number {
  let count = text === '' ? 0 : 1;
  for (let at = text.indexOf('&'); at !== -1; at = text.indexOf('&', at + 1)) count++;
  return count;
}

/** Method, size and content type: refused before anything is parsed. */
function checkTransport(request: RawRequest, adapter: ProviderAdapter<unknown>): void {
  if (request.method !== adapter.method) {
    throw new Rejection('method_not_allowed', `${adapter.name} callbacks are ${adapter.method} requests`);
  }
  if (request.bodyBytes > maxPayloadBytes || request.rawQuery.length > maxPayloadBytes) {
    throw new Rejection('payload_too_large', `the callback is larger than ${maxPayloadBytes} bytes`);
  }
  // Counted before the token is looked for: a query of thousands of pairs costs milliseconds to decode.
  if (
    pairsIn(request.rawQuery) > maxFieldCount ||
    (adapter.format === 'form' && pairsIn(request.body) > maxFieldCount)
  ) {
    throw new Rejection('payload_too_large', `the callback has more than ${maxFieldCount} fields`);
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
 * Refuses a provider that has nothing to check against, and checks the token when tokens
 * are configured: the URL's `token` parameter, or the header the vendor sends one in
 * (Cloudflare's `cf-webhook-auth`); each one present must match. Returns the request with
 * the token taken out of its query, so that it never reaches a record or a log.
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
  const header = adapter.tokenHeader && request.headers[adapter.tokenHeader];
  if (header !== undefined && header !== '' && !matchesAnyConfigured(header, config.tokens)) {
    throw new Rejection('bad_token', `the ${adapter.tokenHeader} header matches no configured token`);
  }
  if (tokens.length === 0) {
    if (header) return request;
    throw new Rejection(
      'missing_token',
      adapter.tokenHeader
        ? `neither the ${adapter.tokenHeader} header nor the callback URL's token parameter is set`
        : 'the callback URL has no token parameter',
    );
  }
  if (tokens.length > 1 || !matchesAnyConfigured(tokens[0]!, config.tokens)) {
    throw new Rejection('bad_token', 'the token parameter matches no configured token');
  }
  return { ...request, rawQuery: otherPairs.join('&') };
}

/** Escapes of UTF-16 surrogates in JSON text: only then can a parsed string hold a lone one. */
const surrogateEscape = /\\u[dD][89a-fA-F]/;

/**
 * How deep a JSON payload may nest (vendors' nest a few levels): every later walk over
 * it (redaction, the record's `raw`, a notification) then stays far from the call stack's
 * limit, whatever it is built with.
 */
export const maxJsonDepth = 32;

/**
 * Refuses (`malformed_body`) a parsed JSON value nested deeper than {@link maxJsonDepth},
 * (`payload_too_large`) one of more than {@link maxFieldCount} fields, or, when `unicode`, holding a string or name that is not well-formed Unicode. A walk
 * with its own stack, never recursion: a 64 KiB body may nest 32,000 deep.
 */
function checkJsonValue(value: object, unicode: boolean): void {
  const stack: { value: object; depth: number }[] = [{ value, depth: 1 }];
  let fields = 0;
  for (let item = stack.pop(); item; item = stack.pop()) {
    if (item.depth > maxJsonDepth) {
      throw new Rejection('malformed_body', `the body nests deeper than ${maxJsonDepth} objects and arrays`);
    }
    for (const name in item.value) {
      if (++fields > maxFieldCount) {
        throw new Rejection('payload_too_large', `the body has more than ${maxFieldCount} fields`);
      }
      const inner: unknown = (item.value as Record<string, unknown>)[name];
      if (unicode && (!name.isWellFormed() || (typeof inner === 'string' && !inner.isWellFormed()))) {
        throw new Rejection('malformed_body', 'the body holds a lone UTF-16 surrogate (\\uD800-\\uDFFF) in a string');
      }
      if (typeof inner === 'object' && inner !== null) stack.push({ value: inner, depth: item.depth + 1 });
    }
  }
}

/**
 * Whether a JSON text is within {@link maxJsonDepth} and {@link maxFieldCount} by its
 * text alone: each level opens a bracket of its own, and each field takes at least two
 * characters. True of every vendor's callback, which then needs no walk.
 */
function withinLimitsByItsText(text: string): boolean {
  if (text.length > 2 * maxFieldCount) return false;
  let brackets = 0;
  for (const bracket of ['{', '[']) {
    for (let at = text.indexOf(bracket); at !== -1; at = text.indexOf(bracket, at + 1)) {
      if (++brackets > maxJsonDepth) return false;
    }
  }
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
  const unicode = surrogateEscape.test(request.body);
  if (unicode || !withinLimitsByItsText(request.body)) checkJsonValue(parsed, unicode);
  return parsed as Record<string, unknown>;
}

/**
 * Validates against the adapter's schema. The first issue is answered by the documented
 * field it is about: the path through the schema's own objects (`data.input_id`), never
 * below a map or a list (under JD Cloud `pushParams` the rest of the path is the sender's
 * own key, of any length).
 */
function validate<Message>(schema: v.GenericSchema<unknown, Message>, fields: unknown): Message {
  const result = v.safeParse(schema, fields, { abortEarly: true });
  if (result.success) return result.output;
  let issue: v.BaseIssue<unknown> = result.issues[0];
  // A union refused as a whole at the top (JD Cloud's two formats) names nothing; its first
  // branch's first issue does. A union of values under a field (`string | number`) is
  // reported as it is: its branches' issues have lost the field's name.
  while (!issue.path && issue.issues?.[0]) issue = issue.issues[0];
  const field = documentedPath(schema, issue.path) || 'body';
  if (issue.input === undefined) throw new Rejection('missing_field', `${field} is missing`);
  throw new Rejection('bad_field', `${field}: ${issue.expected ? `expected ${issue.expected}` : issue.message}`);
}

/**
 * The keys of a path as long as the schema declares them, joined with `.`: a key under a
 * map (`v.record`) is the sender's, and is never named.
 */
function documentedPath(schema: unknown, path: v.BaseIssue<unknown>['path']): string {
  let field = '';
  let current = schema;
  for (const item of path ?? []) {
    const entries = declaredEntries(current);
    if (!entries || typeof item.key !== 'string' || !Object.hasOwn(entries, item.key)) break;
    field = field ? `${field}.${item.key}` : item.key;
    current = entries[item.key];
  }
  return field;
}

/** The fields an object schema declares, through `optional`, `pipe` and unions; none for a map. */
function declaredEntries(schema: unknown): Record<string, unknown> | undefined {
  const { entries, wrapped, options, pipe } = (schema ?? {}) as {
    entries?: Record<string, unknown>;
    wrapped?: unknown;
    options?: unknown[];
    pipe?: unknown[];
  };
  if (entries) return entries;
  if (wrapped) return declaredEntries(wrapped);
  if (options) return Object.assign({}, ...options.map(declaredEntries)) as Record<string, unknown>;
  // A pipe that reshapes its input (Volcengine's envelope) validates with a later schema.
  for (const item of pipe?.slice(1).reverse() ?? []) {
    const found = declaredEntries(item);
    if (found) return found;
  }
  return undefined;
}

/**
 * What a failure while storing answers, with the stream it was about: a rejection (a
 * replay) as it is, a write over a partition's throughput as `throttled`, anything else,
 * the store's own failure, as `store_unavailable`; both a 503, so that the vendor retries.
 */
function storeRejection(error: unknown, streamKey: string): Rejection {
  const rejection =
    error instanceof Rejection
      ? error
      : throttlingErrors.has((error as Error | undefined)?.name ?? '')
        ? throttledRejection(error, streamKey)
        : unavailable('store_unavailable', 'the store did not take the callback; retry', error);
  rejection.streamKey = streamKey;
  return rejection;
}

/** What DynamoDB answers a write over a partition's (or the table's) throughput with. */
const throttlingErrors = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
]);

/**
 * A throttled write: the log names the partitions the callback writes (its stream's, and
 * its shards of the live and recent indexes), one of which is over its limit
 * (docs/capacity.md); DynamoDB's own message does not say which.
 */
function throttledRejection(error: unknown, streamKey: string): Rejection {
  const rejection = unavailable('throttled', 'the store is over its throughput; retry', error);
  const shard = shardOf(streamKey);
  rejection.detail += ` (partitions: ${streamPk(streamKey)}, ${tableIndexes.liveStreams} live#${shard}, ${tableIndexes.recent} <day>#${shard})`;
  return rejection;
}
