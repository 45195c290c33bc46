/**
 * Signed callbacks for the benchmarks: each vendor's own sample, signed as of a given
 * second with its signer, as a Function URL event and as an HTTP request.
 */
import type { LambdaFunctionURLEvent } from 'aws-lambda';
import { envPrefix } from '../../shared/config';
import type { VendorRequest } from '../../shared/provider';
import { providerNames as registered, providerOf } from '../../tools/providers';
import { queryWithToken, vendorEvent } from '../../tools/vendor-requests';

/** Every provider, in the registry's order. */
export const providerNames: readonly string[] = registered;
export type ProviderName = string;

/** The one signing key and the one URL token of every benchmark run (one key: the common deployment). */
export const benchKey = 'bench-key-0123456789abcdef0123456789';
export const benchToken = 'bench-token-6c1f0e';

/** Whether the vendor signs: then the key is its check, else the URL token. */
export const signs = (provider: ProviderName) => providerOf(provider).adapter.signed;

/** The provider's settings as a deployment would have them: one key when it signs, else one token. */
export function providerEnv(provider: ProviderName): Record<string, string> {
  const prefix = envPrefix(provider);
  return signs(provider) ? { [`${prefix}KEYS`]: benchKey } : { [`${prefix}TOKENS`]: benchToken };
}

/** One vendor callback: the HTTP request a vendor sends, and the Function URL event AWS makes of it. */
export interface SignedCallback {
  provider: ProviderName;
  request: VendorRequest;
  /** Path and query, token included for the unsigned vendors. */
  pathAndQuery: string;
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
  const request = samples.sign(fields, { key: signs(provider) ? benchKey : undefined, nowSec });
  const token = signs(provider) ? undefined : benchToken;
  const rawQuery = queryWithToken(request, token);
  const event = vendorEvent(provider, request, token, new Date(nowSec * 1000));
  return { provider, request, pathAndQuery: `/${provider}${rawQuery ? `?${rawQuery}` : ''}`, event };
}
