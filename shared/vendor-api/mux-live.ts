import type { LiveListSource } from '../reconcile/live-list';
import { vendorFailure, type ErrorHints } from './errors';
import { sendJson } from './http';
import { readEveryPage, requireCredentials } from './live-pages';

const hints: ErrorHints = {
  credentials: 'the tokenId and tokenSecret of the live list',
  permission: 'Mux Video read (video:read) in the environment',
  refused: /^HTTP 401$|^HTTP 403$/,
  throttled: /^HTTP 429$/,
};

/** Live streams a page asks for. */
export const pageSize = 100;

interface LiveStream {
  id?: string;
  status?: string;
  active_asset_id?: string;
  recent_asset_ids?: string[];
}

/** The live streams' answer: a page of `data`, or an `error` with its `messages`. */
interface LiveStreamsAnswer {
  data?: LiveStream[];
  error?: { type?: string; messages?: string[] };
}

/** The credential fields the list needs: the source's `credentials`, and what `create` requires. */
const requiredCredentials = ['tokenId', 'tokenSecret', 'environmentId'] as const;

/**
 * Mux Video's live streams with `status=active` (`GET /video/v1/live-streams`, HTTP Basic
 * with the access token), paged by `page` from 1 until a page comes back short. A push is
 * keyed as the webhook keys it: domain = the environment's id (`environmentId`: a token
 * belongs to one environment, and the list does not name it), app = '', stream = the live
 * stream's `id`, session = `active_asset_id` (else its latest recent asset).
 */
export const muxLiveList: LiveListSource = {
  provider: 'mux',
  credentials: requiredCredentials,
  create(credentials, options) {
    const { tokenId, tokenSecret, environmentId } = requireCredentials('Mux', credentials, requiredCredentials);
    const base = options?.endpoint ?? 'https://api.mux.com';
    const authorization = `Basic ${Buffer.from(`${tokenId}:${tokenSecret}`).toString('base64')}`;
    const action = 'GET /video/v1/live-streams';
    return {
      list: (signal) =>
        readEveryPage('Mux', signal, 1, async (page) => {
          const url = new URL('/video/v1/live-streams', base);
          url.searchParams.set('status', 'active');
          url.searchParams.set('limit', String(pageSize));
          url.searchParams.set('page', String(page));
          const answer = await sendJson<LiveStreamsAnswer>('Mux', url, {
            method: 'GET',
            headers: { authorization },
            signal,
          });
          if (answer.status >= 400 || !Array.isArray(answer.body?.data)) {
            const said = (answer.body?.error?.messages ?? []).join('; ');
            throw vendorFailure('Mux', action, `HTTP ${answer.status}`, said, hints, answer.status);
          }
          const streams = answer.body.data;
          return {
            pushes: streams
              .filter((stream) => stream.id && stream.status === 'active')
              .map((stream) => ({
                domain: environmentId,
                app: '',
                stream: stream.id!,
                sessionId: stream.active_asset_id || stream.recent_asset_ids?.at(-1) || undefined,
              })),
            next: streams.length === pageSize ? page + 1 : undefined,
          };
        }),
    };
  },
};
