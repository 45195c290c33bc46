import { startStandIn, type ListFaults, type StandIn } from './stand-in';

/** The OvenMediaEngine stand-in: its vhosts' apps' input streams, and how to break it. */
export interface OmeStandIn extends StandIn, ListFaults {
  /** vhost name → app name → its input streams' names. */
  vhosts: Record<string, Record<string, string[]>>;
  /** How many requests it answers 503 (a proxy in front of OME, busy). */
  throttle: number;
}

/**
 * A stand-in of OvenMediaEngine's REST API (src/projects/api_server/controllers/v1:
 * `GET /v1/vhosts`, `/v1/vhosts/{vhost}/apps`, `/v1/vhosts/{vhost}/apps/{app}/streams`),
 * each answering `{statusCode, message, response}` with a list of names, unpaged; an
 * unknown name 404. HTTP Basic of the access token alone (root_controller.cpp), decoded
 * and compared here; refused: 401 with `WWW-Authenticate`. `failPage` fails that request
 * (from 1) with a 500.
 */
export async function startOme(accessToken: string): Promise<OmeStandIn> {
  const ok = (response: unknown) => ({ status: 200, body: { statusCode: 200, message: 'OK', response } });
  const fail = (status: number, message: string) => ({ status, body: { statusCode: status, message } });
  let failPage = 0;
  /** How many requests the stand-in had seen when `failPage` was set. */
  let failFrom = 0;
  const standIn = await startStandIn(
    ({ headers }) => {
      const [scheme, encoded] = (headers.authorization ?? '').split(' ');
      if (scheme?.toUpperCase() !== 'BASIC' || !encoded) return 'no Basic credentials';
      return Buffer.from(encoded, 'base64').toString('utf8') === accessToken ? undefined : 'wrong access token';
    },
    () => ({
      status: 401,
      body: { statusCode: 401, message: 'Invalid credential' },
      headers: { 'www-authenticate': 'Basic realm="OvenMediaEngine"' },
    }),
    ({ url }) => {
      if (ome.throttle > 0) {
        ome.throttle--;
        return fail(503, 'Service Unavailable');
      }
      if (failPage > 0 && ome.seen.length - failFrom === failPage) return fail(500, 'Internal Server Error');
      const path = url.pathname.split('/').map(decodeURIComponent);
      const [, version, vhosts, vhost, apps, app, streams, ...more] = path;
      if (version !== 'v1' || vhosts !== 'vhosts' || more.length > 0) return fail(404, 'Controller not found');
      if (vhost === undefined) return ok(Object.keys(ome.vhosts));
      const found = ome.vhosts[vhost];
      if (!found) return fail(404, `Could not find the virtual host: [${vhost}]`);
      if (apps !== 'apps') return fail(404, 'Controller not found');
      if (app === undefined) return ok(Object.keys(found));
      if (!found[app]) return fail(404, `Could not find the application: [${vhost}/${app}]`);
      return streams === 'streams' ? ok(found[app]) : fail(404, 'Controller not found');
    },
  );
  // Counted from the first request after it is set: OME's list is a walk, not pages.
  const failing = {
    get: () => failPage,
    set: (page: number) => {
      failPage = page;
      failFrom = standIn.seen.length;
    },
  };
  const ome = Object.defineProperty(
    Object.assign(standIn, { vhosts: {}, throttle: 0 }),
    'failPage',
    failing,
  ) as OmeStandIn;
  return ome;
}
