import { describe, expect, it } from 'vitest';
import { signHuawei } from '../../../../shared/vendor-api/huawei-signer';
import { signJdcloud } from '../../../../shared/vendor-api/jdcloud-signer';
import { signVolcengine } from '../../../../shared/vendor-api/volcengine-signer';
import { signAlibabaRpc } from '../../../../shared/vendor-api/alibaba-signer';
import { signTencent } from '../../../../shared/vendor-api/tencent-signer';
import {
  alibabaSignature,
  huaweiAuthorization,
  jdcloudAuthorization,
  tencentAuthorization,
  volcengineAuthorization,
} from '../../../support/vendor-apis/oracles';

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

describe('the Volcengine OpenAPI HMAC-SHA256 signer', () => {
  const credentials = { accessKeyId: 'AKLTexampleVolcengine', secretAccessKey: 'volc-secret-key' };
  it.each([
    { region: 'cn-north-1', host: 'live.volcengineapi.com', action: 'UpdateCallback' },
    { region: 'ap-singapore-1', host: 'open.byteplusapi.com', action: 'DescribeCallback' },
  ])('signs $action on $host as @volcengine/openapi’s Signer does', ({ region, host, action }) => {
    const url = new URL(`https://${host}/?Version=2023-01-01&Action=${action}`);
    const body = JSON.stringify({ MessageType: 'push', Domain: 'push.example.com', AuthKeyPrimary: 'k'.repeat(32) });
    const scope = { region, service: 'live' };
    const headers = signVolcengine({ method: 'POST', url, body }, credentials, scope, now);
    const request = { method: 'POST', url, headers: { host, ...headers }, body };
    const authorization = volcengineAuthorization(request, credentials, scope);
    expect(headers.authorization).toBe(authorization);
    expect(headers.authorization).toMatch(
      /^HMAC-SHA256 Credential=AKLTexampleVolcengine\/20261206\/.+\/live\/request, /,
    );
    const elsewhere = { ...scope, region: 'cn-shanghai' };
    expect(volcengineAuthorization(request, credentials, elsewhere)).not.toBe(authorization);
    expect(volcengineAuthorization(request, { ...credentials, secretAccessKey: 'other' }, scope)).not.toBe(
      authorization,
    );
    const otherQuery = { ...request, url: new URL(`https://${host}/?Version=2023-01-01&Action=ListDomainDetail`) };
    expect(volcengineAuthorization(otherQuery, credentials, scope)).not.toBe(authorization);
  });
});

describe('the Alibaba RPC signature v1 signer', () => {
  const credentials = { accessKeyId: 'LTAIEXAMPLE', accessKeySecret: 'alibaba-secret' };
  const url = new URL('https://live.aliyuncs.com/');
  it.each<Record<string, string>>([
    { DomainName: 'example.com', StreamType: 'raw', PageNum: '1', PageSize: '2000' },
    { DomainName: 'play.example.com', AppName: "l'app (1)*", PageNum: '12', PageSize: '500' },
  ])('signs %o as pop-core does', async (params) => {
    const body = signAlibabaRpc({ Action: 'DescribeLiveStreamsOnlineList', ...params }, credentials, '2016-11-01', now);
    const sent = { method: 'POST', url, headers: {}, body };
    expect(new URLSearchParams(body).get('Signature')).toBe(await alibabaSignature(sent, credentials.accessKeySecret));
    expect(await alibabaSignature(sent, 'other-secret')).not.toBe(new URLSearchParams(body).get('Signature'));
  });

  it('signs a security token in, and a fresh nonce each time', async () => {
    const token = { ...credentials, securityToken: 'sts-token' };
    const body = signAlibabaRpc({ Action: 'DescribeLiveStreamsOnlineList' }, token, '2016-11-01', now);
    const params = new URLSearchParams(body);
    expect(params.get('SecurityToken')).toBe('sts-token');
    expect(params.get('Timestamp')).toBe('2026-12-06T12:34:56Z');
    expect(params.get('Signature')).toBe(
      await alibabaSignature({ method: 'POST', url, headers: {}, body }, 'alibaba-secret'),
    );
    const again = new URLSearchParams(
      signAlibabaRpc({ Action: 'DescribeLiveStreamsOnlineList' }, token, '2016-11-01', now),
    );
    expect(again.get('SignatureNonce')).not.toBe(params.get('SignatureNonce'));
  });
});

describe('the Tencent TC3-HMAC-SHA256 signer', () => {
  const credentials = { secretId: 'AKIDEXAMPLE', secretKey: 'tencent-secret' };
  it.each([
    { DomainName: 'push.example.com', PageNum: 1, PageSize: 100 },
    { DomainName: 'push.example.com', AppName: 'live', PageNum: 7, PageSize: 10 },
  ])('signs %o as the SDK (Sign.sign3) does', (params) => {
    const url = new URL('https://live.tencentcloudapi.com/');
    const body = JSON.stringify(params);
    const headers = signTencent(
      { url, action: 'DescribeLiveStreamOnlineList', version: '2018-08-01', body },
      credentials,
      'live',
      now,
    );
    const sent = {
      method: 'POST',
      url,
      headers: {
        ...headers,
        host: url.host,
        'content-type': headers['Content-Type']!,
        'x-tc-timestamp': headers['X-TC-Timestamp']!,
      },
      body,
    };
    expect(headers.Authorization).toBe(tencentAuthorization(sent, credentials, 'live'));
    expect(tencentAuthorization({ ...sent, body: `${body} ` }, credentials, 'live')).not.toBe(headers.Authorization);
  });
});
