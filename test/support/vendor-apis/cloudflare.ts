import { randomBytes } from 'node:crypto';
import { providerOf } from '../../../tools/providers';
import { startStandIn, type ListFaults, type StandIn } from './stand-in';

interface Destination {
  id: string;
  name: string;
  url: string;
  secret?: string;
  type: 'generic';
  created_at: string;
  last_success: string | null;
  last_failure: string | null;
}
interface Policy {
  id: string;
  name: string;
  alert_type: string;
  enabled: boolean;
  mechanisms: { webhooks: { id: string }[] };
  filters: Record<string, string[]>;
}

/** The Cloudflare stand-in: its destinations (secrets included) and policies. */
export interface CloudflareStandIn extends StandIn, ListFaults {
  destinations: Map<string, Destination>;
  /**
   * The account's live inputs by uid, each with its `status` as a single input's read gives
   * it (the schema's string, or the `{ current: { state } }` the API also answers).
   */
  liveInputs: Map<string, { status: string | { current: { state: string } } | null }>;
  policies: Map<string, Policy>;
  throttle: number;
  /** Sends a live input notification through every enabled stream policy, with its destination's secret. */
  deliver(kind: 'start' | 'stop', input: string): Promise<number[]>;
}

/**
 * A stand-in of Cloudflare's Notifications API (`/client/v4/accounts/{id}/alerting/v3`) and
 * Stream's live inputs (`/client/v4/accounts/{id}/stream/live_inputs[/{uid}]`; `failPage` 1
 * fails the list, n > 1 the read of the (n-1)th input):
 * API tokens by Bearer (checked here); webhook destinations keep their secret (never shown
 * again); policies must name existing destinations; answers are `{ success, errors, result }`.
 */
export async function startCloudflare(token: string, account: string): Promise<CloudflareStandIn> {
  const destinations = new Map<string, Destination>();
  const policies = new Map<string, Policy>();
  const base = `/client/v4/accounts/${account}/alerting/v3`;
  const ok = (result: unknown) => ({ status: 200, body: { success: true, errors: [], messages: [], result } });
  const fail = (status: number, code: number, message: string) => ({
    status,
    body: { success: false, errors: [{ code, message }], messages: [], result: null },
  });
  const view = ({ secret: _secret, ...destination }: Destination) => destination;
  const standIn = await startStandIn(
    (request) => (request.headers.authorization === `Bearer ${token}` ? undefined : 'wrong or missing API token'),
    () => fail(403, 10000, 'Authentication error'),
    (request) => {
      if (cloudflare.throttle > 0) {
        cloudflare.throttle--;
        return fail(429, 971, 'Please wait and consider throttling your request speed');
      }
      const inputs = `/client/v4/accounts/${account}/stream/live_inputs`;
      if (request.method === 'GET' && request.url.pathname === inputs) {
        if (cloudflare.failPage === 1) return fail(500, 10002, 'Internal server error');
        const liveInputs = [...cloudflare.liveInputs.keys()].map((uid) => ({
          uid,
          created: '2026-12-01T00:00:00Z',
          modified: '2026-12-01T00:00:00Z',
          meta: { name: uid },
          deleteRecordingAfterDays: 45,
        }));
        return ok({ liveInputs, range: 1000, total: liveInputs.length });
      }
      const uid = request.url.pathname.startsWith(`${inputs}/`) && request.url.pathname.slice(inputs.length + 1);
      if (request.method === 'GET' && uid) {
        const at = [...cloudflare.liveInputs.keys()].indexOf(uid);
        if (at < 0) return fail(404, 10003, 'Not found');
        if (cloudflare.failPage === at + 2) return fail(500, 10002, 'Internal server error');
        return ok({ uid, meta: { name: uid }, ...cloudflare.liveInputs.get(uid) });
      }
      if (!request.url.pathname.startsWith(base))
        return fail(404, 7003, 'Could not route to the requested path: no such account');
      const path = request.url.pathname.slice(base.length);
      const input = JSON.parse(request.body || '{}');
      const destinationId = /^\/destinations\/webhooks\/([^/]+)$/.exec(path)?.[1];
      const policyId = /^\/policies\/([^/]+)$/.exec(path)?.[1];
      if (path === '/destinations/webhooks' && request.method === 'GET')
        return ok([...destinations.values()].map(view));
      if (path === '/destinations/webhooks' && request.method === 'POST') {
        if (!input.name || !/^https:\/\/|^http:\/\/127\.0\.0\.1/.test(input.url ?? ''))
          return fail(400, 17101, 'name and an https url are required');
        const id = randomBytes(16).toString('hex');
        destinations.set(id, {
          id,
          name: input.name,
          url: input.url,
          secret: input.secret,
          type: 'generic',
          created_at: new Date().toISOString(),
          last_success: null,
          last_failure: null,
        });
        return ok({ id });
      }
      if (destinationId) {
        const destination = destinations.get(destinationId);
        if (!destination) return fail(404, 17000, 'destination not found');
        if (request.method === 'GET') return ok(view(destination));
        if (request.method === 'PUT') {
          Object.assign(destination, { name: input.name, url: input.url, secret: input.secret });
          return ok({ id: destinationId });
        }
      }
      if (path === '/policies' && request.method === 'POST') {
        if (input.alert_type !== 'stream_live_notifications') return fail(400, 17102, 'unknown alert_type');
        const ids: string[] = (input.mechanisms?.webhooks ?? []).map((w: { id: string }) => w.id);
        if (ids.length === 0 || !ids.every((id) => destinations.has(id)))
          return fail(400, 17103, 'a webhook mechanism names no destination');
        const id = randomBytes(16).toString('hex');
        policies.set(id, { id, ...input });
        return ok({ id });
      }
      if (policyId && request.method === 'GET') {
        const policy = policies.get(policyId);
        return policy ? ok(policy) : fail(404, 17000, 'policy not found');
      }
      return fail(404, 7003, `${request.method} ${path} is not served here`);
    },
  );
  const cloudflare: CloudflareStandIn = Object.assign(standIn, {
    destinations,
    policies,
    liveInputs: new Map() as CloudflareStandIn['liveInputs'],
    failPage: 0,
    throttle: 0,
    async deliver(kind: 'start' | 'stop', input: string) {
      const now = Math.floor(Date.now() / 1000);
      const body = JSON.stringify(
        providerOf('cloudflare').samples.sample({ kind, stream: input, sessionSec: now - (now % 3600), timeSec: now }),
      );
      const statuses = [];
      for (const policy of [...policies.values()].filter((p) => p.enabled)) {
        if (policy.filters.input_id && !policy.filters.input_id.includes(input)) continue;
        for (const { id } of policy.mechanisms.webhooks) {
          const destination = destinations.get(id)!;
          // Cloudflare sends the destination's secret as it is, in cf-webhook-auth.
          const response = await fetch(destination.url, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'cf-webhook-auth': destination.secret ?? '' },
            body,
          });
          destination[response.ok ? 'last_success' : 'last_failure'] = new Date().toISOString();
          statuses.push(response.status);
        }
      }
      return statuses;
    },
  });
  return cloudflare;
}
