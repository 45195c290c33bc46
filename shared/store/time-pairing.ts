import { orphanPrefix, sessionIdFromStart, type StreamEvent } from '../record';
import { eventSkPrefix } from './table';

/** A stop, as the `by-time` index shows it: where it is, and the session it points at now. */
export interface IndexedStop {
  sk: string;
  sessionId?: string;
}

/** What pairing by time needs of the table; `dynamo-store.ts` implements it for one stream. */
export interface PairingTable {
  /** Writes the event (once) and the stream's state, both together. */
  writeEventAndState(record: StreamEvent): Promise<'stored' | 'duplicate'>;
  /** The time (ISO) of the latest start at or before `at` with this pairing key, if any. */
  latestStartAtOrBefore(at: string): Promise<string | undefined>;
  /** The stops at or after `at`, oldest first, a page at a time (`after` continues a page). */
  stopsFrom(at: string, after?: unknown): Promise<{ stops: IndexedStop[]; next?: unknown }>;
  /** Points a stop at a session, unless it already points at a later start's. */
  assignStop(stopSk: string, sessionId: string): Promise<void>;
}

/**
 * Saves a stop of a vendor without session values (docs/behaviour.md §4): it belongs to
 * the latest start at or before it. That start is looked up before the writes (so that the
 * stop is stored in its session when the start is there) and again after them: a start
 * arriving meanwhile either sees this stop or is seen here, so the two never miss each
 * other.
 */
export async function saveStopPairedByTime(
  table: PairingTable,
  stop: StreamEvent,
  pairWithin: string,
): Promise<'stored' | 'duplicate'> {
  const sessionOf = async () => {
    const startedAt = await table.latestStartAtOrBefore(stop.occurredAt);
    return startedAt && sessionIdFromStart(startedAt, pairWithin);
  };
  const sessionId = (await sessionOf()) ?? stop.sessionId;
  const outcome = await table.writeEventAndState({ ...stop, sessionId });
  const lateStart = await sessionOf();
  if (lateStart && lateStart !== sessionId) await table.assignStop(eventSkPrefix + stop.id, lateStart);
  return outcome;
}

/**
 * Saves a start of a vendor without session values: after its writes it claims the stops
 * after it, oldest first, up to the first one that a later start holds (every stop after
 * that one belongs to that start or a later one). For the newest start this is one query
 * that finds nothing. A stop claimed here that belongs to a later start whose own claim is
 * still on its way ends up with that start all the same: derived session ids sort by their
 * start's time, and a claim only ever moves a stop to a later start. (A table made before
 * the index carried `sessionId` shows none: every later stop is claimed, slower and still
 * right.)
 */
export async function saveStartPairedByTime(table: PairingTable, start: StreamEvent): Promise<'stored' | 'duplicate'> {
  const outcome = await table.writeEventAndState(start);
  const heldByLaterStart = (stop: IndexedStop) =>
    stop.sessionId !== undefined && !stop.sessionId.startsWith(orphanPrefix) && stop.sessionId > start.sessionId;
  let page: { stops: IndexedStop[]; next?: unknown } | undefined;
  do {
    page = await table.stopsFrom(start.occurredAt, page?.next);
    const held = page.stops.findIndex(heldByLaterStart);
    const mine = (held === -1 ? page.stops : page.stops.slice(0, held)).filter(
      (stop) => stop.sessionId !== start.sessionId,
    );
    await allSettled(mine.map((stop) => table.assignStop(stop.sk, start.sessionId)));
    if (held !== -1) break;
  } while (page.next);
  return outcome;
}

/**
 * Like `Promise.all`, but waits for every write to finish before throwing the first
 * failure: Lambda freezes the container once the answer is out, and a write still in
 * flight would land at some later thaw, after the vendor's retry.
 */
export async function allSettled<T extends readonly unknown[]>(
  writes: T,
): Promise<{ -readonly [K in keyof T]: Awaited<T[K]> }> {
  const results = await Promise.allSettled(writes);
  const failed = results.find((result) => result.status === 'rejected');
  if (failed) throw failed.reason;
  return results.map((result) => (result as PromiseFulfilledResult<unknown>).value) as {
    -readonly [K in keyof T]: Awaited<T[K]>;
  };
}
