import { huaweiAuthorization } from './oracles';
import { startStandIn, type ListFaults, type StandIn } from './stand-in';

interface Publish {
  url: string;
  auth_sign_key?: string;
  call_back_area?: string;
}

/**
 * ListLiveStreamsOnline's `limit`, as Huawei documents it: 1 to 100, 10 when absent. Its
 * `offset` is read as a page from 0 (docs/vendors.md: Huawei Live's own list calls name it
 * the page number), so a domain of 250 live streams takes offsets 0, 1 and 2 at the most.
 */
export const onlineLimit = { max: 100, default: 10 } as const;

/** The Huawei Cloud Live stand-in and its notification settings by domain. */
export interface HuaweiStandIn extends StandIn, ListFaults {
  templates: Map<string, Publish>;
  /** What ListLiveStreamsOnline lists, as Huawei writes each `OnlineInfo`. */
  online: { publish_domain: string; app: string; stream: string; start_time: string }[];
  throttle: number;
}

/**
 * A stand-in of Huawei Cloud Live's stream notification API (`/v1/{project_id}/notifications/publish`)
 * and its live list (`GET /v1/{project_id}/realtime/streams`, `offset` a page from 0):
 * every request's SDK-HMAC-SHA256 signature is recomputed by Huawei's own AKSKSigner (the
 * CLI signs by hand); settings are kept per domain; errors have Huawei's
 * `{ error_code, error_msg }` shape (the codes are illustrative of the format).
 */
export async function startHuawei(
  ak: string,
  sk: string,
  projectId: string,
  domains: string[],
): Promise<HuaweiStandIn> {
  const templates = new Map<string, Publish>();
  const fail = (status: number, error_code: string, error_msg: string) => ({ status, body: { error_code, error_msg } });
  const standIn = await startStandIn(
    (request) => {
      const sent = request.headers.authorization ?? '';
      if (!sent.startsWith(`SDK-HMAC-SHA256 Access=${ak},`)) return 'no SDK-HMAC-SHA256 authorization for this AK';
      const date = request.headers['x-sdk-date'] ?? '';
      const at = Date.parse(date.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z'));
      if (!(Math.abs(at - Date.now()) < 15 * 60_000)) return 'X-Sdk-Date off by more than 15 minutes';
      return huaweiAuthorization({ ...request, headers: request.headers }, { ak, sk }) === sent
        ? undefined
        : 'signature does not match';
    },
    (why) => fail(401, 'APIGW.0301', `Incorrect IAM authentication information: ${why}`),
    (request) => {
      if (request.method === 'GET' && request.url.pathname === `/v1/${projectId}/realtime/streams`) {
        if (huawei.throttle > 0) {
          huawei.throttle--;
          return fail(429, 'APIGW.0308', 'The throttling threshold has been reached');
        }
        const query = request.url.searchParams;
        const domain = query.get('publish_domain') ?? '';
        const offset = Number(query.get('offset') ?? 0);
        const limit = Number(query.get('limit') ?? onlineLimit.default);
        if (!domains.includes(domain)) return fail(400, 'LIVE.103011019', 'The domain name does not exist');
        if (!(
          Number.isInteger(offset) &&
          offset >= 0 &&
          Number.isInteger(limit) &&
          limit >= 1 &&
          limit <= onlineLimit.max
        ))
          return fail(400, 'LIVE.100011002', `offset is from 0, limit from 1 to ${onlineLimit.max}`);
        if (huawei.failPage === offset + 1) return fail(500, 'LIVE.100011000', 'Internal error');
        const list = huawei.online.filter((info) => info.publish_domain === domain);
        return {
          status: 200,
          body: {
            total_page: Math.ceil(list.length / limit),
            total_num: list.length,
            offset,
            limit,
            request_id: 'req',
            streams: list.slice(offset * limit, (offset + 1) * limit),
          },
        };
      }
      if (request.url.pathname.replace(/\/$/, '') !== `/v1/${projectId}/notifications/publish`)
        return fail(404, 'APIGW.0101', 'The API does not exist');
      if (huawei.throttle > 0) {
        huawei.throttle--;
        return fail(429, 'APIGW.0308', 'The throttling threshold has been reached');
      }
      const domain = request.url.searchParams.get('domain') ?? '';
      if (!domains.includes(domain)) return fail(400, 'LIVE.103011019', 'The domain name does not exist');
      if (request.method === 'GET') {
        const held = templates.get(domain);
        return held
          ? { status: 200, body: held }
          : fail(404, 'LIVE.100011004', 'The notification setting does not exist');
      }
      if (request.method === 'PUT') {
        const body = JSON.parse(request.body || '{}') as Publish;
        if (!/^https?:\/\//.test(body.url ?? '')) return fail(400, 'LIVE.100011002', 'url is invalid');
        if (body.auth_sign_key !== undefined && (body.auth_sign_key.length < 32 || body.auth_sign_key.length > 128)) {
          return fail(400, 'LIVE.100011002', 'auth_sign_key must be 32 to 128 characters');
        }
        const existed = templates.has(domain);
        templates.set(domain, {
          url: body.url,
          auth_sign_key: body.auth_sign_key,
          call_back_area: body.call_back_area,
        });
        return { status: existed ? 200 : 201, body: undefined };
      }
      return fail(405, 'APIGW.0101', 'method not allowed');
    },
  );
  const huawei: HuaweiStandIn = Object.assign(standIn, {
    templates,
    online: [] as HuaweiStandIn['online'],
    failPage: 0,
    throttle: 0,
  });
  return huawei;
}
