import { startStandIn, type ListFaults, type StandIn } from './stand-in';

/** A stream as SRS's `SrsStatisticStream::dumps` writes it (the fields the list reads, and a few more). */
export interface SrsStream {
  id: string;
  name: string;
  vhost: string;
  app: string;
  tcUrl: string;
  url: string;
  live_ms: number;
  clients: number;
  publish: { active: boolean; cid?: string };
}

/** The SRS stand-in: its vhosts (statistics id and name) and streams, and how to break it. */
export interface SrsStandIn extends StandIn, ListFaults {
  vhosts: { id: string; name: string }[];
  streams: SrsStream[];
  /** How many requests it answers 503 (a proxy in front of SRS, busy). */
  throttle: number;
}

/**
 * A stand-in of SRS's HTTP API (srs_app_http_api.cpp, SRS 6): `GET /api/v1/vhosts` and
 * `GET /api/v1/streams?start=&count=` (count at least 10, in the order of the streams'
 * ids), answers `{code: 0, server, service, pid, vhosts | streams}`; its own errors as
 * `{code}`. HTTP Basic for `http_api.auth`, decoded and compared here; refused: 401.
 */
export async function startSrs(username: string, password: string): Promise<SrsStandIn> {
  const head = { code: 0, server: 'vid-0xk989d', service: 'ksk2l5ek', pid: '1' };
  const standIn = await startStandIn(
    ({ headers }) => {
      const [scheme, encoded] = (headers.authorization ?? '').split(' ');
      if (scheme !== 'Basic' || !encoded) return 'no Basic credentials';
      const decoded = Buffer.from(encoded, 'base64').toString('utf8');
      return decoded === `${username}:${password}` ? undefined : 'wrong Basic credentials';
    },
    () => ({ status: 401, body: 'Unauthorized' }),
    (request) => {
      if (srs.throttle > 0) {
        srs.throttle--;
        return { status: 503, body: 'Service Unavailable' };
      }
      if (request.url.pathname === '/api/v1/vhosts') return { status: 200, body: { ...head, vhosts: srs.vhosts } };
      if (request.url.pathname !== '/api/v1/streams') return { status: 200, body: { code: 1061 } };
      const start = Math.max(0, Number.parseInt(request.url.searchParams.get('start') ?? '0', 10) || 0);
      const count = Math.max(10, Number.parseInt(request.url.searchParams.get('count') ?? '0', 10) || 0);
      if (srs.failPage > 0 && start / count + 1 === srs.failPage) return { status: 500, body: 'Internal Server Error' };
      const ordered = [...srs.streams].sort((a, b) => (a.id < b.id ? -1 : 1));
      return { status: 200, body: { ...head, streams: ordered.slice(start, start + count) } };
    },
  );
  const srs: SrsStandIn = Object.assign(standIn, {
    vhosts: [] as SrsStandIn['vhosts'],
    streams: [] as SrsStream[],
    failPage: 0,
    throttle: 0,
  });
  return srs;
}

/** A stream as SRS lists it, publishing or not. */
export function srsStream(id: string, vhost: string, app: string, name: string, cid?: string): SrsStream {
  return {
    id,
    name,
    vhost,
    app,
    tcUrl: `rtmp://127.0.0.1/${app}`,
    url: `/${app}/${name}`,
    live_ms: Date.now(),
    clients: 1,
    publish: cid ? { active: true, cid } : { active: false },
  };
}
