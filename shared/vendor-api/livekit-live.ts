import type { LiveListSource } from '../reconcile/live-list';
import { hmacSha256Base64Url } from '../signature';
import { vendorFailure, type ErrorHints } from './errors';
import { sendJson } from './http';
import { readEveryPage, requireCredentials } from './live-pages';

const hints: ErrorHints = {
  credentials: 'the apiKey and apiSecret of the live list',
  permission: 'the ingressAdmin grant (any API key of the project)',
  refused: /^unauthenticated$|^permission_denied$/,
  throttled: /^resource_exhausted$|^HTTP 429$/,
};

/** How long a list token is good for: a list reads in seconds. */
const tokenLifetimeSec = 600;

/** An access token for LiveKit's server API: HS256 under the API secret, with the `ingressAdmin` video grant. */
export function liveKitAdminToken(apiKey: string, apiSecret: string, nowSec: number): string {
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const claims = { iss: apiKey, nbf: nowSec, exp: nowSec + tokenLifetimeSec, video: { ingressAdmin: true } };
  const unsigned = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode(claims)}`;
  return `${unsigned}.${hmacSha256Base64Url(apiSecret, unsigned)}`;
}

interface IngressInfo {
  ingressId?: string;
  ingress_id?: string;
  roomName?: string;
  room_name?: string;
  state?: {
    status?: string;
    startedAt?: string | number;
    started_at?: string | number;
    resourceId?: string;
    resource_id?: string;
  };
}

/** `ListIngress`'s answer: the page, or a Twirp error's `code` and `msg`. */
interface ListIngressAnswer {
  code?: string;
  msg?: string;
  items?: IngressInfo[];
  nextPageToken?: { token?: string };
  next_page_token?: { token?: string };
}

/** The credential fields the list needs: the source's `credentials`, and what `create` requires. */
const requiredCredentials = ['apiKey', 'apiSecret', 'url'] as const;

/**
 * LiveKit's `ListIngress` (Twirp `POST /twirp/livekit.Ingress/ListIngress`, a JWT with the
 * `ingressAdmin` grant), every ingress of the project, followed by `nextPageToken`; those
 * in `ENDPOINT_PUBLISHING` are live (the state LiveKit sends `ingress_started` on). A push
 * is keyed as the webhook keys it: domain = '', app = the room, stream = the ingress id,
 * session = the state's `resourceId`, else `started:<startedAt>`. Field names are read in
 * protojson's both spellings (camelCase and the proto's own).
 */
export const livekitLiveList: LiveListSource = {
  provider: 'livekit',
  credentials: requiredCredentials,
  create(credentials, options) {
    const { apiKey, apiSecret, url: host } = requireCredentials('LiveKit', credentials, requiredCredentials);
    const url = new URL('/twirp/livekit.Ingress/ListIngress', (options?.endpoint ?? host).replace(/^ws/, 'http'));
    return {
      list: (signal) =>
        readEveryPage('LiveKit', signal, '', async (token) => {
          const body = JSON.stringify(token ? { pageToken: { token } } : {});
          const authorization = `Bearer ${liveKitAdminToken(apiKey, apiSecret, Math.floor(Date.now() / 1000))}`;
          const answer = await sendJson<ListIngressAnswer>('LiveKit', url, {
            method: 'POST',
            headers: { authorization, 'content-type': 'application/json' },
            body,
            signal,
          });
          if (answer.status >= 400) {
            const code = answer.body?.code ?? `HTTP ${answer.status}`;
            throw vendorFailure('LiveKit', 'ListIngress', code, answer.body?.msg ?? '', hints, answer.status);
          }
          const items = answer.body?.items ?? [];
          const next = answer.body?.nextPageToken?.token ?? answer.body?.next_page_token?.token;
          return {
            pushes: items.flatMap((ingress) => {
              const { state = {} } = ingress;
              const stream = ingress.ingressId ?? ingress.ingress_id;
              if (!stream || state.status !== 'ENDPOINT_PUBLISHING') return [];
              const startedAt = state.startedAt ?? state.started_at ?? 0;
              const resourceId = state.resourceId ?? state.resource_id;
              return [
                {
                  domain: '',
                  app: ingress.roomName ?? ingress.room_name ?? '',
                  stream,
                  sessionId: resourceId || `started:${startedAt}`,
                  // Unix nanoseconds, as text (protojson's int64).
                  startedAtMs: /^[1-9]\d{0,19}$/.test(String(startedAt))
                    ? Number(BigInt(startedAt) / 1_000_000n)
                    : undefined,
                },
              ];
            }),
            next: typeof next === 'string' && next ? next : undefined,
          };
        }),
    };
  },
};
