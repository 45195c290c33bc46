import { change, type Context } from '../cli/connect/context';
import { alphanumeric } from '../cli/connect/secret';
import { missingCredentials, vendorFailure, type ErrorHints } from '../../shared/vendor-api/errors';
import { signHuawei } from '../../shared/vendor-api/huawei-signer';
import { sendJson } from '../../shared/vendor-api/http';
import type { ApiWiring, VendorApi } from './wiring';

const hints: ErrorHints = {
  credentials: 'HUAWEICLOUD_SDK_AK, HUAWEICLOUD_SDK_SK and HUAWEICLOUD_SDK_PROJECT_ID',
  permission: 'Live FullAccess (live:notification:update and live:notification:get)',
  refused: /^APIGW\.0301|^APIGW\.0101|^APIGW\.0302|^APIGW\.0303|^APIGW\.0305|^LIVE\.100011001$|^IAM\./,
  throttled: /^APIGW\.0308|^LIVE\.100011005$/,
  known: [
    [
      /DOMAIN|^LIVE\.103011019$|^LIVE\.100011004$/,
      'no such ingest domain in this project: check --domain and --region',
    ],
    [
      /^LIVE\.1000110(02|03)$|^LIVE\.103/,
      'a value was refused: check --domain (auth_sign_key is 32 to 128 characters)',
    ],
  ],
};

function client(ctx: Context) {
  const { HUAWEICLOUD_SDK_AK: ak, HUAWEICLOUD_SDK_SK: sk, HUAWEICLOUD_SDK_PROJECT_ID: project } = ctx.env;
  if (!ak || !sk || !project) throw missingCredentials('Huawei Cloud', hints.credentials, hints.permission);
  const base =
    ctx.env.LIVEHOOKS_HUAWEI_API_URL || `https://live.${ctx.options.region ?? 'cn-north-4'}.myhuaweicloud.com`;
  return async (action: string, method: 'GET' | 'PUT', data?: object) => {
    const url = new URL(`/v1/${encodeURIComponent(project)}/notifications/publish`, base);
    url.searchParams.set('domain', ctx.options.domain!);
    const body = data ? JSON.stringify(data) : '';
    const headers = signHuawei(
      { method, url, headers: { 'Content-Type': 'application/json', 'X-Project-Id': project }, body },
      { ak, sk },
      new Date(),
    );
    const answer = await sendJson<{
      error_code?: string;
      error_msg?: string;
      url?: string;
      auth_sign_key?: string;
      call_back_area?: string;
    }>('Huawei Cloud', url, { method, headers, ...(data ? { body } : {}) });
    // A domain with no notification set: its template is not found.
    if (method === 'GET' && answer.status === 404 && answer.body?.error_code !== 'APIGW.0101') return undefined;
    if (answer.status >= 400) {
      const { error_code = `HTTP ${answer.status}`, error_msg = '' } = answer.body ?? {};
      throw vendorFailure('Huawei Cloud', action, String(error_code), String(error_msg), hints);
    }
    return answer.body;
  };
}

function api(ctx: Context): VendorApi {
  const call = client(ctx);
  return {
    async read() {
      const held = await call('ListPublishTemplate', 'GET');
      return held?.url ? { urls: [held.url], key: held.auth_sign_key, ids: {} } : { urls: [], ids: {} };
    },
    async point(ctx, _holds, url, key) {
      const params = { url, auth_sign_key: key, call_back_area: ctx.options.area ?? 'mainland_china' };
      await change(ctx, `Huawei PUT /v1/{project_id}/notifications/publish?domain=${ctx.options.domain}`, params, () =>
        call('UpdatePublishTemplate', 'PUT', params),
      );
      return {};
    },
  };
}

/** Huawei Cloud Live: the ingest domain's stream status notification, with its key. */
export const huaweiWiring: ApiWiring = {
  provider: 'huawei',
  vendor: 'Huawei Cloud',
  secret: 'keys',
  // auth_sign_key: 32 to 128 characters.
  format: { alphabet: alphanumeric, length: 64 },
  overlap: {
    minutes: 15,
    why: 'a signed auth_timestamp is accepted for 10 minutes, and Huawei retries a failed notification',
  },
  required: { domain: 'the ingest domain', region: 'the region of the Live endpoint (cn-north-4)' },
  api,
};
