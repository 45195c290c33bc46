import { unreachable } from './errors';

/** A JSON API's answer: its status and parsed body (undefined when empty or not JSON). */
export interface JsonAnswer {
  status: number;
  body: any;
}

/** Sends one request to a vendor's JSON API; throws one line when nothing answers. */
export async function sendJson(vendor: string, url: URL, init: RequestInit): Promise<JsonAnswer> {
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
  return { status: response.status, body };
}
