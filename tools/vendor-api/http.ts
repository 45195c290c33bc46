import { unreachable } from './errors';

/**
 * A JSON API's answer: its status and parsed body (undefined when empty or not JSON). `Body`
 * is the shape the vendor documents; nothing checks it, so its fields are all optional.
 */
export interface JsonAnswer<Body> {
  status: number;
  body: Body | undefined;
}

/** Sends one request to a vendor's JSON API; throws one line when nothing answers. */
export async function sendJson<Body>(vendor: string, url: URL, init: RequestInit): Promise<JsonAnswer<Body>> {
  let response: Response;
  try {
    response = await fetch(url, { ...init, signal: AbortSignal.timeout(15_000) });
  } catch (error) {
    throw unreachable(vendor, url.origin, error);
  }
  const text = await response.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  return { status: response.status, body: body as Body | undefined };
}
