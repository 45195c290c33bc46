import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { verifyAlibabaSignature } from '../shared/providers/alibaba';
import { verifyHuaweiSignature } from '../shared/providers/huawei';
import { verifyTencentSignature } from '../shared/providers/tencent';
import { hmacSha256Hex, matchesAny, md5Hex } from '../shared/signature';

/** Known answers from the team's brief folder, each computed with two independent tools. */
const vectors = JSON.parse(readFileSync(new URL('../../shared/vectors/signatures.json', import.meta.url), 'utf8')) as {
  alibaba: { domain: string; timestamp: string; key: string; signature: string }[];
  tencent: { key: string; t: string; sign: string }[];
  huawei: {
    key: string;
    event: string;
    domain: string;
    app: string;
    stream: string;
    auth_timestamp: string;
    message: string;
    auth_sign: string;
  }[];
};
const wide = { past: 10, future: 10 };

describe('known-answer vectors', () => {
  it.each(vectors.alibaba)('Alibaba $domain|$timestamp', ({ domain, timestamp, key, signature }) => {
    expect(md5Hex(`${domain}|${timestamp}|${key}`)).toBe(signature);
    const headers = { 'ali-live-timestamp': timestamp, 'ali-live-signature': signature };
    expect(() =>
      verifyAlibabaSignature(headers, [domain], ['other-key', key], wide, Number(timestamp) * 1000),
    ).not.toThrow();
    expect(() => verifyAlibabaSignature(headers, [domain], ['other-key'], wide, Number(timestamp) * 1000)).toThrow(
      'matches no configured key',
    );
  });

  it.each(vectors.tencent)('Tencent t=$t', ({ key, t, sign }) => {
    expect(md5Hex(key + t)).toBe(sign);
    expect(() => verifyTencentSignature({ t, sign }, [key], wide, Number(t) * 1000)).not.toThrow();
    expect(() =>
      verifyTencentSignature({ t: Number(t), sign: sign.toUpperCase() }, [key], wide, Number(t) * 1000),
    ).not.toThrow();
    expect(() => verifyTencentSignature({ t: Number(t) + 1, sign }, [key], wide, Number(t) * 1000)).toThrow(
      'matches no configured key',
    );
  });

  it.each(vectors.huawei)('Huawei $message', (vector) => {
    expect(hmacSha256Hex(vector.key, vector.message)).toBe(vector.auth_sign);
    const fields = { ...vector, auth_timestamp: Number(vector.auth_timestamp), publish_timestamp: '1587954000' };
    const claim = verifyHuaweiSignature(fields, [vector.key], wide, Number(vector.auth_timestamp) * 1000);
    expect(claim).toEqual({
      provider: 'huawei',
      signature: vector.auth_sign,
      identity: '1587954000',
      expiresAtMs: (Number(vector.auth_timestamp) + wide.past) * 1000,
    });
    expect(() =>
      verifyHuaweiSignature({ ...fields, stream: 'other' }, [vector.key], wide, Number(vector.auth_timestamp) * 1000),
    ).toThrow('matches no configured key');
  });
});

describe('matchesAny', () => {
  it('finds a match among several candidates, whatever their lengths', () => {
    expect(matchesAny('b', ['a', 'b', 'c'])).toBe(true);
    expect(matchesAny('b', ['a', 'bb', ''])).toBe(false);
    expect(matchesAny('', [])).toBe(false);
  });
});
