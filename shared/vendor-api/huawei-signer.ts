import { basicUtcTime, encodeRfc3986, hmacSha256Hex, sha256Hex } from '../signature';

/**
 * Signs a Huawei Cloud API request with SDK-HMAC-SHA256, as the SDK's AKSKSigner does:
 * every header signed, names lower-cased and sorted; the path with a trailing `/`; the
 * query sorted and RFC 3986-encoded; the body's SHA-256 in hex; the string to sign
 * keyed with the secret key itself. Returns the headers to send (with Authorization).
 * The SDK's own signer checks this one in the tests (it is their oracle, not a dependency).
 */
export function signHuawei(
  request: { method: string; url: URL; headers: Record<string, string>; body: string },
  credentials: { ak: string; sk: string },
  now: Date,
): Record<string, string> {
  const headers: Record<string, string> = {
    ...request.headers,
    host: request.url.host,
    'X-Sdk-Date': basicUtcTime(now),
  };
  const names = Object.keys(headers).sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase()));
  const signedHeaders = names.map((name) => name.toLowerCase()).join(';');
  const path = request.url.pathname.split('/').map(encodeRfc3986).join('/');
  const query = [...request.url.searchParams.keys()]
    .sort()
    .map((key) => `${encodeRfc3986(key)}=${encodeRfc3986(request.url.searchParams.get(key)!)}`)
    .join('&');
  const canonical = [
    request.method,
    path.endsWith('/') ? path : `${path}/`,
    query,
    names.map((name) => `${name.toLowerCase()}:${headers[name]}\n`).join(''),
    signedHeaders,
    sha256Hex(request.body),
  ].join('\n');
  const stringToSign = ['SDK-HMAC-SHA256', headers['X-Sdk-Date'], sha256Hex(canonical)].join('\n');
  const signature = hmacSha256Hex(credentials.sk, stringToSign);
  return {
    ...headers,
    Authorization: `SDK-HMAC-SHA256 Access=${credentials.ak}, SignedHeaders=${signedHeaders}, Signature=${signature}`,
  };
}
