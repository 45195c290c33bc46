import { createHash, createHmac } from 'node:crypto';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const hmac = (key: string | Buffer, text: string) => createHmac('sha256', key).update(text).digest();

/** RFC 3986 percent-encoding, as SigV4's canonical query asks. */
const encode = (text: string) =>
  encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/**
 * The headers of an AWS API call signed with Signature Version 4: `host`, `x-amz-date`
 * (and `x-amz-security-token`) plus the given headers signed, names lower-cased and
 * sorted; the body's SHA-256; the key chained from `AWS4<secret>` over date, region,
 * service and `aws4_request`. Small enough for a bundle without the AWS SDK's signer,
 * which checks this one in the tests (`@smithy/signature-v4`).
 */
export function signAws(
  request: { method: string; url: URL; headers: Record<string, string>; body: string },
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string | undefined },
  scope: { region: string; service: string },
  now: Date,
): Record<string, string> {
  const datetime = now.toISOString().replace(/[-:]|\.\d{3}/g, '');
  const date = datetime.slice(0, 8);
  const headers: Record<string, string> = {
    ...Object.fromEntries(Object.entries(request.headers).map(([name, value]) => [name.toLowerCase(), value])),
    host: request.url.host,
    'x-amz-date': datetime,
    ...(credentials.sessionToken ? { 'x-amz-security-token': credentials.sessionToken } : {}),
  };
  const names = Object.keys(headers).sort();
  const query = [...request.url.searchParams]
    .map(([name, value]) => [encode(name), encode(value)])
    .sort(([a, x], [b, y]) => (a! < b! ? -1 : a! > b! ? 1 : x! < y! ? -1 : x! > y! ? 1 : 0))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
  const canonical = [
    request.method,
    request.url.pathname.split('/').map(encode).join('/') || '/',
    query,
    names.map((name) => `${name}:${headers[name]!.trim().replace(/\s+/g, ' ')}\n`).join(''),
    names.join(';'),
    sha256(request.body),
  ].join('\n');
  const credentialScope = `${date}/${scope.region}/${scope.service}/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', datetime, credentialScope, sha256(canonical)].join('\n');
  const key = hmac(
    hmac(hmac(hmac(`AWS4${credentials.secretAccessKey}`, date), scope.region), scope.service),
    'aws4_request',
  );
  const signature = createHmac('sha256', key).update(toSign).digest('hex');
  return {
    ...headers,
    authorization: `AWS4-HMAC-SHA256 Credential=${credentials.accessKeyId}/${credentialScope}, SignedHeaders=${names.join(';')}, Signature=${signature}`,
  };
}
