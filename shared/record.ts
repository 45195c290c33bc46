import * as v from 'valibot';
import { sha256Hex } from './signature';

/**
 * The stream-event record, version 1 (docs/behaviour.md §1). Written once here; the
 * TypeScript type is inferred from it, and consumers can validate stored records with it.
 *
 * Built inside a function marked pure, so that a bundle that only builds records (every
 * deployed function) leaves the schema and its validators out: esbuild does not carry
 * valibot's own no-side-effects marks across modules, and would keep them all.
 */
export const StreamEventSchema = /* @__PURE__ */ (() => {
  const isoTime = (what: string) => v.pipe(v.string(), v.isoTimestamp(), v.description(what));
  const text = (what: string) => v.pipe(v.string(), v.description(what));
  return v.pipe(
    v.object({
      v: v.literal(1),
      id: v.pipe(
        v.string(),
        v.regex(/^[0-9a-f]{32}$/),
        v.description('The same for every delivery of one callback: the deduplication key.'),
      ),
      provider: v.pipe(v.string(), v.regex(/^[a-z][a-z0-9-]*$/), v.description('The vendor, e.g. alibaba, srs.')),
      kind: v.picklist(['start', 'stop']),
      domain: text('The push domain or vhost, as the vendor names it.'),
      app: text('The application (path) the stream was pushed to.'),
      stream: v.pipe(v.string(), v.minLength(1), v.description('The stream name, as the vendor sent it.')),
      streamKey: text('provider/domain/app/stream, each part with / and % percent-escaped: the stream.'),
      sessionId: v.pipe(
        v.string(),
        v.minLength(1),
        v.description('The push this event belongs to: the vendor’s value, or start@<time> derived from the start.'),
      ),
      occurredAt: isoTime('When it happened, by the vendor’s clock (else when it was received).'),
      receivedAt: isoTime('When livehooks first received it.'),
      clientIp: v.optional(text('The pusher’s address, when the vendor sends it.')),
      node: v.optional(text('The vendor’s node or server that handled the push, when sent.')),
      params: v.optional(
        v.pipe(
          v.record(v.string(), v.string()),
          v.description('The push URL’s query parameters, credentials redacted.'),
        ),
      ),
      reason: v.optional(
        v.pipe(
          v.object({ code: v.string(), message: v.optional(v.string()) }),
          v.description('Why a stream stopped, when the vendor says.'),
        ),
      ),
      raw: text('The callback as received, signatures and credentials redacted.'),
      origin: v.optional(
        v.pipe(
          v.literal('reconcile'),
          v.description(
            'Present when no callback came: livehooks made this event from the vendor’s own list of live streams (docs/behaviour.md §7).',
          ),
        ),
      ),
    }),
    v.title('StreamEvent'),
    v.description('One accepted start or stop, as stored (docs/behaviour.md).'),
  );
})();

/** One accepted start or stop, as stored. */
export type StreamEvent = v.InferOutput<typeof StreamEventSchema>;

/** A start or a stop. */
export type EventKind = StreamEvent['kind'];

/** What an adapter makes of a callback; the shared code adds the rest of the record. */
export interface EventDraft {
  kind: EventKind;
  domain: string;
  app: string;
  stream: string;
  /** The vendor's push-session value; absent for vendors that have none (paired by time). */
  sessionId?: string;
  /**
   * For vendors paired by time: a value a start and its stop share that is not unique on
   * its own (nginx-rtmp's `clientid`, which restarts at 1); pairing stays within it.
   */
  pairingKey?: string;
  /**
   * For a vendor without a session value in a stop whose time is its sending's (Twitch's
   * `stream.offline`): the vendor's id of the message, the same on every delivery. The
   * record's id is made from it, so that a redelivery is a duplicate.
   */
  messageId?: string;
  /** The vendor's own time of the event in milliseconds, when it sends one. */
  occurredAtMs?: number;
  clientIp?: string;
  node?: string;
  params?: Record<string, string>;
  reason?: { code: string; message?: string };
}

const escapes: Record<string, string> = { '%': '%25', '/': '%2F', '\n': '%0A' };
const special = { '/': /[%/]/g, '\n': /[%\n]/g } as const;

/**
 * A part of a key or of an id's input with its separator (and `%`, the escape itself)
 * percent-escaped, so that no two lists of parts join into the same text. Ordinary
 * names contain neither and come back as they are.
 */
function escapePart(part: string, separator: '/' | '\n'): string {
  if (part.indexOf('%') === -1 && part.indexOf(separator) === -1) return part;
  return part.replace(special[separator], (character) => escapes[character]!);
}

/**
 * `provider/domain/app/stream`: the one key a stream is known by. A `/` or `%` inside a
 * part is written `%2F` or `%25`, so that `a` + `b/c` and `a/b` + `c` stay two streams.
 */
export function streamKeyOf(
  provider: string,
  draft: Pick<EventDraft, 'domain' | 'app' | 'stream'>,
  foldStreamCase = false,
): string {
  const stream = foldStreamCase ? draft.stream.toLowerCase() : draft.stream;
  return `${provider}/${escapePart(draft.domain, '/')}/${escapePart(draft.app, '/')}/${escapePart(stream, '/')}`;
}

const withKey = (pairingKey: string | undefined) => (pairingKey ? `#${pairingKey}` : '');

/**
 * A session id derived from a start's own time, for vendors that send no session value.
 * Such ids sort by the start's time, which the store relies on.
 */
export function sessionIdFromStart(occurredAt: string, pairingKey?: string): string {
  return `start@${occurredAt}${withKey(pairingKey)}`;
}

/** How the session id of a stop begins until the start it belongs to has arrived. */
export const orphanPrefix = 'stop@';

/** Whether a session paired by time was started by a start with this pairing key. */
export function isSessionStartedBy(sessionId: string, pairingKey: string | undefined): boolean {
  return sessionId.startsWith('start@') && pairingKey !== undefined && sessionId.endsWith(withKey(pairingKey));
}

/** The session id a stop carries until the start it belongs to has arrived. */
export function sessionIdFromOrphanStop(occurredAt: string, pairingKey?: string): string {
  return `${orphanPrefix}${occurredAt}${withKey(pairingKey)}`;
}

/** The first millisecond of year 10000: a record's times (four-digit ISO 8601 years) lie before it. */
export const isoTimeEndMs = 253_402_300_800_000;

/** 128 bits of SHA-256 over the parts, one per line (a newline inside a part escaped). */
function idOf(...parts: string[]): string {
  return sha256Hex(parts.map((part) => escapePart(part, '\n')).join('\n')).slice(0, 32);
}

/** What the pipeline adds to an adapter's draft to make a record. */
export interface RecordOrigin {
  provider: string;
  /** The stream's key, from {@link streamKeyOf}. */
  streamKey: string;
  /** The payload as received, credentials redacted. */
  raw: string;
  receivedAtMs: number;
}

/**
 * Completes a draft into a record. The id depends only on what the vendor sent about the
 * event (provider, stream, kind, and the session value or else the vendor's time), so
 * every delivery of the same callback gets the same id.
 */
export function buildRecord(draft: EventDraft, { provider, streamKey, raw, receivedAtMs }: RecordOrigin): StreamEvent {
  const receivedAt = new Date(receivedAtMs).toISOString();
  const occurredAt = draft.occurredAtMs === undefined ? receivedAt : new Date(draft.occurredAtMs).toISOString();
  const derive = draft.kind === 'start' ? sessionIdFromStart : sessionIdFromOrphanStop;
  const sessionId = draft.sessionId ?? derive(occurredAt, draft.pairingKey);
  const identity =
    draft.sessionId !== undefined
      ? `session:${draft.sessionId}`
      : draft.messageId !== undefined
        ? `message:${draft.messageId}`
        : `time:${occurredAt}${withKey(draft.pairingKey)}`;
  const record: StreamEvent = {
    v: 1,
    id: idOf(provider, streamKey, draft.kind, identity),
    provider,
    kind: draft.kind,
    domain: draft.domain,
    app: draft.app,
    stream: draft.stream,
    streamKey,
    sessionId,
    occurredAt,
    receivedAt,
    raw,
  };
  if (draft.clientIp) record.clientIp = draft.clientIp;
  if (draft.node) record.node = draft.node;
  if (draft.params && Object.keys(draft.params).length > 0) record.params = draft.params;
  if (draft.reason) record.reason = draft.reason;
  return record;
}
