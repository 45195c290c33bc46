import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { providerOf } from '../../../tools/providers';
import { startStandIn, type StandIn } from './stand-in';

interface Subscription {
  id: string;
  status: string;
  type: string;
  version: string;
  condition: { broadcaster_user_id: string };
  transport: { method: 'webhook'; callback: string };
  created_at: string;
  cost: number;
  /** Never shown by Helix: kept to sign what the stand-in sends. */
  secret: string;
}

/** The Twitch stand-in: its subscriptions (secrets included), and a way to make it deliver. */
export interface TwitchStandIn extends StandIn {
  subscriptions: Subscription[];
  throttle: number;
  /** The challenges it sent and what came back: each must have been the challenge alone. */
  verifications: { sent: string; answered: string; status: number; contentType: string }[];
  /** Sends stream.online (start) or stream.offline (stop) to every enabled subscription of the broadcaster. */
  deliver(kind: 'start' | 'stop', broadcaster: string): Promise<number[]>;
}

/** Twitch's webhook signature, computed here with node:crypto on its own: `sha256=` HMAC of id + timestamp + body. */
function signed(secret: string, type: string, body: string) {
  const id = randomUUID();
  const timestamp = new Date().toISOString().replace('Z', '123456Z');
  const signature = `sha256=${createHmac('sha256', secret)
    .update(id + timestamp + body)
    .digest('hex')}`;
  return {
    'content-type': 'application/json',
    'twitch-eventsub-message-id': id,
    'twitch-eventsub-message-retry': '0',
    'twitch-eventsub-message-type': type,
    'twitch-eventsub-message-timestamp': timestamp,
    'twitch-eventsub-message-signature': signature,
  };
}

const publicView = ({ secret: _secret, ...subscription }: Subscription) => subscription;

/**
 * A stand-in of Twitch's OAuth token endpoint (client credentials) and Helix EventSub
 * subscriptions: an app token only for the right client id and secret; every Helix call
 * with that token and the `Client-Id` header (checked here); a subscription needs a known
 * stream type, version 1, a broadcaster id, a webhook callback and a secret of 10 to 100
 * ASCII characters. As Twitch does, it answers 202 `webhook_callback_verification_pending`
 * and sends the callback a signed challenge: enabled only when the answer is 2xx with the
 * challenge alone as its body, else `webhook_callback_verification_failed`.
 */
export async function startTwitch(clientId: string, clientSecret: string): Promise<TwitchStandIn> {
  const subscriptions: Subscription[] = [];
  const verifications: TwitchStandIn['verifications'] = [];
  const token = randomBytes(15).toString('hex');
  const fail = (status: number, message: string) => ({
    status,
    body: { error: status === 401 ? 'Unauthorized' : 'Bad Request', status, message },
  });
  const verify = async (subscription: Subscription) => {
    const challenge = randomBytes(24).toString('base64url');
    const body = JSON.stringify({ challenge, subscription: publicView(subscription) });
    const response = await fetch(subscription.transport.callback, {
      method: 'POST',
      headers: signed(subscription.secret, 'webhook_callback_verification', body),
      body,
    });
    const answered = await response.text();
    const contentType = response.headers.get('content-type') ?? '';
    verifications.push({ sent: challenge, answered, status: response.status, contentType });
    subscription.status = response.ok && answered === challenge ? 'enabled' : 'webhook_callback_verification_failed';
  };
  const standIn = await startStandIn(
    (request) => {
      if (request.url.pathname === '/oauth2/token') {
        const form = new URLSearchParams(request.body);
        return form.get('client_id') === clientId && form.get('client_secret') === clientSecret
          ? undefined
          : 'invalid client secret';
      }
      if (request.headers.authorization !== `Bearer ${token}`) return 'wrong or missing app access token';
      if (request.headers['client-id'] !== clientId) return 'wrong or missing Client-Id';
      return undefined;
    },
    (why) => (why === 'invalid client secret' ? fail(403, why) : fail(401, 'Invalid OAuth token')),
    async (request) => {
      if (twitch.throttle > 0) {
        twitch.throttle--;
        return fail(429, 'Too Many Requests');
      }
      const path = request.url.pathname;
      if (path === '/oauth2/token' && request.method === 'POST') {
        const form = new URLSearchParams(request.body);
        if (form.get('grant_type') !== 'client_credentials') return fail(400, 'invalid grant type');
        return { status: 200, body: { access_token: token, expires_in: 5011271, token_type: 'bearer' } };
      }
      if (path !== '/helix/eventsub/subscriptions') return fail(404, 'Not Found');
      if (request.method === 'GET') {
        const user = request.url.searchParams.get('user_id');
        const data = subscriptions
          .filter((subscription) => !user || subscription.condition.broadcaster_user_id === user)
          .map(publicView);
        return {
          status: 200,
          body: { data, total: data.length, total_cost: 0, max_total_cost: 10000, pagination: {} },
        };
      }
      if (request.method === 'DELETE') {
        const at = subscriptions.findIndex((subscription) => subscription.id === request.url.searchParams.get('id'));
        if (at === -1) return fail(404, 'subscription not found');
        subscriptions.splice(at, 1);
        return { status: 204, body: undefined };
      }
      if (request.method !== 'POST') return fail(405, 'method not allowed');
      const input = JSON.parse(request.body || '{}');
      const { type, version, condition, transport } = input;
      if (!['stream.online', 'stream.offline'].includes(type) || version !== '1')
        return fail(400, 'unknown subscription type or version');
      if (!/^\d+$/.test(condition?.broadcaster_user_id ?? '')) return fail(400, 'invalid condition');
      if (transport?.method !== 'webhook' || !/^https:\/\/|^http:\/\/127\.0\.0\.1:/.test(transport.callback ?? ''))
        return fail(400, 'invalid transport');
      if (!/^[\x20-\x7e]{10,100}$/.test(transport.secret ?? '')) return fail(400, 'invalid transport.secret');
      const duplicate = subscriptions.some(
        (subscription) =>
          subscription.type === type &&
          subscription.condition.broadcaster_user_id === condition.broadcaster_user_id &&
          subscription.transport.callback === transport.callback &&
          subscription.status === 'enabled',
      );
      if (duplicate)
        return { status: 409, body: { error: 'Conflict', status: 409, message: 'subscription already exists' } };
      const subscription: Subscription = {
        id: randomUUID(),
        status: 'webhook_callback_verification_pending',
        type,
        version,
        condition: { broadcaster_user_id: condition.broadcaster_user_id },
        transport: { method: 'webhook', callback: transport.callback },
        created_at: new Date().toISOString(),
        cost: 0,
        secret: transport.secret,
      };
      subscriptions.push(subscription);
      const answer = {
        status: 202,
        body: { data: [publicView(subscription)], total: 1, total_cost: 0, max_total_cost: 10000 },
      };
      await verify(subscription);
      return answer;
    },
  );
  const twitch: TwitchStandIn = Object.assign(standIn, {
    subscriptions,
    verifications,
    throttle: 0,
    async deliver(kind: 'start' | 'stop', broadcaster: string) {
      const now = Math.floor(Date.now() / 1000);
      const type = kind === 'start' ? 'stream.online' : 'stream.offline';
      const sample = providerOf('twitch').samples.sample({
        kind,
        stream: broadcaster,
        sessionSec: now - (now % 3600),
        timeSec: now,
      });
      const statuses = [];
      for (const subscription of subscriptions.filter((s) => s.status === 'enabled' && s.type === type)) {
        if (subscription.condition.broadcaster_user_id !== broadcaster) continue;
        const body = JSON.stringify({ subscription: publicView(subscription), event: sample.event });
        const response = await fetch(subscription.transport.callback, {
          method: 'POST',
          headers: signed(subscription.secret, 'notification', body),
          body,
        });
        statuses.push(response.status);
      }
      return statuses;
    },
  });
  return twitch;
}
