import type { LambdaFunctionURLEvent } from 'aws-lambda';
import { randomUUID } from 'node:crypto';

/** An HTTP request, in the parts a Function URL event is built from. */
export interface HttpRequestParts {
  method: string;
  /** The path, e.g. `/tencent`. */
  path: string;
  /** The query string as sent, without `?`. */
  rawQuery?: string;
  /** Header names in any case; repeated headers already joined with commas. */
  headers?: Readonly<Record<string, string>>;
  cookies?: readonly string[];
  body?: Buffer;
  sourceIp?: string;
  protocol?: string;
  now?: Date;
}

// Function URLs pass these bodies as text and base64-encode everything else (AWS docs,
// "Request payload format": a binary body is base64-encoded). Form bodies count as binary.
const textTypes = /^(text\/|application\/(json|javascript|xml|yaml)$|application\/[^;]*\+(json|xml)$)/;

const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (value: number) => String(value).padStart(2, '0');

/** `12/Mar/2020:19:03:58 +0000`, the format of `requestContext.time`. */
function clfTime(date: Date): string {
  const day = `${pad(date.getUTCDate())}/${months[date.getUTCMonth()]}/${date.getUTCFullYear()}`;
  return `${day}:${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} +0000`;
}

/**
 * The event AWS builds from an HTTP request to a Function URL (payload format 2.0): the
 * query string untouched, header names lower-cased, cookies split out, and the body
 * base64-encoded unless its content type is text.
 */
export function functionUrlEvent(parts: HttpRequestParts): LambdaFunctionURLEvent {
  const rawQueryString = parts.rawQuery ?? '';
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(parts.headers ?? {})) headers[name.toLowerCase()] = value;
  const queryStringParameters: Record<string, string> = {};
  for (const [name, value] of new URLSearchParams(rawQueryString)) {
    queryStringParameters[name] = name in queryStringParameters ? `${queryStringParameters[name]},${value}` : value;
  }
  const host = headers.host ?? 'localhost';
  const body = parts.body ?? Buffer.alloc(0);
  const isText = textTypes.test((headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase());
  const now = parts.now ?? new Date();
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: parts.path,
    rawQueryString,
    ...(parts.cookies?.length ? { cookies: [...parts.cookies] } : {}),
    headers,
    ...(rawQueryString ? { queryStringParameters } : {}),
    requestContext: {
      accountId: 'anonymous',
      apiId: 'local',
      domainName: host,
      domainPrefix: host.split('.')[0]!,
      http: {
        method: parts.method,
        path: parts.path,
        protocol: parts.protocol ?? 'HTTP/1.1',
        sourceIp: parts.sourceIp ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey: '$default',
      stage: '$default',
      time: clfTime(now),
      timeEpoch: now.getTime(),
    },
    ...(body.length > 0 ? { body: isText ? body.toString('utf8') : body.toString('base64') } : {}),
    isBase64Encoded: body.length > 0 && !isText,
  };
}
