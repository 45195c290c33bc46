import { createHmac, randomBytes } from 'node:crypto';
import { providerOf } from '../../../tools/providers';
import { startStandIn, type ListFaults, type StandIn } from './stand-in';

interface Webhook {
  id: string;
  address: string;
  enabled: boolean;
  created_at: string;
  signing_secret: string;
}

/** The Mux stand-in: its webhooks (secrets included), and a way to make it deliver. */
export interface MuxStandIn extends StandIn, ListFaults {
  webhooks: Webhook[];
  /** The environment's live streams, as Mux writes them (`id`, `status`, `active_asset_id`, ...). */
  liveStreams: {
    id: string;
    status: 'active' | 'idle' | 'disabled';
    active_asset_id?: string;
    recent_asset_ids?: string[];
  }[];
  throttle: number;
  /** Delivers `video.live_stream.active` (start) or `.idle` (stop) to every enabled webhook, each signed with its secret. */
  deliver(kind: 'start' | 'stop', stream: string): Promise<number[]>;
}

/**
 * A stand-in of Mux's webhooks API (`/system/v1/webhooks`) and live streams list
 * (`GET /video/v1/live-streams`, `status`, `page`, `limit`): access tokens by HTTP Basic
 * (Mux signs no request), checked here; a new webhook gets a signing secret shown only in
 * the create answer; addresses are unique; answers are `{ data }`, errors `{ error: { type, messages } }`.
 */
export async function startMux(tokenId: string, tokenSecret: string): Promise<MuxStandIn> {
  const webhooks: Webhook[] = [];
  const expected = `Basic ${Buffer.from(`${tokenId}:${tokenSecret}`).toString('base64')}`;
  const fail = (status: number, type: string, message: string) => ({
    status,
    body: { error: { type, messages: [message] } },
  });
  const view = ({ signing_secret: _secret, ...webhook }: Webhook) => webhook;
  const standIn = await startStandIn(
    (request) => (request.headers.authorization === expected ? undefined : 'wrong or missing Basic credentials'),
    () => fail(401, 'unauthorized', 'Unauthorized request'),
    (request) => {
      if (mux.throttle > 0) {
        mux.throttle--;
        return fail(429, 'too_many_requests', 'Too many requests');
      }
      const path = request.url.pathname;
      const one = /^\/system\/v1\/webhooks\/([^/]+)$/.exec(path);
      const found = one && webhooks.find((webhook) => webhook.id === one[1]);
      if (path === '/system/v1/webhooks' && request.method === 'POST') {
        const { address } = JSON.parse(request.body || '{}');
        if (!/^https?:\/\//.test(address ?? '')) return fail(400, 'invalid_parameters', 'address is invalid');
        if (webhooks.some((webhook) => webhook.address === address))
          return fail(400, 'invalid_parameters', 'address must be unique');
        const made = {
          id: randomBytes(8).toString('hex'),
          address,
          enabled: true,
          created_at: new Date().toISOString(),
          signing_secret: randomBytes(24).toString('base64url'),
        };
        webhooks.unshift(made);
        return { status: 201, body: { data: made } };
      }
      if (path === '/video/v1/live-streams' && request.method === 'GET') {
        const query = request.url.searchParams;
        const page = Number(query.get('page') ?? 1);
        const limit = Number(query.get('limit') ?? 25);
        if (!(Number.isInteger(page) && page >= 1 && Number.isInteger(limit) && limit >= 1))
          return fail(400, 'invalid_parameters', 'page and limit are positive integers');
        if (mux.failPage === page) return fail(500, 'internal_error', 'Internal server error');
        const status = query.get('status');
        const list = mux.liveStreams.filter((stream) => !status || stream.status === status);
        return { status: 200, body: { data: list.slice((page - 1) * limit, page * limit) } };
      }
      if (path === '/system/v1/webhooks' && request.method === 'GET') {
        const page = Number(request.url.searchParams.get('page') ?? 1);
        const limit = Number(request.url.searchParams.get('limit') ?? 25);
        return { status: 200, body: { data: webhooks.slice((page - 1) * limit, page * limit).map(view) } };
      }
      if (!found) return fail(404, 'not_found', 'webhook not found');
      if (request.method === 'GET') return { status: 200, body: { data: view(found) } };
      if (request.method === 'PATCH') {
        const patch = JSON.parse(request.body || '{}');
        if (patch.enabled !== undefined) found.enabled = patch.enabled;
        if (patch.address !== undefined) found.address = patch.address;
        return { status: 200, body: { data: view(found) } };
      }
      if (request.method === 'DELETE') {
        webhooks.splice(webhooks.indexOf(found), 1);
        return { status: 204, body: undefined };
      }
      return fail(405, 'invalid_request', 'method not allowed');
    },
  );
  const mux: MuxStandIn = Object.assign(standIn, {
    webhooks,
    liveStreams: [] as MuxStandIn['liveStreams'],
    failPage: 0,
    throttle: 0,
    async deliver(kind: 'start' | 'stop', stream: string) {
      const now = Math.floor(Date.now() / 1000);
      const body = JSON.stringify(
        providerOf('mux').samples.sample({ kind, stream, sessionSec: now - (now % 3600), timeSec: now }),
      );
      const statuses = [];
      for (const webhook of webhooks.filter((w) => w.enabled)) {
        // Mux's signature: HMAC-SHA256 of `<t>.<body>` under the webhook's secret.
        const v1 = createHmac('sha256', webhook.signing_secret).update(`${now}.${body}`).digest('hex');
        const response = await fetch(webhook.address, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'mux-signature': `t=${now},v1=${v1}` },
          body,
        });
        statuses.push(response.status);
      }
      return statuses;
    },
  });
  return mux;
}
