import { VendorApiError, vendorFailure, type ErrorHints } from '../../vendor-api/errors';
import { sendJson } from '../../vendor-api/http';
import { readEveryPage, requireCredentials } from '../../vendor-api/live-pages';
import type { LiveListSource } from '../live-list';

const hints: ErrorHints = {
  credentials: "the username and password of SRS's http_api auth",
  permission: 'http_api enabled on the SRS server, with auth on',
  refused: /^HTTP 401$|^HTTP 403$/,
  throttled: /^HTTP 429$/,
};

/** Streams a page asks for (SRS reads at least 10). */
export const pageSize = 100;

/** SRS's HTTP API answer: `code` 0, then `vhosts` or `streams` (srs_app_http_api.cpp). */
interface SrsAnswer {
  code?: number;
  vhosts?: { id?: string; name?: string }[];
  streams?: { app?: string; name?: string; vhost?: string; publish?: { active?: boolean; cid?: string } }[];
}

/** The credential fields the list needs: the source's `credentials`, and what `create` requires. */
const requiredCredentials = ['endpoint', 'username', 'password'] as const;

/**
 * SRS's HTTP API (`http_api`, with `auth` on: HTTP Basic): `GET /api/v1/vhosts` names
 * each vhost's statistics id, then `GET /api/v1/streams?start=&count=` pages through the
 * streams (`SrsStatistic::dumps_streams`, in the order of their ids, until a page comes
 * back short). A stream is live while `publish.active`; its `vhost` is the vhost's
 * statistics id, read back to the vhost's name. A push is keyed as the on_publish hook
 * keys it: domain = the vhost, app, stream = `name`, session = `publish.cid`, the
 * publishing connection's context id, which the hook sends as `client_id`.
 */
export const srsLiveList: LiveListSource = {
  provider: 'srs',
  credentials: requiredCredentials,
  create(credentials, options) {
    const { endpoint, username, password } = requireCredentials('SRS', credentials, requiredCredentials);
    const base = options?.endpoint ?? endpoint;
    const authorization = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
    const get = async (path: string, signal: AbortSignal, query: Record<string, string> = {}) => {
      const url = new URL(path, base);
      for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
      const answer = await sendJson<SrsAnswer>('SRS', url, { method: 'GET', headers: { authorization }, signal });
      if (answer.status >= 400)
        throw vendorFailure('SRS', `GET ${path}`, `HTTP ${answer.status}`, '', hints, answer.status);
      // SRS answers its own errors with HTTP 200 and a nonzero `code`.
      if (answer.body?.code !== 0)
        throw vendorFailure('SRS', `GET ${path}`, `code ${answer.body?.code ?? 'missing'}`, '', hints);
      return answer.body;
    };
    return {
      async list(signal) {
        const vhosts = new Map<string, string>();
        for (const vhost of (await get('/api/v1/vhosts', signal)).vhosts ?? [])
          if (vhost.id && vhost.name) vhosts.set(vhost.id, vhost.name);
        return readEveryPage('SRS', signal, 0, async (start) => {
          const { streams = [] } = await get('/api/v1/streams', signal, {
            start: String(start),
            count: String(pageSize),
          });
          const live = streams.filter((stream) => stream.publish?.active === true);
          // A vhost first used after the vhosts were read: the next run reads it (a push left out would be stopped).
          if (live.some((stream) => !vhosts.has(stream.vhost ?? '')))
            throw new VendorApiError('SRS listed a stream of a vhost it had not listed: run again', true);
          return {
            pushes: live.map((stream) => ({
              domain: vhosts.get(stream.vhost!)!,
              app: stream.app ?? '',
              stream: stream.name ?? '',
              ...(stream.publish!.cid ? { sessionId: stream.publish!.cid } : {}),
            })),
            next: streams.length === pageSize ? start + pageSize : undefined,
          };
        });
      },
    };
  },
};
