import { unreachable } from './errors';

/**
 * A JSON API's answer: its status, headers and parsed body (undefined when empty or not JSON). `Body`
 * is the shape the vendor documents; nothing checks it, so its fields are all optional.
 */
export interface JsonAnswer<Body> {
  status: number;
  headers: Headers;
  body: Body | undefined;
}

/**
 * Sends one request to a vendor's JSON API, given up after 15 s; throws one line when
 * nothing answers. When `init.signal` aborts, rejects with its reason (an `AbortError`).
 */
export async function sendJson<Body>(vendor: string, url: URL, init: RequestInit): Promise<JsonAnswer<Body>> {
  const signal = init.signal
    ? AbortSignal.any([init.signal, AbortSignal.timeout(15_000)])
    : AbortSignal.timeout(15_000);
  let response: Response;
  let text: string;
  try {
    response = await fetch(url, { ...init, signal });
    text = await response.text();
  } catch (error) {
    if (init.signal?.aborted) throw init.signal.reason;
    throw unreachable(vendor, url.origin, error);
  }
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  return { status: response.status, headers: response.headers, body: body as Body | undefined };
}
