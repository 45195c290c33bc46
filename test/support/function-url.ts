import type { LambdaFunctionURLEvent } from 'aws-lambda';
import { functionUrlEvent as build } from '../../tools/local/function-url-event';

/** The parts of a request a test cares about; the body as the event carries it. */
export interface RequestParts {
  method: string;
  path: string;
  rawQuery?: string;
  headers?: Record<string, string>;
  body?: string;
  isBase64Encoded?: boolean;
}

/** A Function URL event with exactly the body and base64 flag given, true or not. */
export function functionUrlEvent({ body, isBase64Encoded = false, ...parts }: RequestParts): LambdaFunctionURLEvent {
  const event = build({ ...parts, now: new Date(1795428000000) });
  return { ...event, ...(body !== undefined ? { body } : {}), isBase64Encoded };
}
