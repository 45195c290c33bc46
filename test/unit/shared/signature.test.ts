import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { alibabaSamples, verifyAlibabaSignature } from '../../../shared/providers/alibaba';
import { huaweiSamples, verifyHuaweiSignature } from '../../../shared/providers/huawei';
import { muxSamples, verifyMuxSignature } from '../../../shared/providers/mux';
import { tencentSamples } from '../../../shared/providers/tencent';
import { volcengine, volcengineSamples } from '../../../shared/providers/volcengine';
import { verifyKeyExpirySignature } from '../../../shared/key-expiry-signature';
import {
  hmacSha256Hex,
  matchesAnyConfigured,
  matchesAnyExactly,
  matchesAnySignature,
  md5Hex,
} from '../../../shared/signature';

/** Known answers, each computed with two tools that are not livehooks (see the file's `about`). */
const vectors = JSON.parse(readFileSync(new URL('../../fixtures/signatures.json', import.meta.url), 'utf8')) as {
  alibaba: { domain: string; timestamp: string; key: string; signature: string }[];
  tencent: { key: string; t: string; sign: string }[];
  volcengine: { key: string; t: string; sign: string }[];
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
  mux: { key: string; t: string; body: string; v1: string }[];
};
const wide = { past: 10, future: 10 };

describe('known-answer vectors', () => {
  it.each(vectors.alibaba)('Alibaba $domain|$timestamp', ({ domain, timestamp, key, signature }) => {
    expect(md5Hex(`${domain}|${timestamp}|${key}`)).toBe(signature);
    expect(alibabaSamples.signatureOf!({ app: domain }, key, timestamp)).toBe(signature);
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
    expect(tencentSamples.signatureOf!({}, key, t)).toBe(sign);
    expect(() => verifyKeyExpirySignature({ t, sign }, [key], wide, Number(t) * 1000)).not.toThrow();
    expect(() =>
      verifyKeyExpirySignature({ t: Number(t), sign: sign.toUpperCase() }, [key], wide, Number(t) * 1000),
    ).not.toThrow();
    expect(() => verifyKeyExpirySignature({ t: Number(t) + 1, sign }, [key], wide, Number(t) * 1000)).toThrow(
      'matches no configured key',
    );
  });

  it.each(vectors.volcengine)('Volcengine t=$t', ({ key, t, sign }) => {
    expect(md5Hex(key + t)).toBe(sign);
    expect(volcengineSamples.signatureOf!({}, key, t)).toBe(sign);
    const context = (fields: Record<string, unknown>) => () =>
      volcengine.verify!(fields, {
        request: {} as never,
        config: { keys: ['other-key', key], window: wide } as never,
        nowMs: Number(t) * 1000,
      });
    // In the vendor's envelope `sign` and `t` travel in `data`; flat, beside the rest.
    expect(context({ code: 0, data: { t: Number(t), sign } })).not.toThrow();
    expect(context({ t, sign: sign.toUpperCase() })).not.toThrow();
    expect(context({ data: { t: Number(t) + 1, sign } })).toThrow('matches no configured key');
    expect(context({ t, sign, data: {} })).toThrow('sign is missing');
  });

  it.each(vectors.huawei)('Huawei $message', (vector) => {
    expect(hmacSha256Hex(vector.key, vector.message)).toBe(vector.auth_sign);
    expect(huaweiSamples.signatureOf!(vector, vector.key, vector.auth_timestamp)).toBe(vector.auth_sign);
    const fields = { ...vector, auth_timestamp: Number(vector.auth_timestamp), publish_timestamp: '1587954000' };
    const claim = verifyHuaweiSignature(fields, [vector.key], wide, Number(vector.auth_timestamp) * 1000);
    expect(claim).toEqual({
      provider: 'huawei',
      signature: vector.auth_sign,
      identity: JSON.stringify([vector.event, vector.domain, vector.app, vector.stream, '1587954000']),
      expiresAtMs: (Number(vector.auth_timestamp) + wide.past) * 1000,
    });
    expect(() =>
      verifyHuaweiSignature({ ...fields, stream: 'other' }, [vector.key], wide, Number(vector.auth_timestamp) * 1000),
    ).toThrow('matches no configured key');
  });
});

describe('known-answer vectors, Mux', () => {
  it.each(vectors.mux)('Mux t=$t', ({ key, t, body, v1 }) => {
    expect(hmacSha256Hex(key, `${t}.${body}`)).toBe(v1);
    expect(muxSamples.signatureOf!(JSON.parse(body), key, t)).toBe(v1);
    const at = Number(t) * 1000;
    const headers = (value: string) => ({ 'mux-signature': value });
    expect(() => verifyMuxSignature(headers(`t=${t},v1=${v1}`), body, ['other', key], wide, at)).not.toThrow();
    // Any v1 of several passes; other schemes are passed over.
    expect(() => verifyMuxSignature(headers(`t=${t},v1=00,v0=${v1},v1=${v1}`), body, [key], wide, at)).not.toThrow();
    expect(() => verifyMuxSignature(headers(`t=${t},v0=${v1}`), body, [key], wide, at)).toThrow('no v1 signature');
    expect(() => verifyMuxSignature(headers(`t=${t},v1=${v1}`), `${body} `, [key], wide, at)).toThrow(
      'matches no configured signing secret',
    );
  });
});

describe('matchesAnyExactly', () => {
  it('finds base64 among several candidates in its exact case only', () => {
    expect(matchesAnyExactly('Sc4Q', ['x', 'Sc4Q'])).toBe(true);
    expect(matchesAnyExactly('sc4q', ['Sc4Q'])).toBe(false);
    expect(matchesAnyExactly('Sc4Q=', ['Sc4Q'])).toBe(false);
    expect(matchesAnyExactly('', [])).toBe(false);
  });
});

describe('matchesAnyConfigured', () => {
  it('finds a token among several candidates, whatever their lengths', () => {
    expect(matchesAnyConfigured('b', ['a', 'b', 'c'])).toBe(true);
    expect(matchesAnyConfigured('b', ['a', 'bb', ''])).toBe(false);
    expect(matchesAnyConfigured('', [])).toBe(false);
  });
});

describe('matchesAnySignature', () => {
  it('finds a hex signature among several digests, in either case', () => {
    expect(matchesAnySignature('ABCDEF', ['000000', 'abcdef'])).toBe(true);
    expect(matchesAnySignature('abcdef', ['ABCDEF'])).toBe(true);
    expect(matchesAnySignature('abcdef', ['abcde0', 'abcdef00', 'abcde'])).toBe(false);
    expect(matchesAnySignature('abcdef', [])).toBe(false);
  });
});
