import type { LiveListSource } from '../reconcile/live-list';
import { vendorFailure, type ErrorHints } from './errors';
import { sendJson } from './http';
import { everyDomain, readEveryPage, requireCredentials, timeOf } from './live-pages';
import { signTencent } from './tencent-signer';

const hints: ErrorHints = {
  credentials: 'the secretId and secretKey of the live list',
  permission: 'live:DescribeLiveStreamOnlineList (QcloudLiveReadOnlyAccess)',
  refused: /^AuthFailure|^UnauthorizedOperation/,
  throttled: /^RequestLimitExceeded/,
  known: [[/DomainNotExist|InvalidParameterValue\.Domain/, 'no such push domain in this account: check domains']],
};

/** Streams a page asks for: the documented maximum (10 to 100). */
export const pageSize = 100;

interface StreamOnlineInfo {
  DomainName?: string;
  AppName?: string;
  StreamName?: string;
  PublishTimeList?: { PublishTime?: string }[];
}

/** `DescribeLiveStreamOnlineList`'s answer: its `Response`, the page or an `Error`. */
interface OnlineListAnswer {
  Response?: {
    Error?: { Code?: string; Message?: string };
    TotalPage?: number;
    OnlineInfo?: StreamOnlineInfo[];
  };
}

/** The credential fields the list needs: the source's `credentials`, and what `create` requires. */
const requiredCredentials = ['secretId', 'secretKey', 'domains'] as const;

/**
 * Tencent Cloud CSS's `DescribeLiveStreamOnlineList` (live 2018-08-01, TC3-HMAC-SHA256), per
 * push domain in `domains` (comma-separated: an account with several domains must name
 * one), paged by `PageNum` until `TotalPage`. A push is keyed as the callback keys it:
 * domain = `DomainName`, app = `AppName`, stream = `StreamName`. The list carries no
 * `sequence`, so no session; a primary and a backup push of one name are one entry with
 * two publish times (`DescribeBackupStreamList` would name them, but the key is the same).
 */
export const tencentLiveList: LiveListSource = {
  provider: 'tencent',
  credentials: requiredCredentials,
  optionalCredentials: ['token'],
  create(credentials, options) {
    const { secretId, secretKey, domains } = requireCredentials('Tencent Cloud', credentials, requiredCredentials);
    const token = credentials.token || undefined;
    const url = new URL('/', options?.endpoint ?? 'https://live.tencentcloudapi.com');
    const action = 'DescribeLiveStreamOnlineList';
    const call = async (params: object, signal: AbortSignal) => {
      const body = JSON.stringify(params);
      const headers = signTencent(
        { url, action, version: '2018-08-01', body },
        { secretId, secretKey, token },
        'live',
        new Date(),
      );
      const answer = await sendJson<OnlineListAnswer>('Tencent Cloud', url, { method: 'POST', headers, body, signal });
      const error = answer.body?.Response?.Error;
      if (answer.status >= 400 || error || !answer.body?.Response) {
        const code = error?.Code ?? `HTTP ${answer.status}`;
        throw vendorFailure('Tencent Cloud', action, code, error?.Message ?? '', hints, answer.status);
      }
      return answer.body.Response;
    };
    return {
      list: (signal) =>
        everyDomain(domains, (domain) =>
          readEveryPage('Tencent Cloud', signal, 1, async (page) => {
            const answer = await call({ DomainName: domain, PageNum: page, PageSize: pageSize }, signal);
            const online = answer.OnlineInfo ?? [];
            return {
              pushes: online.map((info) => ({
                domain: info.DomainName || domain,
                app: info.AppName ?? '',
                stream: info.StreamName ?? '',
                startedAtMs: timeOf(info.PublishTimeList?.[0]?.PublishTime),
              })),
              next: online.length > 0 && page < (answer.TotalPage ?? 0) ? page + 1 : undefined,
            };
          }),
        ),
    };
  },
};
