import { Agent } from 'node:http';
import { lookup } from 'node:dns';
import { CommonClient } from 'tencentcloud-sdk-nodejs-common';
import { change, type Context } from '../cli/connect/context';
import { alphanumeric } from '../cli/connect/secret';
import { missingCredentials, unreachable, vendorFailure, type ErrorHints } from '../../shared/vendor-api/errors';
import type { ApiWiring, Deliveries, VendorApi, VendorHolds } from './wiring';

const host = 'live.tencentcloudapi.com';
const hints: ErrorHints = {
  credentials: 'TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY',
  permission: 'QcloudLiveFullAccess (or live:*LiveCallback* and live:DescribeCallbackRecordsList)',
  refused: /^AuthFailure|^UnauthorizedOperation/,
  throttled: /^RequestLimitExceeded/,
  known: [
    [
      /DomainNotExist|InvalidParameterValue\.Domain|ResourceNotFound\.DomainNotExist/,
      'no such push domain in this account: check --domain (Domain Management in the console)',
    ],
    [/InvalidParameter/, 'a value was refused: check --domain and --app'],
    [/LimitExceeded/, 'the account has 50 callback templates already: delete an unused one'],
  ],
};

/**
 * The client, signed by Tencent's own SDK (TC3-HMAC-SHA256). `LIVEHOOKS_TENCENT_API_URL`
 * (http://host:port) sends the calls elsewhere, still signed for live.tencentcloudapi.com:
 * the SDK names the signing service after the endpoint's first label and signs the host
 * without its port, so the endpoint keeps Tencent's name and only the address is changed.
 */
function client(ctx: Context) {
  const id = ctx.env.TENCENTCLOUD_SECRET_ID;
  const key = ctx.env.TENCENTCLOUD_SECRET_KEY;
  if (!id || !key) throw missingCredentials('Tencent Cloud', hints.credentials, hints.permission);
  const override = ctx.env.LIVEHOOKS_TENCENT_API_URL ? new URL(ctx.env.LIVEHOOKS_TENCENT_API_URL) : undefined;
  const httpProfile = override
    ? {
        endpoint: `${host}:${override.port}`,
        protocol: 'http://',
        agent: new Agent({ lookup: (_name, options, done) => lookup(override.hostname, options, done) }),
      }
    : { endpoint: host };
  const sdk = new CommonClient(host, '2018-08-01', {
    credential: { secretId: id, secretKey: key, token: ctx.env.TENCENTCLOUD_SESSION_TOKEN },
    region: '',
    profile: { httpProfile },
  });
  return async <T>(action: string, params: Record<string, unknown>): Promise<T> => {
    try {
      return (await sdk.request(action, params)) as T;
    } catch (error) {
      const { code, message } = error as { code?: string; message: string };
      if (!code) throw unreachable('Tencent Cloud', override?.href ?? `https://${host}`, error);
      throw vendorFailure('Tencent Cloud', action, code, message, hints);
    }
  };
}

interface Template {
  TemplateId: number;
  StreamBeginNotifyUrl?: string;
  StreamEndNotifyUrl?: string;
  CallbackKey?: string;
}
interface Rule {
  TemplateId: number;
  DomainName: string;
  AppName: string;
}

function api(ctx: Context): VendorApi {
  const call = client(ctx);
  const domain = ctx.options.domain!;
  const app = ctx.options.app ?? '';
  return {
    async read(): Promise<VendorHolds> {
      const { Rules = [] } = await call<{ Rules?: Rule[] }>('DescribeLiveCallbackRules', {});
      const rule = Rules.find((r) => r.DomainName === domain && r.AppName === app);
      if (!rule) return { urls: [], ids: {} };
      const { Template } = await call<{ Template: Template }>('DescribeLiveCallbackTemplate', {
        TemplateId: rule.TemplateId,
      });
      return {
        urls: [Template.StreamBeginNotifyUrl ?? '', Template.StreamEndNotifyUrl ?? ''],
        key: Template.CallbackKey,
        ids: { templateId: String(rule.TemplateId) },
      };
    },
    async point(ctx, holds, url, key) {
      const urls = { StreamBeginNotifyUrl: url, StreamEndNotifyUrl: url, CallbackKey: key };
      if (holds.ids.templateId) {
        const params = { TemplateId: Number(holds.ids.templateId), ...urls };
        await change(ctx, 'Tencent ModifyLiveCallbackTemplate', params, () =>
          call('ModifyLiveCallbackTemplate', params),
        );
        return holds.ids;
      }
      const template = {
        TemplateName: `livehooks-${ctx.stage}`,
        Description: `livehooks ${ctx.stage}: stream start and stop to the tencent function`,
        ...urls,
      };
      const created = await change(ctx, 'Tencent CreateLiveCallbackTemplate', template, () =>
        call<{ TemplateId: number }>('CreateLiveCallbackTemplate', template),
      );
      const rule = { DomainName: domain, AppName: app, TemplateId: created?.TemplateId ?? 0 };
      await change(ctx, 'Tencent CreateLiveCallbackRule', rule, async () => {
        try {
          await call('CreateLiveCallbackRule', rule);
        } catch (error) {
          // No template left behind unbound (an account holds 50 at most).
          await call('DeleteLiveCallbackTemplate', { TemplateId: rule.TemplateId }).catch(() => undefined);
          throw error;
        }
      });
      return { templateId: String(rule.TemplateId) };
    },
    async deliveries(_ctx, _holds: VendorHolds): Promise<Deliveries | undefined> {
      // The log is read per stream (StreamName is required): only with --stream.
      const stream = ctx.options.stream;
      if (!stream) return undefined;
      const end = new Date();
      const start = new Date(end.getTime() - 3600_000);
      const utc = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');
      const { DataInfoList = [] } = await call<{ DataInfoList?: { ResultCode: number; Response?: string }[] }>(
        'DescribeCallbackRecordsList',
        { StartTime: utc(start), EndTime: utc(end), StreamName: stream, PageNum: 1, PageSize: 100 },
      );
      const failed = DataInfoList.filter((record) => record.ResultCode !== 0);
      return {
        total: DataInfoList.length,
        failed: failed.length,
        reasons: countReasons(failed.map((r) => `${r.ResultCode} ${r.Response ?? ''}`.trim())),
      };
    },
  };
}

/** Distinct reasons with how often each came: `3 × 401 bad_signature`. */
export function countReasons(reasons: string[]): string[] {
  const counts = new Map<string, number>();
  for (const reason of reasons) counts.set(reason.slice(0, 120), (counts.get(reason.slice(0, 120)) ?? 0) + 1);
  return [...counts].map(([reason, count]) => `${count} × ${reason}`);
}

/** Tencent CSS: a callback template (URLs and key) bound to the push domain by a rule. */
export const tencentWiring: ApiWiring = {
  provider: 'tencent',
  vendor: 'Tencent Cloud',
  secret: 'keys',
  // "Up to 32 letters and digits" (the callback-configuration guide).
  format: { alphabet: alphanumeric, length: 32 },
  overlap: {
    minutes: 30,
    why: 'a template change reaches the push domain in 5-10 minutes, a signed t stays valid for 10, and a failed callback is retried for up to 12 minutes',
  },
  required: { domain: 'the push domain the rule binds' },
  api,
};
