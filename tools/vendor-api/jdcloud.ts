import { change, type Context } from '../cli/connect/context';
import { alphanumeric } from '../cli/connect/secret';
import { missingCredentials, vendorFailure, type ErrorHints } from '../../shared/vendor-api/errors';
import { sendJson } from '../../shared/vendor-api/http';
import { signJdcloud } from '../../shared/vendor-api/jdcloud-signer';
import type { ApiWiring, VendorApi } from './wiring';

const hints: ErrorHints = {
  credentials: 'JDCLOUD_ACCESS_KEY_ID and JDCLOUD_SECRET_ACCESS_KEY',
  permission: 'JDCloudLiveAdmin (live:setLiveStreamNotifyConfig, live:describeLiveStreamNotifyConfig)',
  refused: /^UNAUTHENTICATED$|^PERMISSION_DENIED$|^HTTP 401$|^HTTP 403$/,
  throttled: /^RESOURCE_EXHAUSTED$|^HTTP 429$/,
  known: [
    [/^NOT_FOUND$|^HTTP 404$/, 'no such push domain in this account: check --domain'],
    [
      /^INVALID_ARGUMENT$|^HTTP 400$/,
      'a value was refused (JD Cloud may take only http:// callback URLs: pass --relay http://... , see docs/vendors.md)',
    ],
  ],
};

function client(ctx: Context) {
  const { JDCLOUD_ACCESS_KEY_ID: accessKeyId, JDCLOUD_SECRET_ACCESS_KEY: secretAccessKey } = ctx.env;
  if (!accessKeyId || !secretAccessKey) throw missingCredentials('JD Cloud', hints.credentials, hints.permission);
  const base = ctx.env.LIVEHOOKS_JDCLOUD_API_URL || 'https://live.jdcloud-api.com';
  return async (action: string, method: 'GET' | 'POST', path: string, data?: object) => {
    const url = new URL(`/v1${path}`, base);
    const body = data ? JSON.stringify(data) : '';
    const headers = signJdcloud(
      { method, url, headers: { 'content-type': 'application/json' }, body },
      { accessKeyId, secretAccessKey },
      { region: 'jdcloud', service: 'live' },
      new Date(),
    );
    const answer = await sendJson<{
      error?: { status?: string | number; message?: string };
      result?: { notifyUrl?: string };
    }>('JD Cloud', url, { method, headers, ...(data ? { body } : {}) });
    const error = answer.body?.error;
    if (answer.status >= 400 || error) {
      throw vendorFailure(
        'JD Cloud',
        action,
        String(error?.status ?? `HTTP ${answer.status}`),
        String(error?.message ?? ''),
        hints,
      );
    }
    return answer.body?.result;
  };
}

function api(ctx: Context): VendorApi {
  const call = client(ctx);
  const publishDomain = ctx.options.domain!;
  return {
    async read() {
      const held = await call(
        'describeLiveStreamNotifyConfig',
        'GET',
        `/streamNotifys/${encodeURIComponent(publishDomain)}`,
      );
      return held?.notifyUrl ? { urls: [held.notifyUrl], ids: {} } : { urls: [], ids: {} };
    },
    async point(ctx, _holds, url) {
      const params = { publishDomain, notifyUrl: url };
      await change(ctx, 'JD Cloud POST /v1/streamNotifys', params, () =>
        call('setLiveStreamNotifyConfig', 'POST', '/streamNotifys', params),
      );
      return {};
    },
  };
}

/** JD Cloud Live: the push domain's stream callback URL; JD cannot sign, so the URL carries a token. */
export const jdcloudWiring: ApiWiring = {
  provider: 'jdcloud',
  vendor: 'JD Cloud',
  secret: 'tokens',
  tokenInUrl: true,
  format: { alphabet: alphanumeric, length: 40 },
  overlap: {
    minutes: 10,
    why: 'JD Cloud retries a failed callback for a few minutes with the URL it held when the push began',
  },
  required: { domain: 'the push domain' },
  api,
};
