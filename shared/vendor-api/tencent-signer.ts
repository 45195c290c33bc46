import { hmacSha256, hmacSha256Hex, sha256Hex } from '../signature';

/**
 * The headers of a Tencent Cloud API 3.0 call (POST, JSON), signed with TC3-HMAC-SHA256 as
 * `tencentcloud-sdk-nodejs-common`'s `Sign.sign3` signs it: `content-type` and `host`
 * signed, the body's SHA-256, the scope `<UTC date>/<service>/tc3_request`, the key chained
 * from `TC3<secret>`. The SDK's signer checks this one in the tests.
 */
export function signTencent(
  request: { url: URL; action: string; version: string; body: string },
  credentials: { secretId: string; secretKey: string; token?: string | undefined },
  service: string,
  now: Date,
): Record<string, string> {
  const timestamp = Math.floor(now.getTime() / 1000);
  const date = new Date(timestamp * 1000).toISOString().slice(0, 10);
  const contentType = 'application/json';
  const canonical = [
    'POST',
    request.url.pathname,
    request.url.search.slice(1),
    `content-type:${contentType}\nhost:${request.url.hostname}\n`,
    'content-type;host',
    sha256Hex(request.body),
  ].join('\n');
  const scope = `${date}/${service}/tc3_request`;
  const toSign = ['TC3-HMAC-SHA256', String(timestamp), scope, sha256Hex(canonical)].join('\n');
  const key = hmacSha256(hmacSha256(hmacSha256(`TC3${credentials.secretKey}`, date), service), 'tc3_request');
  const signature = hmacSha256Hex(key, toSign);
  return {
    'Content-Type': contentType,
    'X-TC-Action': request.action,
    'X-TC-Version': request.version,
    'X-TC-Timestamp': String(timestamp),
    ...(credentials.token ? { 'X-TC-Token': credentials.token } : {}),
    Authorization: `TC3-HMAC-SHA256 Credential=${credentials.secretId}/${scope}, SignedHeaders=content-type;host, Signature=${signature}`,
  };
}
