/** What a self-hosted origin's live list is read with: its URL, the domain its callbacks' keys hold, an optional header. */
export interface OriginSettings {
  url: URL;
  domain: string;
  headers: Record<string, string>;
}

/**
 * A self-hosted origin's list settings: `endpoint` (the options' override first), `domain`,
 * and `authorization` when the page is behind one (sent as the Authorization header).
 */
export function readOrigin(
  provider: string,
  credentials: Readonly<Record<string, string>>,
  options: { endpoint?: string } | undefined,
): OriginSettings {
  const endpoint = options?.endpoint ?? credentials.endpoint;
  if (!endpoint) throw new Error(`${provider}: no endpoint: set the URL livehooks reads the origin's live list from`);
  const url = new URL(endpoint);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`${provider}: the endpoint must be an http(s) URL`);
  }
  return {
    url,
    domain: credentials.domain ?? '',
    headers: credentials.authorization ? { authorization: credentials.authorization } : {},
  };
}
