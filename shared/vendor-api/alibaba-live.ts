import type { LiveListSource } from '../reconcile/live-list';
import { signAlibabaRpc } from './alibaba-signer';
import { vendorFailure, type ErrorHints } from './errors';
import { sendJson } from './http';
import { everyDomain, readEveryPage, requireCredentials, timeOf } from './live-pages';

const hints: ErrorHints = {
  credentials: 'the accessKeyId and accessKeySecret of the live list',
  permission: 'live:DescribeLiveStreamsOnlineList (AliyunLiveReadOnlyAccess)',
  refused: /^InvalidAccessKeyId|^SignatureDoesNotMatch|^Forbidden|^NoPermission|^InvalidSecurityToken/,
  throttled: /^Throttling/,
  known: [[/^InvalidDomain|DomainNotExist/, 'no such main streaming domain in this account: check domains']],
};

/** Streams a page asks for: the documented default (2000; 1 to 3000). */
export const pageSize = 2000;

interface OnlineInfo {
  DomainName?: string;
  PublishDomain?: string;
  AppName?: string;
  StreamName?: string;
  PublishTime?: string;
}

/** `DescribeLiveStreamsOnlineList`'s answer: the page, or the RPC error's `Code` and `Message`. */
interface OnlineListAnswer {
  Code?: string;
  Message?: string;
  TotalPage?: number;
  OnlineInfo?: { LiveStreamOnlineInfo?: OnlineInfo[] };
}

/** The credential fields the list needs: the source's `credentials`, and what `create` requires. */
const requiredCredentials = ['accessKeyId', 'accessKeySecret', 'domains'] as const;

/**
 * Alibaba ApsaraVideo Live's `DescribeLiveStreamsOnlineList` (2016-11-01, RPC, signature
 * v1), per main streaming domain in `domains` (comma-separated: the API takes one
 * `DomainName`), source streams only (`StreamType=raw`), paged by `PageNum` until
 * `TotalPage`. A push is keyed as the callback keys it: domain = the ingest domain
 * (`PublishDomain`, which the callback's `app` carries; else `DomainName`), app =
 * `AppName`, stream = `StreamName`; Alibaba's callback has no session value.
 */
export const alibabaLiveList: LiveListSource = {
  provider: 'alibaba',
  credentials: requiredCredentials,
  optionalCredentials: ['securityToken'],
  create(credentials, options) {
    const { accessKeyId, accessKeySecret, domains } = requireCredentials(
      'Alibaba Cloud',
      credentials,
      requiredCredentials,
    );
    const securityToken = credentials.securityToken || undefined;
    const url = new URL('/', options?.endpoint ?? 'https://live.aliyuncs.com');
    const action = 'DescribeLiveStreamsOnlineList';
    const call = async (params: Record<string, string>, signal: AbortSignal) => {
      const body = signAlibabaRpc(
        { Action: action, ...params },
        { accessKeyId, accessKeySecret, securityToken },
        '2016-11-01',
        new Date(),
      );
      const answer = await sendJson<OnlineListAnswer>('Alibaba Cloud', url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body,
        signal,
      });
      if (answer.status >= 400 || !answer.body || answer.body.Code) {
        const code = answer.body?.Code ?? `HTTP ${answer.status}`;
        throw vendorFailure('Alibaba Cloud', action, code, answer.body?.Message ?? '', hints, answer.status);
      }
      return answer.body;
    };
    return {
      list: (signal) =>
        everyDomain(domains, (domain) =>
          readEveryPage('Alibaba Cloud', signal, 1, async (page) => {
            const answer = await call(
              { DomainName: domain, StreamType: 'raw', PageNum: String(page), PageSize: String(pageSize) },
              signal,
            );
            const online = answer.OnlineInfo?.LiveStreamOnlineInfo ?? [];
            return {
              pushes: online.map((info) => ({
                domain: info.PublishDomain || info.DomainName || domain,
                app: info.AppName ?? '',
                stream: info.StreamName ?? '',
                startedAtMs: timeOf(info.PublishTime),
              })),
              next: online.length > 0 && page < (answer.TotalPage ?? 0) ? page + 1 : undefined,
            };
          }),
        ),
    };
  },
};
