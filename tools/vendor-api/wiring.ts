import type { Context, WiringOptions } from '../cli/connect/context';
import type { Connection } from '../cli/connect/parameters';
import type { SecretFormat } from '../cli/connect/secret';

/** What the vendor holds for this wiring, as read back from its API. */
export interface VendorHolds {
  /** The URL(s) the vendor calls (Tencent: start and stop; Mux: every webhook to the function). */
  urls: string[];
  /** The key as the vendor returns it; undefined where the vendor never returns it (Mux, Cloudflare). */
  key?: string | undefined;
  /**
   * Where the key is never returned: whether what the vendor holds is what livehooks made
   * (its id is the one remembered), so its secret is the one in SSM.
   */
  ours?: boolean;
  /** Vendor-side ids to remember (template, rule, webhook, destination, policy). */
  ids: Record<string, string>;
  /** Cloudflare: when the destination last delivered, and last failed to. */
  lastSuccess?: string | undefined;
  lastFailure?: string | undefined;
}

/** The vendor's own record of its recent deliveries (Alibaba, Tencent). */
export interface Deliveries {
  total: number;
  failed: number;
  /** Distinct failure reasons, as the vendor words them, with counts. */
  reasons: string[];
}

/** A vendor's management API, as connect, status and rotate use it. */
export interface VendorApi {
  /** Reads what the vendor holds; `urls` empty when it is not wired. */
  read(ctx: Context, connection: Connection): Promise<VendorHolds>;
  /**
   * Points the vendor at `url` with `key` (a URL token rides in `url` already), creating
   * or changing what `holds` describes. Returns the ids to remember.
   */
  point(ctx: Context, holds: VendorHolds, url: string, key: string): Promise<Record<string, string>>;
  /** The vendor's delivery log of the last hour, where it keeps one (undefined: not read). */
  deliveries?(ctx: Context, holds: VendorHolds): Promise<Deliveries | undefined>;
}

/**
 * A vendor that makes the key itself and shows it once (Mux): `create` makes a new
 * webhook, kept disabled, and returns its secret; `enable` turns it on once the functions
 * hold the secret; `retire` removes every other webhook to the function.
 */
export interface VendorMadeKeyApi {
  read(ctx: Context, connection: Connection): Promise<VendorHolds>;
  create(ctx: Context, url: string): Promise<{ id: string; secret: string } | undefined>;
  enable(ctx: Context, id: string): Promise<void>;
  retire(ctx: Context, holds: VendorHolds, keep: string): Promise<void>;
}

/** A vendor livehooks wires by API. */
export interface ApiWiring {
  provider: string;
  /** The vendor's name, for messages. */
  vendor: string;
  /** Where the function reads the secret: `keys` (the vendor signs) or `tokens`. */
  secret: 'keys' | 'tokens';
  /** The key's format; absent when the vendor makes the key (Mux). */
  format?: SecretFormat;
  /** JD Cloud: the secret is a URL token, so the URL the vendor holds carries it. */
  tokenInUrl?: boolean;
  /** How long the older key must stay accepted after the vendor switched, and why (the vendor's own rule). */
  overlap: { minutes: number; why: string };
  /** The options it needs, each with what it is. */
  required: Partial<Record<keyof WiringOptions, string>>;
  /** The API client, built from the vendor's usual credentials; throws one line naming what is missing. */
  api(ctx: Context): VendorApi | VendorMadeKeyApi;
}

/** Whether the vendor makes the key itself. */
export const makesKey = (api: VendorApi | VendorMadeKeyApi): api is VendorMadeKeyApi => 'create' in api;

/** Two URLs are the same target when they differ at most in a trailing slash. */
export const sameUrl = (a: string | undefined, b: string) =>
  a !== undefined && a.replace(/\/+(\?|$)/, '$1') === b.replace(/\/+(\?|$)/, '$1');
