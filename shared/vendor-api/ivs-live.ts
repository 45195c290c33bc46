import aws4 from 'aws4';
import type { LiveListSource } from '../reconcile/live-list';
import { channelsOf } from '../providers/ivs';
import { vendorFailure, type ErrorHints } from './errors';
import { sendJson } from './http';
import { readEveryPage, requireCredentials, timeOf } from './live-pages';

const hints: ErrorHints = {
  credentials: 'the AWS credentials of the reconcile function (its role)',
  permission: 'ivs:ListStreams',
  refused: /^AccessDeniedException$|^UnrecognizedClientException$|^InvalidSignatureException$|^ExpiredTokenException$/,
  throttled: /^ThrottlingException$|^TooManyRequestsException$|^HTTP 429$/,
  known: [[/^ValidationException$/, 'IVS refused the request: check region']],
};

/** Streams a page asks for: the documented maximum (`maxResults` 1 to 100). */
export const pageSize = 100;

interface StreamSummary {
  channelArn?: string;
  streamId?: string;
  state?: string;
  startTime?: string;
}

/** `ListStreams`'s answer: the page, or an error's type (`__type` or `code`) and `message`. */
interface ListStreamsAnswer {
  __type?: string;
  code?: string;
  message?: string;
  streams?: StreamSummary[];
  nextToken?: string;
}

/** The credential fields the list needs: the source's `credentials`, and what `create` requires. */
const requiredCredentials = ['accessKeyId', 'secretAccessKey', 'region'] as const;

/**
 * Amazon IVS's `ListStreams` (`POST /ListStreams`, SigV4 for service `ivs`), up to 100 a
 * page, followed by `nextToken`: the channels live now in the region. A push is keyed as
 * the EventBridge event keys it: domain = the channel's account, app = its region, stream
 * = its id (all from `channelArn`), session = `streamId` (the event's `stream_id`).
 */
export const ivsLiveList: LiveListSource = {
  provider: 'ivs',
  credentials: requiredCredentials,
  // ListStreams has no resource-level permission: `Resource: '*'` (IVS's service authorization reference).
  awsActions: ['ivs:ListStreams'],
  create(credentials, options) {
    const { accessKeyId, secretAccessKey, region } = requireCredentials('AWS', credentials, requiredCredentials);
    const sessionToken = credentials.sessionToken || undefined;
    const url = new URL('/ListStreams', options?.endpoint ?? `https://ivs.${region}.amazonaws.com`);
    return {
      list: (signal) =>
        readEveryPage('Amazon IVS', signal, '', async (token) => {
          const body = JSON.stringify({ maxResults: pageSize, ...(token ? { nextToken: token } : {}) });
          // Signed by aws4, as the functions' AWS client signs (shared/aws/core.ts).
          const { headers } = aws4.sign(
            {
              host: url.host,
              path: url.pathname,
              method: 'POST',
              headers: { 'Content-Type': 'application/json' },
              body,
              service: 'ivs',
              region,
            },
            { accessKeyId, secretAccessKey, sessionToken },
          );
          const answer = await sendJson<ListStreamsAnswer>('Amazon IVS', url, {
            method: 'POST',
            headers: headers as Record<string, string>,
            body,
            signal,
          });
          if (answer.status >= 400) {
            // REST-JSON errors name their type in a header (some also in the body), maybe with `:` or `#` around it.
            const type = (
              answer.headers.get('x-amzn-errortype') ??
              answer.body?.__type ??
              answer.body?.code ??
              `HTTP ${answer.status}`
            ).replace(/^.*#|:.*$/g, '');
            throw vendorFailure('Amazon IVS', 'ListStreams', type, answer.body?.message ?? '', hints, answer.status);
          }
          const streams = answer.body?.streams ?? [];
          return {
            pushes: streams.flatMap((summary) => {
              const [channel] = channelsOf(summary.channelArn ? [summary.channelArn] : []);
              if (!channel || summary.state !== 'LIVE') return [];
              return [
                {
                  domain: channel.account,
                  app: channel.region,
                  stream: channel.id,
                  sessionId: summary.streamId,
                  startedAtMs: timeOf(summary.startTime),
                },
              ];
            }),
            next:
              typeof answer.body?.nextToken === 'string' && answer.body.nextToken ? answer.body.nextToken : undefined,
          };
        }),
    };
  },
};
