import type { LiveListSource } from '../reconcile/live-list';
import { vendorFailure, type ErrorHints } from './errors';
import { sendJson } from './http';
import { signJdcloud } from './jdcloud-signer';
import { everyDomain, readEveryPage, requireCredentials, timeOf } from './live-pages';

const hints: ErrorHints = {
  credentials: 'the accessKeyId and secretAccessKey of the live list',
  permission: 'live:describeLiveStreamOnlineList (JDCloudLiveReadOnly)',
  refused: /^UNAUTHENTICATED$|^PERMISSION_DENIED$|^HTTP 401$|^HTTP 403$/,
  throttled: /^RESOURCE_EXHAUSTED$|^HTTP 429$/,
  known: [[/^NOT_FOUND$|^HTTP 404$/, 'no such push domain in this account: check domains']],
};

/** Streams a page asks for: the documented maximum (10 to 100). */
export const pageSize = 100;

interface OnlineStreamInfo {
  publishDomain?: string;
  appName?: string;
  streamName?: string;
  publishTime?: string;
}

/** `describeLiveStreamOnlineList`'s answer: its `result`, or an `error` with `status` and `message`. */
interface OnlineListAnswer {
  error?: { code?: number; status?: string; message?: string };
  result?: { totalCount?: number; onlineStreamInfos?: OnlineStreamInfo[] };
}

/** The credential fields the list needs: the source's `credentials`, and what `create` requires. */
const requiredCredentials = ['accessKeyId', 'secretAccessKey', 'domains'] as const;

/**
 * JD Cloud Live's `describeLiveStreamOnlineList` (`GET /v1/streams/{publishDomain}/onlineList`,
 * JDCLOUD2-HMAC-SHA256), per push domain in `domains` (comma-separated), paged by
 * `pageNum` until `totalCount` streams were read. A push is keyed as the callback keys
 * it: domain = `publishDomain`, app = `appName`, stream = `streamName`; JD's callback has no
 * session value.
 */
export const jdcloudLiveList: LiveListSource = {
  provider: 'jdcloud',
  credentials: requiredCredentials,
  create(credentials, options) {
    const { accessKeyId, secretAccessKey, domains } = requireCredentials('JD Cloud', credentials, requiredCredentials);
    const base = options?.endpoint ?? 'https://live.jdcloud-api.com';
    const action = 'describeLiveStreamOnlineList';
    const call = async (domain: string, page: number, signal: AbortSignal) => {
      const url = new URL(`/v1/streams/${encodeURIComponent(domain)}/onlineList`, base);
      url.searchParams.set('pageNum', String(page));
      url.searchParams.set('pageSize', String(pageSize));
      const headers = signJdcloud(
        { method: 'GET', url, headers: { 'content-type': 'application/json' }, body: '' },
        { accessKeyId, secretAccessKey },
        { region: 'jdcloud', service: 'live' },
        new Date(),
      );
      const answer = await sendJson<OnlineListAnswer>('JD Cloud', url, { method: 'GET', headers, signal });
      const error = answer.body?.error;
      if (answer.status >= 400 || error) {
        const code = error?.status ?? `HTTP ${answer.status}`;
        throw vendorFailure('JD Cloud', action, code, error?.message ?? '', hints, answer.status);
      }
      return answer.body?.result ?? {};
    };
    return {
      list: (signal) =>
        everyDomain(domains, (domain) =>
          readEveryPage('JD Cloud', signal, 1, async (page) => {
            const answer = await call(domain, page, signal);
            const online = answer.onlineStreamInfos ?? [];
            return {
              pushes: online.map((info) => ({
                domain: info.publishDomain || domain,
                app: info.appName ?? '',
                stream: info.streamName ?? '',
                startedAtMs: timeOf(info.publishTime),
              })),
              next: online.length > 0 && page * pageSize < (answer.totalCount ?? 0) ? page + 1 : undefined,
            };
          }),
        ),
    };
  },
};
