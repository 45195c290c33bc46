import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import RPCClient from '@alicloud/pop-core';
import { change, type Context } from '../cli/connect/context';
import { alphanumeric } from '../cli/connect/secret';
import type { Env } from '../../shared/config';
import { missingCredentials, unreachable, vendorFailure, type ErrorHints } from '../../shared/vendor-api/errors';
import { countReasons } from './tencent';
import type { ApiWiring, VendorApi } from './wiring';

const endpoint = 'https://live.aliyuncs.com';
const hints: ErrorHints = {
  credentials: 'ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET (or ~/.alibabacloud/credentials)',
  permission:
    'AliyunLiveFullAccess (or live:SetLiveStreamsNotifyUrlConfig, live:DescribeLiveStreamsNotifyUrlConfig, live:DescribeLiveStreamsNotifyRecords)',
  refused: /^InvalidAccessKeyId|^SignatureDoesNotMatch|^Forbidden|^NoPermission|^InvalidSecurityToken/,
  throttled: /^Throttling/,
  known: [
    [
      /^InvalidDomain|DomainNotExist|DomainConfig.NotFound/,
      'no such ingest domain in this account: check --domain (Domain Names in the console)',
    ],
    [/Malformed|InvalidParameter|MissingParameter/, 'a value was refused: check --domain'],
  ],
};

/**
 * The access key: ALIBABA_CLOUD_ACCESS_KEY_ID / _SECRET (and _SECURITY_TOKEN), else the
 * `[default]` profile (or ALIBABA_CLOUD_PROFILE) of the credentials file the Alibaba Cloud
 * SDKs read, ALIBABA_CLOUD_CREDENTIALS_FILE or ~/.alibabacloud/credentials.
 */
export function alibabaCredentials(env: Env) {
  if (env.ALIBABA_CLOUD_ACCESS_KEY_ID && env.ALIBABA_CLOUD_ACCESS_KEY_SECRET) {
    return {
      accessKeyId: env.ALIBABA_CLOUD_ACCESS_KEY_ID,
      accessKeySecret: env.ALIBABA_CLOUD_ACCESS_KEY_SECRET,
      securityToken: env.ALIBABA_CLOUD_SECURITY_TOKEN,
    };
  }
  const file = env.ALIBABA_CLOUD_CREDENTIALS_FILE || join(homedir(), '.alibabacloud', 'credentials');
  if (!existsSync(file)) return undefined;
  const profile = env.ALIBABA_CLOUD_PROFILE || 'default';
  let section = '';
  const values: Record<string, string> = {};
  for (const line of readFileSync(file, 'utf8').split(/\r?\n/)) {
    const header = /^\s*\[([^\]]+)\]\s*$/.exec(line);
    if (header) section = header[1]!.trim();
    const pair = /^\s*([\w.]+)\s*=\s*(.*?)\s*$/.exec(line);
    if (pair && section === profile) values[pair[1]!] = pair[2]!;
  }
  if (!values.access_key_id || !values.access_key_secret) return undefined;
  return { accessKeyId: values.access_key_id, accessKeySecret: values.access_key_secret, securityToken: undefined };
}

function client(ctx: Context) {
  const credentials = alibabaCredentials(ctx.env);
  if (!credentials) throw missingCredentials('Alibaba Cloud', hints.credentials, hints.permission);
  const at = ctx.env.LIVEHOOKS_ALIBABA_API_URL || endpoint;
  const sdk = new RPCClient({ ...credentials, endpoint: at, apiVersion: '2016-11-01' });
  return async <T>(action: string, params: Record<string, unknown>): Promise<T> => {
    try {
      return await sdk.request<T>(action, params, { method: 'POST', timeout: 10_000 });
    } catch (error) {
      const { code, data } = error as { code?: string; data?: { Message?: string } };
      if (!code) throw unreachable('Alibaba Cloud', at, error);
      throw vendorFailure('Alibaba Cloud', action, code, data?.Message ?? '', hints);
    }
  };
}

interface NotifyConfig {
  NotifyUrl?: string;
  NotifyReqAuth?: string;
  NotifyAuthKey?: string;
}
interface NotifyRecord {
  NotifyResult?: string;
  NotifyResponse?: string;
  Description?: string;
}

function api(ctx: Context): VendorApi {
  const call = client(ctx);
  const DomainName = ctx.options.domain!;
  return {
    async read() {
      let config: NotifyConfig | undefined;
      try {
        ({ LiveStreamsNotifyConfig: config } = await call<{ LiveStreamsNotifyConfig?: NotifyConfig }>(
          'DescribeLiveStreamsNotifyUrlConfig',
          { DomainName },
        ));
      } catch (error) {
        // A domain with no callback configured answers "not found" for the configuration.
        if (/ConfigNotFound|Config\.NotFound/.test((error as Error).message)) return { urls: [], ids: {} };
        throw error;
      }
      if (!config?.NotifyUrl) return { urls: [], ids: {} };
      return {
        urls: [config.NotifyUrl],
        key: config.NotifyReqAuth === 'yes' ? config.NotifyAuthKey : undefined,
        ids: {},
      };
    },
    async point(ctx, _holds, url, key) {
      const params = { DomainName, NotifyUrl: url, NotifyReqAuth: 'yes', NotifyAuthKey: key };
      await change(ctx, 'Alibaba SetLiveStreamsNotifyUrlConfig', params, () =>
        call('SetLiveStreamsNotifyUrlConfig', params),
      );
      return {};
    },
    async deliveries() {
      const end = new Date();
      const start = new Date(end.getTime() - 3600_000);
      const utc = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');
      const { NotifyRecordsInfo } = await call<{
        NotifyRecordsInfo?: { LiveStreamNotifyRecordsInfo?: NotifyRecord[] };
      }>('DescribeLiveStreamsNotifyRecords', {
        DomainName,
        StartTime: utc(start),
        EndTime: utc(end),
        PageSize: 100,
        PageNumber: 1,
      });
      const records = NotifyRecordsInfo?.LiveStreamNotifyRecordsInfo ?? [];
      const failed = records.filter((record) => record.NotifyResult !== 'success');
      return {
        total: records.length,
        failed: failed.length,
        reasons: countReasons(failed.map((r) => r.NotifyResponse || r.Description || r.NotifyResult || 'failed')),
      };
    },
  };
}

/** Alibaba ApsaraVideo Live: the ingest domain's stream callback, with authentication on. */
export const alibabaWiring: ApiWiring = {
  provider: 'alibaba',
  vendor: 'Alibaba Cloud',
  secret: 'keys',
  // NotifyAuthKey: 16 to 64 letters and digits.
  format: { alphabet: alphanumeric, length: 64 },
  overlap: {
    minutes: 10,
    why: 'Alibaba retries a failed callback up to 5 times, 1 s apart after a 5 s timeout, and a signed timestamp is accepted for 5 minutes',
  },
  required: { domain: 'the ingest domain' },
  api,
};
