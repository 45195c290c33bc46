import { randomUUID } from 'node:crypto';
import { basicUtcTime, hmacSha256, hmacSha256Hex, sha256Hex } from '../signature';

/**
 * Signs a JD Cloud API request with JDCLOUD2-HMAC-SHA256 (an AWS SigV4 derivative), as
 * jdcloud-sdk-js's signer v2 does: every header but authorization and user-agent signed
 * (names lower-cased and sorted, values trimmed); scope `<date>/<region>/<service>/jdcloud2_request`;
 * the key chained from `JDCLOUD2<secret>`. Returns the headers to send. The SDK's own
 * signer checks this one in the tests.
 */
export function signJdcloud(
  request: { method: string; url: URL; headers: Record<string, string>; body: string },
  credentials: { accessKeyId: string; secretAccessKey: string },
  scope: { region: string; service: string },
  now: Date,
): Record<string, string> {
  const datetime = basicUtcTime(now);
  const date = datetime.slice(0, 8);
  const headers: Record<string, string> = {
    ...request.headers,
    host: request.url.host,
    'x-jdcloud-date': datetime,
    'x-jdcloud-nonce': randomUUID(),
  };
  const signed = Object.keys(headers)
    .map((name) => name.toLowerCase())
    .filter((name) => name !== 'authorization' && name !== 'user-agent')
    .sort();
  const value = (name: string) =>
    Object.entries(headers)
      .find(([key]) => key.toLowerCase() === name)![1]
      .replace(/\s+/g, ' ')
      .trim();
  const query = [...request.url.searchParams.keys()]
    .sort()
    .map((key) => `${encodeURIComponent(key)}=${encodeURIComponent(request.url.searchParams.get(key)!)}`)
    .join('&');
  const canonical = [
    request.method,
    request.url.pathname,
    query,
    `${signed.map((name) => `${name}:${value(name)}`).join('\n')}\n`,
    signed.join(';'),
    sha256Hex(request.body),
  ].join('\n');
  const credentialScope = `${date}/${scope.region}/${scope.service}/jdcloud2_request`;
  const stringToSign = ['JDCLOUD2-HMAC-SHA256', datetime, credentialScope, sha256Hex(canonical)].join('\n');
  const key = hmacSha256(
    hmacSha256(hmacSha256(hmacSha256(`JDCLOUD2${credentials.secretAccessKey}`, date), scope.region), scope.service),
    'jdcloud2_request',
  );
  const signature = hmacSha256Hex(key, stringToSign);
  return {
    ...headers,
    Authorization: `JDCLOUD2-HMAC-SHA256 Credential=${credentials.accessKeyId}/${credentialScope}, SignedHeaders=${signed.join(';')}, Signature=${signature}`,
  };
}
