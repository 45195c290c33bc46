import { createHmac, randomUUID } from 'node:crypto';
import { encodeRfc3986 } from '../signature';

/**
 * The form body of an Alibaba Cloud RPC call, signed with signature v1 (HMAC-SHA1) as
 * `@alicloud/pop-core` signs it: the common parameters added (`Timestamp` without
 * milliseconds, a fresh `SignatureNonce`), every parameter sorted and RFC 3986-encoded,
 * the string to sign `POST&%2F&<encoded canonical query>`, the key `<secret>&`. The SDK
 * checks this signer in the tests (it is their oracle, not a dependency).
 */
export function signAlibabaRpc(
  params: Readonly<Record<string, string>>,
  credentials: { accessKeyId: string; accessKeySecret: string; securityToken?: string | undefined },
  version: string,
  now: Date,
): string {
  const all: Record<string, string> = {
    Format: 'JSON',
    Version: version,
    AccessKeyId: credentials.accessKeyId,
    SignatureMethod: 'HMAC-SHA1',
    SignatureVersion: '1.0',
    SignatureNonce: randomUUID(),
    Timestamp: now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    ...(credentials.securityToken ? { SecurityToken: credentials.securityToken } : {}),
    ...params,
  };
  const canonical = Object.keys(all)
    .sort()
    .map((name) => `${encodeRfc3986(name)}=${encodeRfc3986(all[name]!)}`)
    .join('&');
  const signature = createHmac('sha1', `${credentials.accessKeySecret}&`)
    .update(`POST&${encodeRfc3986('/')}&${encodeRfc3986(canonical)}`)
    .digest('base64');
  return `${canonical}&Signature=${encodeRfc3986(signature)}`;
}
