import { Rejection } from './answer';
import type { LambdaFunctionURLEvent } from 'aws-lambda';

/** A callback as it arrived, before any parsing: the one input every adapter reads. */
export interface RawRequest {
  method: string;
  /** The query string exactly as sent, without the leading `?`. */
  rawQuery: string;
  /** Header names lower-cased; repeated headers joined with `,` as Function URLs do. */
  headers: Readonly<Record<string, string>>;
  /** The body as text, a base64-encoded one decoded as UTF-8; `''` when there is none. */
  body: string;
  /** The body's size in bytes, as sent (above {@link maxPayloadBytes}, at least that: then `body` is not read). */
  bodyBytes: number;
  /** False when the body is not valid UTF-8 (or holds a lone surrogate): the pipeline refuses it. */
  bodyIsUtf8: boolean;
  /** The media type from `content-type`, lower-cased, without parameters; `''` when absent. */
  contentType: string;
  /** The caller's address as the Function URL saw it, when known. */
  clientIp?: string | undefined;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Bodies (and Alibaba's query strings) above this are refused (docs/behaviour.md §2). */
export const maxPayloadBytes = 64 * 1024;

/**
 * Reads the raw request out of a Lambda Function URL event.
 *
 * Function URLs already lower-case header names; we lower-case again so that events built
 * by hand (tests, `invoke local`) behave the same. A text body arrives as a string and is
 * used as it is, and a base64-encoded one is decoded strictly: what is not UTF-8 (bytes,
 * or lone surrogates, which no UTF-8 sender can produce) is refused, never replaced.
 */
export function readRequest(event: LambdaFunctionURLEvent): RawRequest {
  const headers = lowerCaseNames(event.headers ?? {});
  const body = event.body ?? '';
  let text: string;
  let bodyBytes: number;
  let bodyIsUtf8 = true;
  // Sizes are read from the text as it came, before anything is decoded: a body too large
  // to take (the pipeline refuses it) is never decoded or scanned.
  if (event.isBase64Encoded) {
    bodyBytes = Buffer.byteLength(body, 'base64');
    text = '';
    if (bodyBytes <= maxPayloadBytes) {
      const bytes = Buffer.from(body, 'base64');
      bodyBytes = bytes.length;
      try {
        text = utf8.decode(bytes);
      } catch {
        bodyIsUtf8 = false;
      }
    }
  } else {
    text = body;
    // A UTF-16 length above the limit is a UTF-8 size above it too.
    bodyBytes = body.length > maxPayloadBytes ? body.length : Buffer.byteLength(text);
    // A lone surrogate: no UTF-8 sender can produce one, and replaced it would read alike with U+FFFD.
    bodyIsUtf8 = bodyBytes > maxPayloadBytes || text.isWellFormed();
  }
  return {
    method: (event.requestContext?.http?.method ?? 'GET').toUpperCase(),
    rawQuery: event.rawQueryString ?? '',
    headers,
    body: text,
    bodyBytes,
    bodyIsUtf8,
    contentType: (headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase(),
    clientIp: event.requestContext?.http?.sourceIp,
  };
}

/** The headers with lower-case names: as they came when they already are (a Function URL's always are). */
function lowerCaseNames(source: Readonly<Record<string, string | undefined>>): Record<string, string> {
  let lowerCase = true;
  for (const name in source) {
    if (source[name] === undefined || name !== name.toLowerCase()) {
      lowerCase = false;
      break;
    }
  }
  if (lowerCase) return source as Record<string, string>;
  const headers: Record<string, string> = {};
  for (const name in source) {
    const value = source[name];
    if (value !== undefined) headers[name.toLowerCase()] = value;
  }
  return headers;
}

/**
 * A name or a value of a query string or form body, decoded as URLSearchParams decodes it
 * (`+` is a space). A malformed escape, or escaped bytes that are not UTF-8, are kept as
 * they are (`strict: false`, the standard's lenient decoding) or refused (`strict: true`):
 * leniently, `cam%FF` and `cam%FE` both decode to `cam\uFFFD`, one stream.
 */
function decodeFormComponent(text: string, strict: boolean): string {
  const spaced = text.includes('+') ? text.replaceAll('+', ' ') : text;
  if (!spaced.includes('%')) return spaced;
  try {
    return decodeURIComponent(spaced);
  } catch {
    if (strict)
      throw new Rejection('malformed_body', 'a field holds a malformed %-escape, or bytes that are not UTF-8');
    return new URLSearchParams(`v=${text}`).get('v')!;
  }
}

/**
 * Calls `visit` with the decoded name and value of each pair of a query string or form
 * body, in order, and the pair as it was written. The same decoding as URLSearchParams,
 * without building one: on a callback's few short fields, a split and
 * `decodeURIComponent` take a fraction of its time.
 *
 * @param strict - refuse (`malformed_body`) what is not UTF-8 once decoded, rather than
 *   replace it: for the fields a record is identified by
 */
export function forEachFormPair(
  text: string,
  visit: (name: string, value: string, pair: string) => void,
  strict = false,
): void {
  // URLSearchParams drops one leading `?` too.
  const pairs = text.startsWith('?') ? text.slice(1) : text;
  if (pairs === '') return;
  for (const pair of pairs.split('&')) {
    if (pair === '') continue;
    const equals = pair.indexOf('=');
    const name = decodeFormComponent(equals === -1 ? pair : pair.slice(0, equals), strict);
    visit(name, equals === -1 ? '' : decodeFormComponent(pair.slice(equals + 1), strict), pair);
  }
}

/**
 * Parses a query string or form body into an object of strings. A repeated name keeps its
 * first value: no vendor here repeats fields, and a second value must not override the
 * first one that a signature or token check may already have looked at. The object has no
 * prototype: a field named `__proto__`, `constructor` or `toString` is just a field.
 *
 * @param strict - see {@link forEachFormPair}
 */
export function parseFormFields(text: string, strict = false): Record<string, string> {
  const fields = Object.create(null) as Record<string, string>;
  forEachFormPair(
    text,
    (name, value) => {
      if (!(name in fields)) fields[name] = value;
    },
    strict,
  );
  return fields;
}
