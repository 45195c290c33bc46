import type { LambdaFunctionURLEvent } from 'aws-lambda';
import type { VendorRequest } from '../shared/provider';
import { functionUrlEvent } from './local/function-url-event';

/** The query string a vendor request goes out with, the URL token (if any) first. */
export function queryWithToken(request: VendorRequest, token: string | undefined): string {
  return new URLSearchParams({ ...(token ? { token } : {}), ...request.query }).toString();
}

/** The Function URL event AWS builds when `request` reaches `/<provider>`. */
export function vendorEvent(
  provider: string,
  request: VendorRequest,
  token: string | undefined,
  now?: Date,
): LambdaFunctionURLEvent {
  return functionUrlEvent({
    method: request.method,
    path: `/${provider}`,
    rawQuery: queryWithToken(request, token),
    headers: request.headers,
    ...(request.body ? { body: Buffer.from(request.body) } : {}),
    ...(now ? { now } : {}),
  });
}
