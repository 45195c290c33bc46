import { change, WiringError, type Context } from '../cli/connect/context';
import { alphanumeric } from '../cli/connect/secret';
import { missingCredentials, vendorFailure, type ErrorHints } from '../../shared/vendor-api/errors';
import { sendJson } from '../../shared/vendor-api/http';
import { sameUrl, type ApiWiring, type VendorApi } from './wiring';

const hints: ErrorHints = {
  credentials: 'TWITCH_CLIENT_ID and TWITCH_CLIENT_SECRET',
  permission: 'an app access token (client credentials): stream.online and stream.offline need no scope',
  refused: /^HTTP 401$|^HTTP 403$/,
  throttled: /^HTTP 429$/,
  known: [
    [
      /^HTTP 400$/,
      'Twitch refused the subscription: check --broadcaster (a user id, digits) and that the URL is https on port 443',
    ],
    [/^HTTP 409$/, 'a subscription of that type, condition and callback already exists'],
  ],
};

/** The subscription types livehooks makes, version 1 (docs/vendors.md, Twitch). */
const types = ['stream.online', 'stream.offline'];

interface Subscription {
  id: string;
  status: string;
  type: string;
  version: string;
  condition: { broadcaster_user_id?: string };
  transport: { method: string; callback?: string };
}

/** A callback without its query: where it delivers (a subscription's own `?v=` tells it apart). */
const target = (callback: string | undefined) => callback?.split('?')[0];

/** Helix with an app access token (client credentials), made once per command. */
function client(ctx: Context) {
  const { TWITCH_CLIENT_ID: clientId, TWITCH_CLIENT_SECRET: clientSecret } = ctx.env;
  if (!clientId || !clientSecret) throw missingCredentials('Twitch', hints.credentials, hints.permission);
  const authBase = ctx.env.LIVEHOOKS_TWITCH_AUTH_URL || 'https://id.twitch.tv';
  const apiBase = ctx.env.LIVEHOOKS_TWITCH_API_URL || 'https://api.twitch.tv';
  let token: Promise<string> | undefined;
  const appToken = async () => {
    const url = new URL('/oauth2/token', authBase);
    const form = new URLSearchParams({
      client_id: clientId,
      client_secret: clientSecret,
      grant_type: 'client_credentials',
    });
    const answer = await sendJson<{ access_token?: string; message?: string }>('Twitch', url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
    });
    const accessToken = answer.body?.access_token;
    if (answer.status >= 400 || typeof accessToken !== 'string') {
      throw vendorFailure('Twitch', 'POST /oauth2/token', `HTTP ${answer.status}`, answer.body?.message ?? '', hints);
    }
    ctx.secrets.push(accessToken);
    return accessToken;
  };
  return async <T>(method: string, path: string, data?: object): Promise<T> => {
    token ??= appToken();
    const url = new URL(`/helix${path}`, apiBase);
    const answer = await sendJson<T & { message?: string }>('Twitch', url, {
      method,
      headers: {
        authorization: `Bearer ${await token}`,
        'client-id': clientId,
        ...(data ? { 'content-type': 'application/json' } : {}),
      },
      ...(data ? { body: JSON.stringify(data) } : {}),
    });
    if (answer.status >= 400) {
      const action = `${method} /helix${path.split('?')[0]}`;
      throw vendorFailure('Twitch', action, `HTTP ${answer.status}`, answer.body?.message ?? '', hints);
    }
    return answer.body as T;
  };
}

function api(ctx: Context): VendorApi {
  const call = client(ctx);
  const broadcaster = ctx.options.broadcaster!;
  if (!/^\d{1,20}$/.test(broadcaster)) throw new WiringError('--broadcaster is a Twitch user id (digits)', 2);
  /** The broadcaster's stream subscriptions to the function's URL that are alive. */
  const ours = async () => {
    const found: Subscription[] = [];
    let after: string | undefined;
    do {
      const query = new URLSearchParams({ user_id: broadcaster, ...(after ? { after } : {}) });
      const page = await call<{ data: Subscription[]; pagination?: { cursor?: string } }>(
        'GET',
        `/eventsub/subscriptions?${query.toString()}`,
      );
      found.push(...page.data);
      after = page.pagination?.cursor || undefined;
    } while (after);
    return found.filter(
      (subscription) =>
        types.includes(subscription.type) &&
        subscription.condition.broadcaster_user_id === broadcaster &&
        subscription.transport.method === 'webhook' &&
        sameUrl(target(subscription.transport.callback), ctx.url!) &&
        (subscription.status === 'enabled' || subscription.status === 'webhook_callback_verification_pending'),
    );
  };
  return {
    async read(_ctx, connection) {
      const alive = await ours();
      const remembered = new Set((connection.ids?.subscriptions ?? '').split(',').filter(Boolean));
      // Wired when both types are there; each one made anew carries the secret livehooks stored.
      const both = types.every((type) => alive.some((subscription) => subscription.type === type));
      return {
        urls: both ? [ctx.url!] : [],
        ids: { subscriptions: alive.map((subscription) => subscription.id).join(',') },
        ours: both && alive.every((subscription) => remembered.has(subscription.id)),
      };
    },
    // Twitch never changes a subscription's secret, and takes one subscription per type,
    // condition and callback: both are made anew with `secret` at the URL with a `?v=` of
    // their own (the function reads no query), then the older ones deleted. Twitch verifies
    // each new one at once: the function answers the challenge.
    async point(ctx, holds, url, secret) {
      const made: string[] = [];
      const callback = `${url}${url.includes('?') ? '&' : '?'}v=${Date.now().toString(36)}`;
      for (const type of types) {
        const subscription = {
          type,
          version: '1',
          condition: { broadcaster_user_id: broadcaster },
          transport: { method: 'webhook', callback, secret },
        };
        const answer = await change(ctx, `Twitch POST /helix/eventsub/subscriptions (${type})`, subscription, () =>
          call<{ data: Subscription[] }>('POST', '/eventsub/subscriptions', subscription),
        );
        made.push(answer?.data[0]?.id ?? '(new)');
      }
      for (const id of holds.ids.subscriptions?.split(',') ?? []) {
        if (!id || made.includes(id)) continue;
        await change(ctx, `Twitch DELETE /helix/eventsub/subscriptions?id=${id}`, undefined, () =>
          call('DELETE', `/eventsub/subscriptions?${new URLSearchParams({ id }).toString()}`),
        );
      }
      return { subscriptions: made.join(',') };
    },
  };
}

/** Twitch EventSub: a broadcaster's stream.online and stream.offline subscriptions, with a secret livehooks makes. */
export const twitchWiring: ApiWiring = {
  provider: 'twitch',
  vendor: 'Twitch',
  secret: 'keys',
  // Twitch takes 10 to 100 ASCII characters.
  format: { alphabet: alphanumeric, length: 64 },
  overlap: {
    minutes: 10,
    why: 'a message Twitch retries is signed with the secret of the subscription it was made for, and is refused after 10 minutes',
  },
  required: { broadcaster: 'the broadcaster’s Twitch user id (--broadcaster)' },
  api,
};
