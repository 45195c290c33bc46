/**
 * The read API as the CLI uses it (`--url`, `livehooks tail`): a deployed stage's Function
 * URL, signed with SigV4 from the usual AWS credentials (the URL takes only IAM-signed
 * requests), or `npm start`'s `/api`, which takes plain ones.
 */
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import type { StreamEvent } from '../../shared/record';
import type { Delivery, Page, StoreReader, StreamView } from '../../shared/store/reader';
import type { KeptRefusal } from '../../shared/refusal';
import type { StreamState } from '../../shared/store/table';

const loopback = (url: URL) => url.hostname === '127.0.0.1' || url.hostname === 'localhost' || url.hostname === '[::1]';

/** The region of a Function URL (`<id>.lambda-url.<region>.on.aws`), else the usual AWS_REGION. */
const regionOf = (url: URL) =>
  /\.lambda-url\.([a-z0-9-]+)\.on\.aws$/.exec(url.hostname)?.[1] ?? process.env.AWS_REGION ?? 'us-east-1';

/** A failure of the read API, in one line. */
export class ApiError extends Error {}

/** GETs `path` (with its query) from the API at `base`; the parsed JSON of a 200. */
export async function apiGet<T>(base: string, path: string): Promise<T> {
  const url = new URL(`${base.replace(/\/+$/, '')}${path}`);
  let headers: Record<string, string> = { accept: 'application/json' };
  if (!loopback(url)) {
    const signer = new SignatureV4({
      service: 'lambda',
      region: regionOf(url),
      credentials: defaultProvider(),
      sha256: Hash.bind(null, 'sha256'),
    });
    const signed = await signer.sign({
      method: 'GET',
      protocol: url.protocol,
      hostname: url.hostname,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: { host: url.host, ...headers },
    });
    headers = signed.headers;
  }
  let response: Response;
  try {
    response = await fetch(url, { headers, signal: AbortSignal.timeout(10_000) });
  } catch (error) {
    throw new ApiError(
      `nothing answered at ${base} (${((error as Error).cause as Error | undefined) ?? (error as Error).message})`,
    );
  }
  const text = await response.text();
  if (!response.ok) {
    let detail = text.slice(0, 200);
    try {
      const body = JSON.parse(text) as { reason?: string; message?: string; Message?: string };
      detail = [body.reason, body.message ?? body.Message].filter(Boolean).join(': ');
    } catch {
      // Not JSON: its first characters.
    }
    const hint = response.status === 403 ? ' (the URL takes IAM-signed requests: check your AWS credentials)' : '';
    throw new ApiError(`the read API at ${base} answered ${response.status} ${detail}${hint}`);
  }
  return JSON.parse(text) as T;
}

/** Every page of a listing. */
async function allPages<T>(base: string, path: string): Promise<T[]> {
  const items: T[] = [];
  let next: string | undefined;
  do {
    const separator = path.includes('?') ? '&' : '?';
    const page = await apiGet<Page<T>>(base, `${path}${separator}limit=200${next ? `&next=${next}` : ''}`);
    items.push(...page.items);
    next = page.next;
  } while (next);
  return items;
}

/** What the CLI's read commands need, over the read API. */
export function apiReader(
  base: string,
): Pick<StoreReader, 'readStream' | 'listLiveStreams' | 'listStreams' | 'listEvents'> {
  return {
    readStream: (streamKey) => apiGet<StreamView>(base, `/stream?key=${encodeURIComponent(streamKey)}`),
    listLiveStreams: (options) =>
      allPages<StreamState>(base, `/streams?live=true${options?.logical ? '&logical=true' : ''}`),
    listStreams: async (options) =>
      (await allPages<StreamState>(base, `/streams${options?.logical ? '?logical=true' : ''}`)).sort((a, b) =>
        a.streamKey.localeCompare(b.streamKey),
      ),
    // The recent deliveries (the last days'), as summaries: what `events` prints.
    listEvents: async () => (await allPages<Delivery>(base, '/deliveries')) as StreamEvent[],
  };
}

/** One page of the newest deliveries and refusals: what `tail` polls. */
export async function latest(base: string): Promise<{ deliveries: Delivery[]; refusals: KeptRefusal[] }> {
  const [deliveries, refusals] = await Promise.all([
    apiGet<Page<Delivery>>(base, '/deliveries?limit=50'),
    apiGet<Page<KeptRefusal>>(base, '/refusals?limit=50'),
  ]);
  return { deliveries: deliveries.items, refusals: refusals.items };
}
