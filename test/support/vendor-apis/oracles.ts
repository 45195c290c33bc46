import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
// The vendors' own signers: Huawei's SDK core and JD Cloud's SDK (whose Node loader gives
// its utilities Node's Buffer, as the SDK's entry point does).
const { AKSKSigner } = require('@huaweicloud/huaweicloud-sdk-core/auth/AKSKSigner.js');
const JDCloud = require('jdcloud-sdk-js/src/lib/node_loader.js');
// Its signer logs every string it signs to stdout: quiet.
JDCloud.config.logger = () => {};
const JdSignerV2 = require('jdcloud-sdk-js/src/lib/signers/v2.js');
const VolcengineSigner = require('@volcengine/openapi/lib/base/sign.js').default;

/** A request as the oracles take it; `headers` hold the Authorization that was sent. */
export interface SignedRequest {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body: string;
}

/** The headers of `request` that its Authorization names as signed, by their lower-case names. */
function signedHeaders(request: SignedRequest): [string, string][] {
  const authorization =
    Object.entries(request.headers).find(([name]) => name.toLowerCase() === 'authorization')?.[1] ?? '';
  const names = /SignedHeaders=([^,]+)/.exec(authorization)?.[1]?.split(';') ?? [];
  return names.map((name) => [
    name,
    Object.entries(request.headers).find(([key]) => key.toLowerCase() === name)?.[1] ?? '',
  ]);
}

/** The Authorization Huawei's AKSKSigner computes for the signed headers of `request`. */
export function huaweiAuthorization(request: SignedRequest, credentials: { ak: string; sk: string }): string {
  const headers = Object.fromEntries(
    signedHeaders(request).map(([name, value]) => [name === 'x-sdk-date' ? 'X-Sdk-Date' : name, value]),
  );
  return AKSKSigner.sign(
    {
      method: request.method,
      endpoint: request.url.href,
      headers,
      queryParams: Object.fromEntries(request.url.searchParams),
      data: request.body ? JSON.parse(request.body) : undefined,
    },
    { getAk: () => credentials.ak, getSk: () => credentials.sk },
  ).Authorization;
}

/** The Authorization jdcloud-sdk-js's signer v2 computes for the signed headers of `request`. */
export function jdcloudAuthorization(
  request: SignedRequest,
  credentials: { accessKeyId: string; secretAccessKey: string },
): string {
  const headers = new Map(signedHeaders(request));
  const signer = new JdSignerV2(
    {
      request: { method: request.method, headers, body: request.body },
      path: request.url.pathname,
      search: () => request.url.search.slice(1),
      regionId: 'jdcloud',
    },
    'live',
  );
  return signer.authorization(credentials, headers.get('x-jdcloud-date'));
}

/**
 * The Authorization @volcengine/openapi's `Signer` computes for the signed headers of
 * `request` (its body hash read from `X-Content-Sha256`, which it takes as sent: the caller
 * checks that against the body).
 */
export function volcengineAuthorization(
  request: SignedRequest,
  credentials: { accessKeyId: string; secretAccessKey: string },
  scope: { region: string; service: string },
): string {
  const headers = Object.fromEntries(
    signedHeaders(request).map(([name, value]) => [name === 'x-content-sha256' ? 'X-Content-Sha256' : name, value]),
  );
  const signer = new VolcengineSigner(
    {
      region: scope.region,
      method: request.method,
      pathname: request.url.pathname,
      params: Object.fromEntries(request.url.searchParams),
      headers,
      body: request.body,
    },
    scope.service,
  );
  return signer.authorization(
    { accessKeyId: credentials.accessKeyId, secretKey: credentials.secretAccessKey },
    headers['x-date'],
  );
}
