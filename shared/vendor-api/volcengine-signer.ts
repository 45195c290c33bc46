import { basicUtcTime, encodeRfc3986, hmacSha256, hmacSha256Hex, sha256Hex } from '../signature';

/**
 * Signs a Volcengine (or BytePlus) OpenAPI request with HMAC-SHA256, the SigV4-style scheme
 * of @volcengine/openapi's `Signer`: `host`, `x-content-sha256` and `x-date` signed (names
 * lower-cased and sorted); the query sorted and escaped; scope
 * `<date>/<region>/<service>/request`; the key chained from the secret itself. Returns the
 * headers to send. The SDK's own signer checks this one in the tests.
 */
export function signVolcengine(
  request: { method: string; url: URL; body: string },
  credentials: { accessKeyId: string; secretAccessKey: string },
  scope: { region: string; service: string },
  now: Date,
): Record<string, string> {
  const datetime = basicUtcTime(now);
  const date = datetime.slice(0, 8);
  const bodyHash = sha256Hex(request.body);
  const signed: [string, string][] = [
    ['host', request.url.host],
    ['x-content-sha256', bodyHash],
    ['x-date', datetime],
  ];
  const query = [...request.url.searchParams]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, value]) => `${encodeRfc3986(key)}=${encodeRfc3986(value)}`)
    .join('&');
  const canonical = [
    request.method,
    request.url.pathname,
    query,
    `${signed.map(([name, value]) => `${name}:${value}`).join('\n')}\n`,
    signed.map(([name]) => name).join(';'),
    bodyHash,
  ].join('\n');
  const credentialScope = `${date}/${scope.region}/${scope.service}/request`;
  const stringToSign = ['HMAC-SHA256', datetime, credentialScope, sha256Hex(canonical)].join('\n');
  const key = hmacSha256(
    hmacSha256(hmacSha256(hmacSha256(credentials.secretAccessKey, date), scope.region), scope.service),
    'request',
  );
  const signature = hmacSha256Hex(key, stringToSign);
  return {
    'content-type': 'application/json',
    'x-content-sha256': bodyHash,
    'x-date': datetime,
    authorization: `HMAC-SHA256 Credential=${credentials.accessKeyId}/${credentialScope}, SignedHeaders=${signed.map(([name]) => name).join(';')}, Signature=${signature}`,
  };
}
