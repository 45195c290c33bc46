import type { LambdaFunctionURLEvent } from 'aws-lambda';
import * as v from 'valibot';
import type { SampleSpec, VendorRequest } from '../shared/provider';
import { streamKeyOf } from '../shared/record';
import { functionUrlEvent } from './local/function-url-event';
import { providerOf } from './providers';

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

/** What a sent sample callback came back with. */
export interface SentSample {
  response: Response;
  text: string;
  /** The key of the stream the callback was about. */
  streamKey: string;
}

/**
 * Sends `provider`'s sample callback for `spec` to `url`, signed with `key` (or carrying the
 * URL token `token`) as the vendor would: for `livehooks send` and the inspector's button.
 * Rejects when nothing answers.
 */
export async function sendSampleCallback(
  name: string,
  url: string,
  { spec, key, token }: { spec: SampleSpec; key?: string | undefined; token?: string | undefined },
): Promise<SentSample> {
  const { adapter, samples } = providerOf(name);
  const fields = samples.sample(spec);
  const request = samples.sign(fields, { key, nowSec: spec.timeSec });
  const target = new URL(url);
  for (const [field, value] of new URLSearchParams(queryWithToken(request, token))) {
    target.searchParams.append(field, value);
  }
  const response = await fetch(target, {
    method: request.method,
    headers: request.headers,
    body: request.body ?? null,
    signal: AbortSignal.timeout(10_000),
  });
  const draft = adapter.normalize(v.parse(adapter.schema, fields), spec.kind, spec.timeSec * 1000);
  return { response, text: await response.text(), streamKey: streamKeyOf(name, draft, adapter.foldStreamCase) };
}
