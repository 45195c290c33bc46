import type { LivePush } from '../reconcile/live-list';
import { VendorApiError } from './errors';

/** A list longer than this many pages is refused rather than read for ever. */
export const maxPages = 1000;

/** One page of a vendor's live list: its pushes, and where the next page starts (none: the last). */
export interface LivePage<Cursor> {
  pushes: LivePush[];
  next?: Cursor | undefined;
}

/**
 * Reads every page of a live list in order, from `first`, and returns all of it or
 * nothing: a page that fails rejects the whole list, an abort rejects with the signal's
 * reason. A push listed twice (a list that shifts between pages) is kept once; an entry
 * without a stream name is left out.
 */
export async function readEveryPage<Cursor>(
  vendor: string,
  signal: AbortSignal,
  first: Cursor,
  read: (cursor: Cursor) => Promise<LivePage<Cursor>>,
): Promise<LivePush[]> {
  const pushes = new Map<string, LivePush>();
  let cursor: Cursor | undefined = first;
  for (let page = 0; cursor !== undefined; page++) {
    signal.throwIfAborted();
    if (page === maxPages)
      throw new VendorApiError(
        `${vendor}'s live list runs past ${maxPages} pages: narrow it (fewer domains or apps)`,
        false,
      );
    const answer: LivePage<Cursor> = await read(cursor);
    for (const push of answer.pushes) {
      // An entry without a stream name keys nothing a callback could.
      if (!push.stream) continue;
      const key = JSON.stringify([push.domain, push.app, push.stream]);
      if (!pushes.has(key)) pushes.set(key, push);
    }
    cursor = answer.next;
  }
  signal.throwIfAborted();
  return [...pushes.values()];
}

/** Milliseconds since the epoch of a vendor's time text, or undefined when it is none. */
export function timeOf(text: unknown): number | undefined {
  if (typeof text !== 'string' || text === '') return undefined;
  const ms = Date.parse(text);
  return Number.isFinite(ms) ? ms : undefined;
}

/** The credential fields a source needs, each present and not blank, or a one-line error naming those missing. */
export function requireCredentials<Name extends string>(
  vendor: string,
  credentials: Readonly<Record<string, string>>,
  names: readonly Name[],
): Record<Name, string> {
  const missing = names.filter((name) => !credentials[name]?.trim());
  if (missing.length > 0)
    throw new VendorApiError(`no ${vendor} API credentials for the live list: set ${missing.join(', ')}`, false);
  return Object.fromEntries(names.map((name) => [name, credentials[name]!])) as Record<Name, string>;
}

/** Each name of a comma-separated list (`domains`), in order, read one after another. */
export async function everyDomain(domains: string, read: (domain: string) => Promise<LivePush[]>): Promise<LivePush[]> {
  const all: LivePush[] = [];
  for (const domain of domains
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean))
    all.push(...(await read(domain)));
  return all;
}
