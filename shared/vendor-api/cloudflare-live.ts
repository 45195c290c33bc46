import type { LiveListSource } from '../reconcile/live-list';
import { vendorFailure, type ErrorHints } from './errors';
import { sendJson } from './http';
import { readEveryPage, requireCredentials } from './live-pages';

const hints: ErrorHints = {
  credentials: 'the apiToken and accountId of the live list',
  permission: 'Account › Stream › Read',
  refused: /^(9109|10000|10001|9106|9103)$|^HTTP 40[13]$/,
  throttled: /^(971|10429)$|^HTTP 429$/,
  known: [[/^HTTP 404$|^(7003|10003)$/, 'no such account or live input: check accountId']],
};

/** Cloudflare's v4 envelope: `result` when `success`, else `errors`. */
interface Envelope<Result> {
  success?: boolean;
  errors?: { code?: number; message?: string }[];
  result?: Result;
}

/** The states of a live input whose encoder is connected now. */
const connected = new Set(['connected', 'reconnected']);

/** The credential fields the list needs: the source's `credentials`, and what `create` requires. */
const requiredCredentials = ['apiToken', 'accountId'] as const;

/**
 * Cloudflare Stream's live inputs (`GET /accounts/{account_id}/stream/live_inputs`, Bearer
 * API token), each then read alone (`GET …/live_inputs/{uid}`), since only a single input
 * carries its `status`: live when it is `connected` or `reconnected` (Cloudflare's schema
 * gives the state as the `status` string; the API also answers `status.current.state`, and
 * both are read). A push is keyed as the notification keys it: domain = '', app = '',
 * stream = the input's `uid`; Cloudflare's notification has no session value.
 */
export const cloudflareLiveList: LiveListSource = {
  provider: 'cloudflare',
  credentials: requiredCredentials,
  create(credentials, options) {
    const { apiToken, accountId } = requireCredentials('Cloudflare', credentials, requiredCredentials);
    const base = options?.endpoint ?? 'https://api.cloudflare.com';
    // An input deleted between the list and its own read answers 404: it is not live.
    const call = async <T>(path: string, signal: AbortSignal): Promise<T | undefined> => {
      const url = new URL(`/client/v4/accounts/${encodeURIComponent(accountId)}/stream/live_inputs${path}`, base);
      const answer = await sendJson<Envelope<T>>('Cloudflare', url, {
        method: 'GET',
        headers: { authorization: `Bearer ${apiToken}` },
        signal,
      });
      if (path && answer.status === 404) return undefined;
      if (answer.status >= 400 || answer.body?.success !== true) {
        const [first] = answer.body?.errors ?? [];
        const code = first?.code ? String(first.code) : `HTTP ${answer.status}`;
        throw vendorFailure(
          'Cloudflare',
          `GET /stream/live_inputs${path && '/{uid}'}`,
          code,
          first?.message ?? '',
          hints,
          answer.status,
        );
      }
      return answer.body.result;
    };
    return {
      list: (signal) =>
        readEveryPage('Cloudflare', signal, 0, async () => {
          const { liveInputs = [] } = (await call<{ liveInputs?: { uid?: string }[] }>('', signal)) ?? {};
          const live = [];
          for (const { uid } of liveInputs) {
            if (!uid) continue;
            const input = await call<{ status?: string | { current?: { state?: string } } | null }>(
              `/${encodeURIComponent(uid)}`,
              signal,
            );
            const state = typeof input?.status === 'string' ? input.status : input?.status?.current?.state;
            if (state && connected.has(state)) live.push({ domain: '', app: '', stream: uid });
          }
          return { pushes: live };
        }),
    };
  },
};
