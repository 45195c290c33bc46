import { liveKitClaims } from './oracles';
import { startStandIn, type ListFaults, type StandIn } from './stand-in';

/** An ingress as LiveKit's Twirp JSON writes it (protojson with the proto's field names, int64 as text). */
export interface IngressInfo {
  ingress_id: string;
  name: string;
  room_name: string;
  participant_identity: string;
  input_type: 'RTMP_INPUT' | 'WHIP_INPUT' | 'URL_INPUT';
  state: {
    status?: 'ENDPOINT_BUFFERING' | 'ENDPOINT_PUBLISHING' | 'ENDPOINT_ERROR' | 'ENDPOINT_COMPLETE';
    started_at?: string;
    resource_id?: string;
  };
}

/** The LiveKit stand-in: the project's ingresses, listed a few a page. */
export interface LiveKitStandIn extends StandIn, ListFaults {
  ingresses: IngressInfo[];
  throttle: number;
}

/** Ingresses a page: small, so that a test pages. */
export const ingressPageSize = 3;

/**
 * A stand-in of LiveKit's Ingress service (`POST /twirp/livekit.Ingress/ListIngress`): the
 * Bearer token is verified by livekit-server-sdk's own `TokenVerifier` and must carry the
 * `ingressAdmin` grant; pages follow `page_token`; errors are Twirp's `{ code, msg }`.
 */
export async function startLiveKit(apiKey: string, apiSecret: string): Promise<LiveKitStandIn> {
  const fail = (status: number, code: string, msg: string) => ({ status, body: { code, msg } });
  const standIn = await startStandIn(
    async (request) => {
      const token = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
      if (!token) return 'no Bearer token';
      try {
        const claims = await liveKitClaims(token, apiKey, apiSecret);
        return claims.video?.ingressAdmin === true ? undefined : 'the token lacks the ingressAdmin grant';
      } catch (error) {
        return `the token does not verify: ${(error as Error).message}`;
      }
    },
    (why) => fail(401, 'unauthenticated', why),
    (request) => {
      if (request.method !== 'POST' || request.url.pathname !== '/twirp/livekit.Ingress/ListIngress')
        return fail(404, 'bad_route', 'no such method');
      if (livekit.throttle > 0) {
        livekit.throttle--;
        return fail(429, 'resource_exhausted', 'rate limit exceeded');
      }
      const input = JSON.parse(request.body || '{}');
      const token = input.pageToken?.token ?? input.page_token?.token ?? '';
      const offset = token ? Number(token) : 0;
      if (!Number.isInteger(offset) || offset < 0) return fail(400, 'invalid_argument', 'bad page token');
      if (livekit.failPage === offset / ingressPageSize + 1) return fail(500, 'internal', 'internal error');
      const items = livekit.ingresses.slice(offset, offset + ingressPageSize);
      const more = offset + ingressPageSize < livekit.ingresses.length;
      return {
        status: 200,
        body: { items, ...(more ? { next_page_token: { token: String(offset + ingressPageSize) } } : {}) },
      };
    },
  );
  const livekit: LiveKitStandIn = Object.assign(standIn, { ingresses: [] as IngressInfo[], failPage: 0, throttle: 0 });
  return livekit;
}
