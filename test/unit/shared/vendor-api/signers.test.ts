import { describe, expect, it } from 'vitest';
import { signHuawei } from '../../../../shared/vendor-api/huawei-signer';
import { signJdcloud } from '../../../../shared/vendor-api/jdcloud-signer';
import { huaweiAuthorization, jdcloudAuthorization } from '../../../support/vendor-apis/oracles';

const now = new Date('2026-12-06T12:34:56Z');
const cases = [
  {
    method: 'GET',
    url: 'https://live.cn-north-4.myhuaweicloud.com/v1/0123abcd/notifications/publish?domain=push.example.com',
    body: '',
  },
  {
    method: 'PUT',
    url: 'https://live.cn-north-4.myhuaweicloud.com/v1/0123abcd/notifications/publish?domain=push.example.com&z=a%20b',
    body: JSON.stringify({
      url: 'https://x.lambda-url.ap-southeast-1.on.aws/',
      auth_sign_key: 'k'.repeat(40),
      call_back_area: 'mainland_china',
    }),
  },
];

describe('the Huawei SDK-HMAC-SHA256 signer', () => {
  const credentials = { ak: 'HPUAEXAMPLEAK', sk: 'huawei-secret-key' };
  it.each(cases)('signs $method $url as the SDK signer (AKSKSigner) does', ({ method, url, body }) => {
    const request = {
      method,
      url: new URL(url),
      headers: { 'Content-Type': 'application/json', 'X-Project-Id': '0123abcd' },
      body,
    };
    const headers = signHuawei(request, credentials, now);
    expect(headers.Authorization).toBe(huaweiAuthorization({ ...request, headers }, credentials));
  });

  it('a changed body or key fails the oracle', () => {
    const { method, url, body } = cases[1]!;
    const request = { method, url: new URL(url), headers: { 'Content-Type': 'application/json' }, body };
    const headers = signHuawei(request, credentials, now);
    expect(huaweiAuthorization({ ...request, headers, body: body.replace('mainland', 'other') }, credentials)).not.toBe(
      headers.Authorization,
    );
    expect(huaweiAuthorization({ ...request, headers }, { ...credentials, sk: 'other' })).not.toBe(
      headers.Authorization,
    );
  });
});

describe('the JD Cloud JDCLOUD2-HMAC-SHA256 signer', () => {
  const credentials = { accessKeyId: 'JDC_EXAMPLE_AK', secretAccessKey: 'jd-secret-key' };
  it.each([
    {
      method: 'POST',
      url: 'https://live.jdcloud-api.com/v1/streamNotifys',
      body: JSON.stringify({ publishDomain: 'push.example.com', notifyUrl: 'https://x/?token=abc' }),
    },
    { method: 'GET', url: 'https://live.jdcloud-api.com/v1/streamNotifys/push.example.com', body: '' },
  ])('signs $method $url as jdcloud-sdk-js signer v2 does', ({ method, url, body }) => {
    const request = { method, url: new URL(url), headers: { 'content-type': 'application/json' }, body };
    const headers = signJdcloud(request, credentials, { region: 'jdcloud', service: 'live' }, now);
    expect(headers.Authorization).toBe(jdcloudAuthorization({ ...request, headers }, credentials));
    expect(jdcloudAuthorization({ ...request, headers, body: `${body} ` }, credentials)).not.toBe(
      headers.Authorization,
    );
  });
});
