import { createHash, createHmac } from 'node:crypto';
import { providerOf } from '../../../tools/providers';
import { alibabaSignature } from './oracles';
import { pageOf, startStandIn, type ListFaults, type SeenRequest, type StandIn } from './stand-in';

/** RFC 3986 percent-encoding, as Alibaba's signature v1 document defines it. */
const encode = (text: string) =>
  encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

interface NotifyConfig {
  DomainName: string;
  NotifyUrl: string;
  NotifyReqAuth: string;
  NotifyAuthKey?: string;
}

/** DescribeLiveStreamsOnlineList's largest page, as Alibaba documents it. */
const maxPageSize = 3_000;

/** The Alibaba ApsaraVideo Live stand-in: its state, and a way to make it deliver a callback. */
export interface AlibabaStandIn extends StandIn, ListFaults {
  configs: Map<string, NotifyConfig>;
  /** What DescribeLiveStreamsOnlineList lists, as Alibaba writes each `LiveStreamOnlineInfo`; each has its `DomainName`. */
  online: Record<string, string>[];
  throttle: number;
  /** Delivers an ingest callback for `stream` as Alibaba would (GET, signed with the domain's key), and logs it. */
  deliver(domain: string, kind: 'start' | 'stop', stream: string): Promise<number>;
}

/**
 * A stand-in of Alibaba ApsaraVideo Live's RPC API (2016-11-01): every call's signature v1
 * (HMAC-SHA1 over `POST&%2F&<canonical query>`, key `<secret>&`) is checked by this code,
 * written anew from Alibaba's signature document, and recomputed by @alicloud/pop-core
 * (the CLI signs with pop-core, the live list by hand); a SignatureNonce is taken once.
 * Answers and errors have Alibaba's JSON shapes.
 */
export async function startAlibaba(
  accessKeyId: string,
  accessKeySecret: string,
  domains: string[],
): Promise<AlibabaStandIn> {
  const configs = new Map<string, NotifyConfig>();
  const nonces = new Set<string>();
  const records: Record<string, string>[] = [];
  const paramsOf = (request: SeenRequest) =>
    new URLSearchParams(request.method === 'POST' ? request.body : request.url.search);
  const verify = (request: SeenRequest): string | undefined => {
    const params = paramsOf(request);
    const signature = params.get('Signature');
    if (!signature) return 'no Signature';
    if (params.get('AccessKeyId') !== accessKeyId) return 'unknown AccessKeyId';
    if (params.get('SignatureMethod') !== 'HMAC-SHA1' || params.get('SignatureVersion') !== '1.0')
      return 'not signature v1';
    if (Math.abs(Date.parse(params.get('Timestamp') ?? '') - Date.now()) > 15 * 60_000)
      return 'Timestamp off by more than 15 minutes';
    const nonce = params.get('SignatureNonce') ?? '';
    if (!nonce || nonces.has(nonce)) return 'SignatureNonce missing or used before';
    nonces.add(nonce);
    const canonical = [...params]
      .filter(([name]) => name !== 'Signature')
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([name, value]) => `${encode(name)}=${encode(value)}`)
      .join('&');
    const expected = createHmac('sha1', `${accessKeySecret}&`)
      .update(`${request.method}&${encode('/')}&${encode(canonical)}`)
      .digest('base64');
    return expected === signature ? undefined : 'signature v1 does not match';
  };
  const fail = (status: number, Code: string, Message: string) => ({
    status,
    body: { RequestId: 'req', HostId: 'live.aliyuncs.com', Code, Message },
  });
  const standIn = await startStandIn(
    async (request) =>
      verify(request) ??
      ((await alibabaSignature(request, accessKeySecret)) === paramsOf(request).get('Signature')
        ? undefined
        : "pop-core's Signature differs"),
    (why) => fail(400, 'SignatureDoesNotMatch', why),
    (request) => {
      const params = Object.fromEntries(paramsOf(request));
      if (params.Version !== '2016-11-01')
        return fail(400, 'InvalidVersion', 'Specified parameter Version is not valid.');
      if (alibaba.throttle > 0) {
        alibaba.throttle--;
        return fail(400, 'Throttling.User', 'Request was denied due to user flow control.');
      }
      const domain = params.DomainName ?? '';
      if (!domains.includes(domain))
        return fail(400, 'InvalidDomain.NotFound', 'The domain provided does not belong to you.');
      switch (params.Action) {
        case 'DescribeLiveStreamsOnlineList': {
          const page = Number(params.PageNum ?? 1);
          const size = Number(params.PageSize ?? 2000);
          if (!(Number.isInteger(page) && page >= 1 && Number.isInteger(size) && size >= 1 && size <= maxPageSize))
            return fail(400, 'InvalidParameter', `PageNum is from 1, PageSize from 1 to ${maxPageSize}`);
          if (alibaba.failPage === page)
            return fail(500, 'InternalError', 'The request processing has failed due to some unknown error.');
          const list = alibaba.online.filter(
            (info) => info.DomainName === domain && (params.StreamType !== 'raw' || info.Transcoded !== 'yes'),
          );
          const { items, totalPages } = pageOf(list, page, size);
          return {
            status: 200,
            body: {
              RequestId: 'req',
              PageNum: page,
              PageSize: size,
              TotalNum: list.length,
              TotalPage: totalPages,
              OnlineInfo: { LiveStreamOnlineInfo: items },
            },
          };
        }
        case 'SetLiveStreamsNotifyUrlConfig':
          if (!params.NotifyUrl) return fail(400, 'MissingParameter', 'NotifyUrl');
          if (params.NotifyReqAuth === 'yes' && !/^[A-Za-z0-9]{16,64}$/.test(params.NotifyAuthKey ?? '')) {
            return fail(400, 'InvalidParameter', 'NotifyAuthKey must be 16 to 64 letters and digits');
          }
          configs.set(domain, {
            DomainName: domain,
            NotifyUrl: params.NotifyUrl,
            NotifyReqAuth: params.NotifyReqAuth ?? 'no',
            NotifyAuthKey: params.NotifyAuthKey,
          });
          return { status: 200, body: { RequestId: 'req' } };
        case 'DescribeLiveStreamsNotifyUrlConfig': {
          const config = configs.get(domain);
          return { status: 200, body: { RequestId: 'req', ...(config ? { LiveStreamsNotifyConfig: config } : {}) } };
        }
        case 'DescribeLiveStreamsNotifyRecords': {
          const list = records.filter((record) => record.DomainName === domain);
          return {
            status: 200,
            body: {
              RequestId: 'req',
              PageNum: 1,
              PageSize: 100,
              TotalNum: list.length,
              TotalPage: 1,
              NotifyRecordsInfo: { LiveStreamNotifyRecordsInfo: list },
            },
          };
        }
        default:
          return fail(404, 'InvalidAction.NotFound', `${params.Action} is not served here`);
      }
    },
  );
  const alibaba: AlibabaStandIn = Object.assign(standIn, {
    configs,
    online: [] as Record<string, string>[],
    failPage: 0,
    throttle: 0,
    async deliver(domain: string, kind: 'start' | 'stop', stream: string) {
      const config = configs.get(domain)!;
      const now = Math.floor(Date.now() / 1000);
      const fields = providerOf('alibaba').samples.sample({
        kind,
        stream,
        sessionSec: now - (now % 3600),
        timeSec: now,
      });
      const url = new URL(config.NotifyUrl);
      for (const [name, value] of Object.entries({ ...fields, app: domain })) url.searchParams.set(name, String(value));
      const timestamp = String(now);
      // Alibaba's callback signature: md5 of `<domain>|<timestamp>|<key>`.
      const signature = createHash('md5').update(`${domain}|${timestamp}|${config.NotifyAuthKey}`).digest('hex');
      const response = await fetch(url, {
        headers: { 'ALI-LIVE-TIMESTAMP': timestamp, 'ALI-LIVE-SIGNATURE': signature },
      });
      const answer = await response.text();
      records.push({
        DomainName: domain,
        StreamName: stream,
        NotifyUrl: config.NotifyUrl,
        NotifyTime: new Date().toISOString(),
        NotifyType: kind === 'start' ? 'publish' : 'publish_done',
        NotifyResult: response.status === 200 ? 'success' : 'failed',
        NotifyResponse: response.status === 200 ? '' : `${response.status} ${answer}`,
      });
      return response.status;
    },
  });
  return alibaba;
}
