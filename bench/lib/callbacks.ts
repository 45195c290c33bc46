/**
 * Signed callbacks for the benchmarks: each vendor's own sample, signed as of a given
 * second with its signer, as a Function URL event and as an HTTP request (for a source
 * that comes through EventBridge: its event, which `npm start` also takes over HTTP).
 */
import type { Context, LambdaFunctionURLEvent } from 'aws-lambda';
import { envPrefix } from '../../shared/config';
import { createEventHandler, createHandler, type HandlerOptions } from '../../shared/handler';
import { isEventBridgeAdapter, type VendorRequest } from '../../shared/provider';
import { providerNames as registered, providerOf, signsWithKey } from '../../tools/providers';
import { queryWithToken, vendorEvent } from '../../tools/vendor-requests';

/** Every provider, in the registry's order. */
export const providerNames: readonly string[] = registered;
export type ProviderName = string;

/** The one signing key and the one URL token of every benchmark run (one key: the common deployment). */
export const benchKey = 'bench-key-0123456789abcdef0123456789';
export const benchToken = 'bench-token-6c1f0e';

/** The bench key as the provider's settings write it (LiveKit's `<API key>:<API secret>`). */
export const benchKeyOf = (provider: ProviderName) => providerOf(provider).samples.keyEntry?.(benchKey) ?? benchKey;

/** Whether the source's events come through EventBridge (no URL, no secret). */
export const viaEventBridge = (provider: ProviderName) => isEventBridgeAdapter(providerOf(provider).adapter);

/** Whether the vendor signs: then the key is its check, else the URL token. */
export const signs = signsWithKey;

/** The provider's settings as a deployment would have them: one key when it signs, else one token (none for EventBridge). */
export function providerEnv(provider: ProviderName): Record<string, string> {
  const prefix = envPrefix(provider);
  if (viaEventBridge(provider)) return {};
  return signs(provider) ? { [`${prefix}KEYS`]: benchKeyOf(provider) } : { [`${prefix}TOKENS`]: benchToken };
}

/**
 * What Lambda passes: middy arms its early-timeout timer when it sees
 * `getRemainingTimeInMillis`, and an EventBridge source checks the event's account and
 * region against the function's ARN (the samples' account and region).
 */
export const lambdaContext = {
  awsRequestId: 'bench',
  functionName: 'bench',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:bench',
  getRemainingTimeInMillis: () => 4_000,
} as unknown as Context;

/** A provider's real handler, behind a URL or invoked by EventBridge, as the benchmarks call it. */
export function benchHandler(provider: ProviderName, options: HandlerOptions) {
  const { adapter } = providerOf(provider);
  const handler = isEventBridgeAdapter(adapter)
    ? createEventHandler(adapter, options)
    : createHandler(adapter, options);
  return handler as (event: unknown, context: Context) => Promise<unknown>;
}

/** Whether a handler's result accepts the callback: a 200, or an event's `code` 0. */
export function accepted(result: unknown): boolean {
  const { statusCode, code } = result as { statusCode?: number; code?: number };
  return statusCode === undefined ? code === 0 : statusCode === 200;
}

/** One vendor callback: the HTTP request a vendor sends, and the Function URL event AWS makes of it. */
export interface SignedCallback {
  provider: ProviderName;
  request: VendorRequest;
  /** Path and query, token included for the unsigned vendors. */
  pathAndQuery: string;
  /** The Function URL event, or for an EventBridge source its event. */
  event: LambdaFunctionURLEvent;
}

/**
 * A start (or stop) of `stream`, signed as of `nowSec`, with `nowSec` as the push's start
 * (its session value): one stream name per callback makes every callback a new push.
 */
export function signedCallback(
  provider: ProviderName,
  stream: string,
  nowSec: number,
  kind: 'start' | 'stop' = 'start',
): SignedCallback {
  const { samples } = providerOf(provider);
  const fields = samples.sample({ kind, stream, sessionSec: nowSec, timeSec: nowSec });
  const request = samples.sign(fields, { key: signs(provider) ? benchKeyOf(provider) : undefined, nowSec });
  if (viaEventBridge(provider)) {
    return { provider, request, pathAndQuery: `/${provider}`, event: fields as unknown as LambdaFunctionURLEvent };
  }
  const token = signs(provider) ? undefined : benchToken;
  const rawQuery = queryWithToken(request, token);
  const event = vendorEvent(provider, request, token, new Date(nowSec * 1000));
  return { provider, request, pathAndQuery: `/${provider}${rawQuery ? `?${rawQuery}` : ''}`, event };
}
