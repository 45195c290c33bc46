import { jdcloudAuthorization } from './oracles';
import { pageOf, startStandIn, type ListFaults, type StandIn } from './stand-in';

/** The JD Cloud Live stand-in and its callback URL per push domain. */
export interface JdcloudStandIn extends StandIn, ListFaults {
  notifyUrls: Map<string, string>;
  /** What describeLiveStreamOnlineList lists, as JD writes each `OnlineStreamInfo`. */
  online: { publishDomain: string; appName: string; streamName: string; publishTime: string; publishUrl: string }[];
  throttle: number;
  /** Take only http:// callback URLs, as JD's documentation says. */
  httpOnly: boolean;
}

/**
 * A stand-in of JD Cloud Live's stream callback API (`/v1/streamNotifys`) and its live list
 * (`GET /v1/streams/{publishDomain}/onlineList`): every request's
 * JDCLOUD2-HMAC-SHA256 signature is recomputed by jdcloud-sdk-js's own signer v2 (the CLI
 * signs by hand); errors have JD's `{ requestId, error: { code, status, message } }` shape.
 */
export async function startJdcloud(
  accessKeyId: string,
  secretAccessKey: string,
  domains: string[],
): Promise<JdcloudStandIn> {
  const notifyUrls = new Map<string, string>();
  const nonces = new Set<string>();
  const fail = (code: number, status: string, message: string) => ({
    status: code,
    body: { requestId: 'req', error: { code, status, message } },
  });
  const standIn = await startStandIn(
    (request) => {
      const sent = request.headers.authorization ?? '';
      if (!sent.startsWith(`JDCLOUD2-HMAC-SHA256 Credential=${accessKeyId}/`))
        return 'no JDCLOUD2 authorization for this key';
      const nonce = request.headers['x-jdcloud-nonce'] ?? '';
      if (!nonce || nonces.has(nonce)) return 'x-jdcloud-nonce missing or used before';
      nonces.add(nonce);
      return jdcloudAuthorization(request, { accessKeyId, secretAccessKey }) === sent
        ? undefined
        : 'signature does not match';
    },
    (why) => fail(401, 'UNAUTHENTICATED', why),
    (request) => {
      if (jd.throttle > 0) {
        jd.throttle--;
        return fail(429, 'RESOURCE_EXHAUSTED', 'request rate exceeded');
      }
      const path = request.url.pathname;
      if (request.method === 'POST' && path === '/v1/streamNotifys') {
        const { publishDomain, notifyUrl } = JSON.parse(request.body || '{}');
        if (!domains.includes(publishDomain)) return fail(404, 'NOT_FOUND', 'publishDomain not found');
        if (
          typeof notifyUrl !== 'string' ||
          !(jd.httpOnly ? /^http:\/\//.test(notifyUrl) : /^https?:\/\//.test(notifyUrl))
        ) {
          return fail(400, 'INVALID_ARGUMENT', 'notifyUrl must start with http://');
        }
        notifyUrls.set(publishDomain, notifyUrl);
        return { status: 200, body: { requestId: 'req' } };
      }
      const online = /^\/v1\/streams\/([^/]+)\/onlineList$/.exec(path);
      if (request.method === 'GET' && online) {
        const publishDomain = decodeURIComponent(online[1]!);
        if (!domains.includes(publishDomain)) return fail(404, 'NOT_FOUND', 'publishDomain not found');
        const page = Number(request.url.searchParams.get('pageNum') ?? 1);
        const size = Number(request.url.searchParams.get('pageSize') ?? 10);
        if (!(
          Number.isInteger(page) &&
          page >= 1 &&
          page <= 100000 &&
          Number.isInteger(size) &&
          size >= 10 &&
          size <= 100
        ))
          return fail(400, 'INVALID_ARGUMENT', 'pageNum is 1 to 100000, pageSize 10 to 100');
        if (jd.failPage === page) return fail(503, 'UNAVAILABLE', 'Service unavailable');
        const list = jd.online.filter((info) => info.publishDomain === publishDomain);
        return {
          status: 200,
          body: {
            requestId: 'req',
            result: {
              onlineStreamInfos: pageOf(list, page, size).items,
              pageNumber: page,
              pageSize: size,
              totalCount: list.length,
            },
          },
        };
      }
      const read = /^\/v1\/streamNotifys\/([^/]+)$/.exec(path);
      if (request.method === 'GET' && read) {
        const publishDomain = decodeURIComponent(read[1]!);
        if (!domains.includes(publishDomain)) return fail(404, 'NOT_FOUND', 'publishDomain not found');
        return {
          status: 200,
          body: { requestId: 'req', result: { publishDomain, notifyUrl: notifyUrls.get(publishDomain) ?? '' } },
        };
      }
      return fail(404, 'NOT_FOUND', `${request.method} ${path} is not served here`);
    },
  );
  const jd: JdcloudStandIn = Object.assign(standIn, {
    notifyUrls,
    online: [] as JdcloudStandIn['online'],
    failPage: 0,
    throttle: 0,
    httpOnly: false,
  });
  return jd;
}
