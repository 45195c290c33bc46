import type { LambdaFunctionURLEvent } from 'aws-lambda';

/** The parts of a request a test cares about. */
export interface RequestParts {
  method: string;
  path: string;
  rawQuery?: string;
  headers?: Record<string, string>;
  body?: string;
  isBase64Encoded?: boolean;
}

/** A Lambda Function URL event (payload 2.0) as AWS builds it from an HTTP request. */
export function functionUrlEvent(parts: RequestParts): LambdaFunctionURLEvent {
  const rawQuery = parts.rawQuery ?? '';
  const headers = Object.fromEntries(
    Object.entries(parts.headers ?? {}).map(([name, value]) => [name.toLowerCase(), value]),
  );
  const queryStringParameters = rawQuery === '' ? undefined : Object.fromEntries(new URLSearchParams(rawQuery));
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: parts.path,
    rawQueryString: rawQuery,
    headers,
    ...(queryStringParameters ? { queryStringParameters } : {}),
    requestContext: {
      accountId: 'anonymous',
      apiId: 'testurlid',
      domainName: 'testurlid.lambda-url.us-east-1.on.aws',
      domainPrefix: 'testurlid',
      http: {
        method: parts.method,
        path: parts.path,
        protocol: 'HTTP/1.1',
        sourceIp: '203.0.113.7',
        userAgent: 'test',
      },
      requestId: 'test-request',
      routeKey: '$default',
      stage: '$default',
      time: '23/Nov/2026:10:00:00 +0000',
      timeEpoch: 1795428000000,
    },
    ...(parts.body !== undefined ? { body: parts.body } : {}),
    isBase64Encoded: parts.isBase64Encoded ?? false,
  };
}
