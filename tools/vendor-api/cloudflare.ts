import { change, WiringError, type Context } from '../cli/connect/context';
import { alphanumeric } from '../cli/connect/secret';
import { missingCredentials, vendorFailure, type ErrorHints } from '../../shared/vendor-api/errors';
import { sendJson } from '../../shared/vendor-api/http';
import { sameUrl, type ApiWiring, type VendorApi } from './wiring';

const hints: ErrorHints = {
  credentials: 'CLOUDFLARE_API_TOKEN (and CLOUDFLARE_ACCOUNT_ID or --account)',
  permission: 'Account › Notifications › Edit',
  refused: /^(9109|10000|10001|9106|9103)$|^HTTP 40[13]$/,
  throttled: /^(971|10429)$|^HTTP 429$/,
  known: [[/^HTTP 404$|^(7003|17000)$/, 'no such account or destination: check --account']],
};

interface Destination {
  id: string;
  url: string;
  last_success?: string | null;
  last_failure?: string | null;
}

function client(ctx: Context) {
  const token = ctx.env.CLOUDFLARE_API_TOKEN;
  const account = ctx.options.account ?? ctx.env.CLOUDFLARE_ACCOUNT_ID;
  if (!token) throw missingCredentials('Cloudflare', hints.credentials, hints.permission);
  if (!account)
    throw new WiringError('cloudflare needs the account id: pass --account or set CLOUDFLARE_ACCOUNT_ID', 2);
  const base = ctx.env.LIVEHOOKS_CLOUDFLARE_API_URL || 'https://api.cloudflare.com';
  return async <T>(method: string, path: string, data?: object): Promise<T> => {
    const url = new URL(`/client/v4/accounts/${encodeURIComponent(account)}/alerting/v3${path}`, base);
    const answer = await sendJson<{
      success?: boolean;
      errors?: { code?: number; message?: string }[];
      result?: unknown;
    }>('Cloudflare', url, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      ...(data ? { body: JSON.stringify(data) } : {}),
    });
    if (answer.status >= 400 || answer.body?.success === false) {
      const [first] = answer.body?.errors ?? [];
      throw vendorFailure(
        'Cloudflare',
        `${method} ${path}`,
        first?.code ? String(first.code) : `HTTP ${answer.status}`,
        first?.message ?? '',
        hints,
      );
    }
    return answer.body?.result as T;
  };
}

function api(ctx: Context): VendorApi {
  const call = client(ctx);
  const name = `livehooks-${ctx.stage}`;
  return {
    async read(_ctx, connection) {
      const destinations = await call<Destination[]>('GET', '/destinations/webhooks');
      const destination =
        destinations.find((d) => d.id === connection.ids?.destinationId) ??
        destinations.find((d) => sameUrl(d.url, ctx.url!));
      if (!destination) return { urls: [], ids: {} };
      const policyId = connection.ids?.policyId;
      const policy = policyId
        ? await call<{ id: string } | undefined>('GET', `/policies/${policyId}`).catch(() => undefined)
        : undefined;
      return {
        urls: policy ? [destination.url] : [],
        ours: destination.id === connection.ids?.destinationId,
        ids: { destinationId: destination.id, ...(policy ? { policyId: policy.id } : {}) },
        lastSuccess: destination.last_success ?? undefined,
        lastFailure: destination.last_failure ?? undefined,
      };
    },
    async point(ctx, holds, url, secret) {
      const destination = { name, url, secret };
      let destinationId = holds.ids.destinationId;
      if (destinationId) {
        await change(ctx, `Cloudflare PUT /alerting/v3/destinations/webhooks/${destinationId}`, destination, () =>
          call('PUT', `/destinations/webhooks/${destinationId}`, destination),
        );
      } else {
        const made = await change(ctx, 'Cloudflare POST /alerting/v3/destinations/webhooks', destination, () =>
          call<{ id: string }>('POST', '/destinations/webhooks', destination),
        );
        destinationId = made?.id ?? '(new)';
      }
      let policyId = holds.ids.policyId;
      if (!policyId) {
        const policy = {
          name,
          alert_type: 'stream_live_notifications',
          enabled: true,
          mechanisms: { webhooks: [{ id: destinationId }] },
          filters: ctx.options.inputs?.length ? { input_id: ctx.options.inputs } : {},
        };
        const made = await change(ctx, 'Cloudflare POST /alerting/v3/policies', policy, () =>
          call<{ id: string }>('POST', '/policies', policy),
        );
        policyId = made?.id ?? '(new)';
      }
      return { destinationId, policyId };
    },
  };
}

/** Cloudflare Stream Live: a Notifications webhook destination (its secret) and a live-input policy. */
export const cloudflareWiring: ApiWiring = {
  provider: 'cloudflare',
  vendor: 'Cloudflare',
  secret: 'tokens',
  format: { alphabet: alphanumeric, length: 48 },
  overlap: {
    minutes: 10,
    why: 'the secret is sent as it is (cf-webhook-auth), and a notification in flight or retried still carries the old one',
  },
  required: {},
  api,
};
