import type { LambdaFunctionURLEvent } from 'aws-lambda';

/** A callback as it arrived, before any parsing: the one input every adapter reads. */
export interface RawRequest {
  method: string;
  /** The query string exactly as sent, without the leading `?`. */
  rawQuery: string;
  /** Header names lower-cased; repeated headers joined with `,` as Function URLs do. */
  headers: Readonly<Record<string, string>>;
  /** The body bytes, base64-decoded when the event says so. */
  body: Buffer;
  /** The media type from `content-type`, lower-cased, without parameters; `''` when absent. */
  contentType: string;
}

/**
 * Reads the raw request out of a Lambda Function URL event.
 *
 * Function URLs already lower-case header names; we lower-case again so that events built
 * by hand (tests, `invoke local`) behave the same. The body is kept as bytes so that size
 * and UTF-8 checks see exactly what the vendor sent.
 */
export function readRequest(event: LambdaFunctionURLEvent): RawRequest {
  const headers: Record<string, string> = {};
  const source = event.headers ?? {};
  for (const name in source) {
    const value = source[name];
    if (value !== undefined) headers[name.toLowerCase()] = value;
  }
  const body = event.body ?? '';
  const contentType = (headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  return {
    method: (event.requestContext?.http?.method ?? 'GET').toUpperCase(),
    rawQuery: event.rawQueryString ?? '',
    headers,
    body: Buffer.from(body, event.isBase64Encoded ? 'base64' : 'utf8'),
    contentType,
  };
}

/**
 * Parses a query string or form body into an object of strings. A repeated name keeps its
 * first value: no vendor here repeats fields, and a second value must not override the
 * first one that a signature or token check may already have looked at.
 */
export function parseFormFields(text: string): Record<string, string> {
  const fields: Record<string, string> = Object.create(null);
  for (const [name, value] of new URLSearchParams(text)) {
    if (!(name in fields)) fields[name] = value;
  }
  return fields;
}
