import { vendorFailure, type ErrorHints } from '../../vendor-api/errors';
import { sendJson } from '../../vendor-api/http';
import { readEveryPage, requireCredentials } from '../../vendor-api/live-pages';
import type { LiveListSource } from '../live-list';

const hints: ErrorHints = {
  credentials: "the accessToken of OvenMediaEngine's API server (<Managers><API><AccessToken>)",
  permission: 'the API server enabled (<Bind><Managers><API>) and reachable from livehooks',
  refused: /^HTTP 401$|^HTTP 403$/,
  throttled: /^HTTP 429$/,
};

/** OME's API answer (`ApiResponse`): `statusCode`, `message`, and the names in `response`. */
interface OmeAnswer {
  statusCode?: number;
  message?: string;
  response?: unknown;
}

/** The credential fields the list needs: the source's `credentials`, and what `create` requires. */
const requiredCredentials = ['endpoint', 'accessToken', 'domain'] as const;

/**
 * OvenMediaEngine's REST API (HTTP Basic: the base64 of the access token alone):
 * `GET /v1/vhosts`, `GET /v1/vhosts/{vhost}/apps`, then each app's
 * `GET /v1/vhosts/{vhost}/apps/{app}/streams`, each a list of names, unpaged; the streams
 * are the app's input streams (`OnGetStreamList` leaves out those linked to an input).
 * A push is keyed as the admission webhook keys it from its publish URL: domain = the host
 * publishers push to (`domain`, lower-cased: the API names vhosts, not hosts), app, stream.
 * The list carries no client address and port, the webhook's pairing key.
 */
export const omeLiveList: LiveListSource = {
  provider: 'ome',
  credentials: requiredCredentials,
  create(credentials, options) {
    const { endpoint, accessToken, domain } = requireCredentials('OvenMediaEngine', credentials, requiredCredentials);
    const base = options?.endpoint ?? endpoint;
    const authorization = `Basic ${Buffer.from(accessToken).toString('base64')}`;
    const names = async (path: string, signal: AbortSignal) => {
      const answer = await sendJson<OmeAnswer>('OvenMediaEngine', new URL(path, base), {
        method: 'GET',
        headers: { authorization },
        signal,
      });
      const { body } = answer;
      if (answer.status >= 400 || !Array.isArray(body?.response))
        throw vendorFailure(
          'OvenMediaEngine',
          `GET ${path}`,
          `HTTP ${answer.status}`,
          body?.message ?? '',
          hints,
          answer.status,
        );
      return body.response.filter((name): name is string => typeof name === 'string' && name !== '');
    };
    return {
      async list(signal) {
        const apps: { path: string; app: string }[] = [];
        for (const vhost of await names('/v1/vhosts', signal)) {
          const path = `/v1/vhosts/${encodeURIComponent(vhost)}/apps`;
          for (const app of await names(path, signal)) apps.push({ path: `${path}/${encodeURIComponent(app)}`, app });
        }
        if (apps.length === 0) return [];
        return readEveryPage('OvenMediaEngine', signal, 0, async (i) => {
          const { path, app } = apps[i]!;
          const streams = await names(`${path}/streams`, signal);
          return {
            pushes: streams.map((stream) => ({ domain: domain.toLowerCase(), app, stream })),
            next: i + 1 < apps.length ? i + 1 : undefined,
          };
        });
      },
    };
  },
};
