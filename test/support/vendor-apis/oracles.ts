import { createRequire } from 'node:module';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import { TokenVerifier } from 'livekit-server-sdk';

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

// Alibaba's own RPC client, pop-core: it signs, then sends through its `httpx`; a request
// marked for the oracle is caught there, so the signature it would send is read, not sent.
const PopCore = require('@alicloud/pop-core');
const popRequire = createRequire(require.resolve('@alicloud/pop-core'));
const httpx = popRequire('httpx');
const send = httpx.request;
const oracleMark = 'x-livehooks-oracle';
httpx.request = (url: string, opts: { headers?: Record<string, string>; data?: string }) => {
  if (!opts.headers?.[oracleMark]) return send(url, opts);
  return Promise.reject(Object.assign(new Error('signed, not sent'), { signed: { url, data: opts.data } }));
};

/**
 * The Signature pop-core computes for the parameters of `request` (an Alibaba RPC call,
 * its form body or query), every parameter but Signature given as it was sent.
 */
export async function alibabaSignature(request: SignedRequest, accessKeySecret: string): Promise<string> {
  const params = Object.fromEntries(
    new URLSearchParams(request.method === 'POST' ? request.body : request.url.search.slice(1)),
  );
  const { Signature: _sent, Action, Version, AccessKeyId, ...rest } = params;
  const client = new PopCore({
    accessKeyId: AccessKeyId,
    accessKeySecret,
    endpoint: 'http://oracle.invalid',
    apiVersion: Version,
  });
  try {
    await client.request(Action, rest, {
      method: request.method,
      headers: { [oracleMark]: '1' },
      formatParams: false,
      formatAction: false,
    });
  } catch (error) {
    const signed = (error as { signed?: { url: string; data?: string } }).signed;
    if (!signed) throw error;
    const sent = new URLSearchParams(signed.data ?? new URL(signed.url).search.slice(1));
    return sent.get('Signature') ?? '';
  }
  return '';
}

const TencentSign = require('tencentcloud-sdk-nodejs-common/tencentcloud/common/sign.js').default;

/** The Authorization Tencent's SDK signer (`Sign.sign3`) computes for `request`, a TC3 API call. */
export function tencentAuthorization(
  request: SignedRequest,
  credentials: { secretId: string; secretKey: string },
  service: string,
): string {
  return TencentSign.sign3({
    method: request.method,
    url: `http://${request.headers.host ?? request.url.host}${request.url.pathname}${request.url.search}`,
    // The raw body as sent: the SDK hashes a Buffer as it is.
    payload: Buffer.from(request.body),
    timestamp: Number(request.headers['x-tc-timestamp']),
    service,
    secretId: credentials.secretId,
    secretKey: credentials.secretKey,
    multipart: false,
    boundary: '',
    headers: { 'Content-Type': request.headers['content-type'] ?? '' },
  });
}

/**
 * The Authorization the AWS SDK's own signer (`@smithy/signature-v4`) computes for the
 * signed headers of `request`, at the time its `x-amz-date` says.
 */
export async function awsAuthorization(
  request: SignedRequest,
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string },
  scope: { region: string; service: string },
): Promise<string> {
  const headers = Object.fromEntries(signedHeaders(request));
  const amzDate = headers['x-amz-date'] ?? '';
  const signingDate = new Date(amzDate.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z'));
  const signer = new SignatureV4({
    credentials,
    region: scope.region,
    service: scope.service,
    sha256: Hash.bind(null, 'sha256'),
    // x-amz-content-sha256 is S3's; other services sign without it.
    applyChecksum: false,
  });
  const signed = await signer.sign(
    {
      method: request.method,
      protocol: request.url.protocol,
      hostname: request.url.hostname,
      port: request.url.port ? Number(request.url.port) : undefined,
      path: request.url.pathname,
      query: Object.fromEntries(
        [...new Set(request.url.searchParams.keys())].map((name) => {
          const values = request.url.searchParams.getAll(name);
          return [name, values.length > 1 ? values : values[0]!];
        }),
      ),
      headers,
      body: request.body,
    },
    { signingDate },
  );
  return String(signed.headers.authorization ?? '');
}

/** The claims of a LiveKit access token, as the server SDK's own verifier reads them (it throws when the signature is wrong). */
export function liveKitClaims(token: string, apiKey: string, apiSecret: string) {
  return new TokenVerifier(apiKey, apiSecret).verify(token);
}
