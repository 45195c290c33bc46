import type { LiveListSource } from '../reconcile/live-list';
import { vendorFailure, type ErrorHints } from './errors';
import { sendJson } from './http';
import { signHuawei } from './huawei-signer';
import { everyDomain, readEveryPage, requireCredentials, timeOf } from './live-pages';

const hints: ErrorHints = {
  credentials: 'the ak, sk and projectId of the live list',
  permission: 'live:stream:list (Live ReadOnlyAccess)',
  refused: /^APIGW\.0301|^APIGW\.0101|^APIGW\.0302|^APIGW\.0303|^APIGW\.0305|^IAM\./,
  throttled: /^APIGW\.0308|^LIVE\.100011005$/,
  known: [[/DOMAIN|^LIVE\.103011019$|^LIVE\.100011004$/, 'no such ingest domain in this project: check domains']],
};

/** Streams a page asks for: the documented maximum (1 to 100). */
export const pageSize = 100;

interface OnlineInfo {
  publish_domain?: string;
  app?: string;
  stream?: string;
  start_time?: string;
}

/** `ListLiveStreamsOnline`'s answer: the page, or the error's `error_code` and `error_msg`. */
interface OnlineListAnswer {
  error_code?: string;
  error_msg?: string;
  total_page?: number;
  streams?: OnlineInfo[];
}

/** The credential fields the list needs: the source's `credentials`, and what `create` requires. */
const requiredCredentials = ['ak', 'sk', 'projectId', 'region', 'domains'] as const;

/**
 * Huawei Cloud Live's `ListLiveStreamsOnline` (`GET /v1/{project_id}/realtime/streams`,
 * SDK-HMAC-SHA256), per ingest domain in `domains` (comma-separated: `publish_domain` is
 * required), `limit` 100, `offset` the page from 0 until `total_page`. A push is keyed as
 * the callback keys it: domain = `publish_domain`, app = `app`, stream = `stream`; the list
 * has no `publish_timestamp`, so no session.
 */
export const huaweiLiveList: LiveListSource = {
  provider: 'huawei',
  credentials: requiredCredentials,
  create(credentials, options) {
    const { ak, sk, projectId, region, domains } = requireCredentials('Huawei Cloud', credentials, requiredCredentials);
    const base = options?.endpoint ?? `https://live.${region}.myhuaweicloud.com`;
    const action = 'ListLiveStreamsOnline';
    const call = async (domain: string, page: number, signal: AbortSignal) => {
      const url = new URL(`/v1/${encodeURIComponent(projectId)}/realtime/streams`, base);
      url.searchParams.set('publish_domain', domain);
      url.searchParams.set('offset', String(page));
      url.searchParams.set('limit', String(pageSize));
      const headers = signHuawei(
        { method: 'GET', url, headers: { 'Content-Type': 'application/json', 'X-Project-Id': projectId }, body: '' },
        { ak, sk },
        new Date(),
      );
      const answer = await sendJson<OnlineListAnswer>('Huawei Cloud', url, { method: 'GET', headers, signal });
      if (answer.status >= 400) {
        const { error_code = `HTTP ${answer.status}`, error_msg = '' } = answer.body ?? {};
        throw vendorFailure('Huawei Cloud', action, error_code, error_msg, hints, answer.status);
      }
      return answer.body ?? {};
    };
    return {
      list: (signal) =>
        everyDomain(domains, (domain) =>
          readEveryPage('Huawei Cloud', signal, 0, async (page) => {
            const answer = await call(domain, page, signal);
            const streams = answer.streams ?? [];
            return {
              pushes: streams.map((info) => ({
                domain: info.publish_domain || domain,
                app: info.app ?? '',
                stream: info.stream ?? '',
                startedAtMs: timeOf(info.start_time),
              })),
              next: streams.length > 0 && page + 1 < (answer.total_page ?? 0) ? page + 1 : undefined,
            };
          }),
        ),
    };
  },
};
