import { awsAuthorization } from './oracles';
import { startStandIn, type ListFaults, type StandIn } from './stand-in';

/** A stream as IVS's ListStreams writes it (`StreamSummary`). */
export interface StreamSummary {
  channelArn: string;
  streamId: string;
  state: 'LIVE' | 'OFFLINE';
  health: 'HEALTHY' | 'STARVING' | 'UNKNOWN';
  startTime: string;
  viewerCount: number;
}

/** The Amazon IVS stand-in: the streams it lists, and its faults. */
export interface IvsStandIn extends StandIn, ListFaults {
  streams: StreamSummary[];
  throttle: number;
}

/**
 * A stand-in of Amazon IVS's `ListStreams` (`POST /ListStreams`, REST-JSON): every
 * request's SigV4 signature is recomputed by the AWS SDK's own signer
 * (`@smithy/signature-v4`); `maxResults` 1 to 100, `nextToken` an opaque cursor; errors
 * name their type in `x-amzn-ErrorType` with `{ message }`.
 */
export async function startIvs(
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string },
  region: string,
): Promise<IvsStandIn> {
  const fail = (status: number, type: string, message: string) => ({
    status,
    headers: { 'x-amzn-ErrorType': `${type}:http://internal.amazon.com/coral/com.amazon.ivs/` },
    body: { message },
  });
  const cursor = (offset: number) => Buffer.from(`offset:${offset}`).toString('base64');
  const standIn = await startStandIn(
    async (request) => {
      const sent = request.headers.authorization ?? '';
      if (!sent.startsWith(`AWS4-HMAC-SHA256 Credential=${credentials.accessKeyId}/`))
        return 'no SigV4 authorization for this key';
      if (!sent.includes(`/${region}/ivs/aws4_request`)) return 'not signed for this region and ivs';
      if (request.headers['x-amz-security-token'] !== credentials.sessionToken) return 'wrong session token';
      return (await awsAuthorization(request, credentials, { region, service: 'ivs' })) === sent
        ? undefined
        : 'the SDK signer computes another signature';
    },
    (why) => fail(403, 'InvalidSignatureException', why),
    (request) => {
      if (request.method !== 'POST' || request.url.pathname !== '/ListStreams')
        return fail(404, 'UnknownOperationException', 'no such operation');
      if (ivs.throttle > 0) {
        ivs.throttle--;
        return fail(429, 'ThrottlingException', 'Rate exceeded');
      }
      const input = JSON.parse(request.body || '{}');
      const size = input.maxResults ?? 50;
      if (!(Number.isInteger(size) && size >= 1 && size <= 100))
        return fail(400, 'ValidationException', 'maxResults must be from 1 to 100');
      const offset = input.nextToken
        ? Number(/^offset:(\d+)$/.exec(Buffer.from(input.nextToken, 'base64').toString())?.[1])
        : 0;
      if (!Number.isInteger(offset)) return fail(400, 'ValidationException', 'nextToken is not valid');
      if (ivs.failPage === offset / size + 1) return fail(500, 'InternalServerException', 'internal error');
      const live = ivs.streams.filter((stream) => stream.state === 'LIVE');
      const page = live.slice(offset, offset + size);
      return {
        status: 200,
        body: { streams: page, ...(offset + size < live.length ? { nextToken: cursor(offset + size) } : {}) },
      };
    },
  );
  const ivs: IvsStandIn = Object.assign(standIn, { streams: [] as StreamSummary[], failPage: 0, throttle: 0 });
  return ivs;
}
