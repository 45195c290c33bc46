import Mux from '@mux/mux-node';
import { change, type Context } from '../cli/connect/context';
import { missingCredentials, unreachable, vendorFailure, type ErrorHints } from '../../shared/vendor-api/errors';
import { sameUrl, type ApiWiring, type VendorHolds, type VendorMadeKeyApi } from './wiring';

const hints: ErrorHints = {
  credentials: 'MUX_TOKEN_ID and MUX_TOKEN_SECRET',
  permission: 'System read and write (system:read, system:write) in the environment that holds the live streams',
  refused: /^HTTP 401$|^HTTP 403$/,
  throttled: /^HTTP 429$/,
  known: [[/^HTTP 400$/, 'Mux refused the address: each webhook needs its own URL']],
};

/** The webhook's address without its query: where it delivers. */
const target = (address: string) => address.split('?')[0]!;

function client(ctx: Context) {
  const { MUX_TOKEN_ID: tokenId, MUX_TOKEN_SECRET: tokenSecret } = ctx.env;
  if (!tokenId || !tokenSecret) throw missingCredentials('Mux', hints.credentials, hints.permission);
  const baseURL = ctx.env.LIVEHOOKS_MUX_API_URL || 'https://api.mux.com';
  const mux = new Mux({ tokenId, tokenSecret, baseURL, maxRetries: 1, webhookSecret: null });
  const call = async <T>(action: string, run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (error) {
      if (error instanceof Mux.APIError && error.status !== undefined) {
        const said =
          (error.error as { error?: { messages?: string[] } } | undefined)?.error?.messages?.join('; ') ?? '';
        throw vendorFailure('Mux', action, `HTTP ${error.status}`, said, hints);
      }
      throw unreachable('Mux', baseURL, error);
    }
  };
  return { mux, call };
}

function api(ctx: Context): VendorMadeKeyApi {
  const { mux, call } = client(ctx);
  return {
    async read(_ctx, connection) {
      const url = ctx.url!;
      const webhooks = await call('GET /system/v1/webhooks', async () => {
        const all = [];
        for await (const webhook of mux.system.webhooks.list({ limit: 100 })) all.push(webhook);
        return all;
      });
      // Newest first, as Mux lists them.
      const ours = webhooks.filter((webhook) => sameUrl(target(webhook.address), url) && webhook.enabled);
      const remembered = new Set((connection.ids?.webhooks ?? '').split(',').filter(Boolean));
      const holds: VendorHolds = {
        urls: ours.map((webhook) => target(webhook.address)),
        ids: { webhooks: ours.map((webhook) => webhook.id).join(',') },
        ours: ours.length > 0 && ours.every((webhook) => remembered.has(webhook.id)),
      };
      return holds;
    },
    async create(ctx, address) {
      const made = await change(ctx, 'Mux POST /system/v1/webhooks', { address }, () =>
        call('POST /system/v1/webhooks', () => mux.system.webhooks.create({ address })),
      );
      if (!made) return undefined;
      ctx.secrets.push(made.signing_secret ?? '');
      // Mux enables a new webhook at once: off until the functions hold its secret.
      await call('PATCH /system/v1/webhooks', () => mux.system.webhooks.update(made.id, { enabled: false }));
      return { id: made.id, secret: made.signing_secret! };
    },
    async enable(ctx, id) {
      await change(ctx, `Mux PATCH /system/v1/webhooks/${id}`, { enabled: true }, () =>
        call('PATCH /system/v1/webhooks', () => mux.system.webhooks.update(id, { enabled: true })),
      );
    },
    async retire(ctx, holds, keep) {
      for (const id of holds.ids.webhooks?.split(',') ?? []) {
        if (!id || id === keep) continue;
        await change(ctx, `Mux DELETE /system/v1/webhooks/${id}`, undefined, () =>
          call('DELETE /system/v1/webhooks', () => mux.system.webhooks.delete(id)),
        );
      }
    },
  };
}

/** Mux Video: a webhook of the environment; Mux makes its signing secret and shows it once. */
export const muxWiring: ApiWiring = {
  provider: 'mux',
  vendor: 'Mux',
  secret: 'keys',
  overlap: {
    minutes: 24 * 60,
    why: 'Mux retries a failed delivery for up to 24 hours, signed with the secret of the webhook it was meant for',
  },
  required: {},
  api,
};
